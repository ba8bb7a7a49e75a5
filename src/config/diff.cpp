// Comparing two snapshots for a reload, and finding a check by name.

#include <unordered_map>

#include "config/config.hpp"

namespace lk::config {

namespace {

bool same_settings(const Config& a, const Config& b) {
  return a.listen == b.listen && a.storage == b.storage && a.location == b.location &&
         a.title == b.title && a.public_url == b.public_url && a.log_level == b.log_level &&
         a.raw_retention == b.raw_retention && a.flush_interval == b.flush_interval &&
         a.max_concurrency == b.max_concurrency;
}

}  // namespace

const Check* Config::find(std::string_view name) const {
  for (const Check& check : checks) {
    if (check.spec.name == name) return &check;
  }
  return nullptr;
}

Diff diff(const Config& before, const Config& after) {
  Diff result;
  auto classify = [&](const Check& old, const Check& check) {
    (old.fingerprint == check.fingerprint ? result.unchanged : result.changed)
        .push_back(check.spec.name);
  };
  // A reload usually keeps the checks in their order: walk both lists side by side while the
  // names match, and index by name only what is left (100,000 checks: two hash maps saved).
  const auto& old_list = before.checks;
  const auto& new_list = after.checks;
  std::size_t same = 0;
  while (same < old_list.size() && same < new_list.size() &&
         old_list[same].spec.name == new_list[same].spec.name) {
    classify(old_list[same], new_list[same]);
    ++same;
  }
  std::unordered_map<std::string_view, const Check*> old_checks;
  old_checks.reserve(old_list.size() - same);
  for (std::size_t i = same; i < old_list.size(); ++i)
    old_checks.emplace(old_list[i].spec.name, &old_list[i]);
  std::unordered_map<std::string_view, const Check*> new_checks;
  new_checks.reserve(new_list.size() - same);
  for (std::size_t i = same; i < new_list.size(); ++i)
    new_checks.emplace(new_list[i].spec.name, &new_list[i]);

  for (std::size_t i = same; i < new_list.size(); ++i) {
    const Check& check = new_list[i];
    auto old = old_checks.find(check.spec.name);
    if (old == old_checks.end())
      result.added.push_back(check.spec.name);
    else
      classify(*old->second, check);
  }
  for (std::size_t i = same; i < old_list.size(); ++i)
    if (!new_checks.contains(old_list[i].spec.name))
      result.removed.push_back(old_list[i].spec.name);
  result.settings_changed = !same_settings(before, after);
  return result;
}

}  // namespace lk::config
