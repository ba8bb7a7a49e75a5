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
  std::unordered_map<std::string_view, const Check*> old_checks;
  for (const Check& check : before.checks) old_checks.emplace(check.spec.name, &check);
  std::unordered_map<std::string_view, const Check*> new_checks;
  for (const Check& check : after.checks) new_checks.emplace(check.spec.name, &check);

  Diff result;
  for (const Check& check : after.checks) {
    auto old = old_checks.find(check.spec.name);
    if (old == old_checks.end()) {
      result.added.push_back(check.spec.name);
    } else if (old->second->fingerprint == check.fingerprint) {
      result.unchanged.push_back(check.spec.name);
    } else {
      result.changed.push_back(check.spec.name);
    }
  }
  for (const Check& check : before.checks) {
    if (!new_checks.contains(check.spec.name)) result.removed.push_back(check.spec.name);
  }
  result.settings_changed = !same_settings(before, after);
  return result;
}

}  // namespace lk::config
