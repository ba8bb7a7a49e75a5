#include "alert/policy/model.hpp"

#include <algorithm>
#include <regex>

namespace lk::alert {
namespace {

template <class T>
const T* by_name(const std::vector<T>& list, std::string_view name) {
  for (const auto& item : list)
    if (item.name == name) return &item;
  return nullptr;
}

// Glob with * (any run) and ? (one character), iterative with backtracking to the last star.
bool glob(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

const Notifier* AlertConfig::notifier(std::string_view name) const {
  return by_name(notifiers, name);
}
const oncall::Person* AlertConfig::person(std::string_view name) const {
  return by_name(people, name);
}
const oncall::Schedule* AlertConfig::schedule(std::string_view name) const {
  return by_name(schedules, name);
}
const EscalationPolicy* AlertConfig::escalation(std::string_view name) const {
  return by_name(escalations, name);
}

std::optional<Target> parse_target(std::string_view text) {
  Target t;
  t.text = std::string(text);
  auto valid_name = [](std::string_view n) {
    return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
  };
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    if (!valid_name(text)) return std::nullopt;
    t.kind = Target::Kind::notifier;  // or a person: the loader decides by name
    t.name = std::string(text);
    return t;
  }
  std::string_view prefix = text.substr(0, colon), rest = text.substr(colon + 1);
  if (prefix == "team") {
    if (!valid_name(rest)) return std::nullopt;
    t.kind = Target::Kind::team;
    t.name = std::string(rest);
    return t;
  }
  if (prefix != "oncall") return std::nullopt;
  std::string_view who = "primary";
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    who = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (!valid_name(rest)) return std::nullopt;
  t.name = std::string(rest);
  if (who == "primary")
    t.kind = Target::Kind::oncall_primary;
  else if (who == "secondary")
    t.kind = Target::Kind::oncall_secondary;
  else if (who == "both")
    t.kind = Target::Kind::oncall_both;
  else
    return std::nullopt;
  return t;
}

bool name_matches(std::string_view pattern, std::string_view name) {
  if (!pattern.empty() && pattern.front() == '~') {
    try {
      return std::regex_match(name.begin(), name.end(), std::regex(std::string(pattern.substr(1))));
    } catch (const std::regex_error&) {
      return false;
    }
  }
  return glob(pattern, name);
}

std::optional<std::string> pattern_problem(std::string_view pattern) {
  if (pattern.empty()) return "a pattern must not be empty";
  if (pattern.front() != '~') return std::nullopt;
  try {
    std::regex re(std::string(pattern.substr(1)));
  } catch (const std::regex_error& e) {
    return "invalid regular expression " + std::string(pattern.substr(1)) + ": " + e.what();
  }
  return std::nullopt;
}

bool matches(const Matcher& m, const CheckFacts& facts) {
  if (!m.checks.empty() &&
      std::none_of(m.checks.begin(), m.checks.end(),
                   [&](const std::string& p) { return name_matches(p, facts.name); }))
    return false;
  if (!m.tags.empty()) {
    if (!facts.tags) return false;
    for (const auto& tag : m.tags)
      if (std::find(facts.tags->begin(), facts.tags->end(), tag) == facts.tags->end()) return false;
  }
  if (!m.severities.empty() &&
      std::find(m.severities.begin(), m.severities.end(), facts.severity) == m.severities.end())
    return false;
  if (!m.groups.empty() &&
      std::find(m.groups.begin(), m.groups.end(), facts.group) == m.groups.end())
    return false;
  return true;
}

}  // namespace lk::alert
