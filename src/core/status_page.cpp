#include "core/status_page.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace lk {

namespace {

// One table per enum, so that to_string and parse cannot disagree.
template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table)
    if (e == value) return name;
  return table.front().second;
}

template <class E, std::size_t N>
std::optional<E> parse_name(const std::array<std::pair<E, std::string_view>, N>& table,
                            std::string_view text) {
  for (const auto& [e, name] : table)
    if (name == text) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<ReportState, std::string_view>, 7> kStates{{
    {ReportState::investigating, "investigating"},
    {ReportState::identified, "identified"},
    {ReportState::monitoring, "monitoring"},
    {ReportState::resolved, "resolved"},
    {ReportState::scheduled, "scheduled"},
    {ReportState::in_progress, "in_progress"},
    {ReportState::completed, "completed"},
}};

constexpr std::array<std::pair<ReportKind, std::string_view>, 2> kKinds{{
    {ReportKind::incident, "incident"},
    {ReportKind::maintenance, "maintenance"},
}};

constexpr std::array<std::pair<Impact, std::string_view>, 4> kImpacts{{
    {Impact::none, "none"},
    {Impact::minor, "minor"},
    {Impact::major, "major"},
    {Impact::critical, "critical"},
}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::optional<int> parse_count(std::string_view s) {
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || value < 1) return std::nullopt;
  return value;
}

}  // namespace

std::optional<ComponentRule> parse_component_rule(std::string_view text) {
  text = trim(text);
  if (text == "all") return ComponentRule{ComponentRule::Kind::all, 0, 0};
  if (text == "any") return ComponentRule{ComponentRule::Kind::any, 0, 0};
  // "k of n": n is the reader's reminder of the pool size; the loader checks it against the
  // component's checks.
  auto of = text.find(" of ");
  if (of == std::string_view::npos) return std::nullopt;
  auto k = parse_count(trim(text.substr(0, of)));
  auto n = parse_count(trim(text.substr(of + 4)));
  if (!k || !n || *k > *n) return std::nullopt;
  return ComponentRule{ComponentRule::Kind::at_least, *k, *n};
}

std::string to_string(const ComponentRule& rule) {
  switch (rule.kind) {
    case ComponentRule::Kind::all:
      return "all";
    case ComponentRule::Kind::any:
      return "any";
    case ComponentRule::Kind::at_least:
      return std::to_string(rule.k) + " of " + std::to_string(rule.n);
  }
  return "all";
}

std::string_view to_string(ReportState s) {
  return name_of(kStates, s);
}
std::optional<ReportState> parse_report_state(std::string_view text) {
  return parse_name(kStates, text);
}
bool is_closed(ReportState s) {
  return s == ReportState::resolved || s == ReportState::completed;
}

std::string_view to_string(ReportKind k) {
  return name_of(kKinds, k);
}
std::optional<ReportKind> parse_report_kind(std::string_view text) {
  return parse_name(kKinds, text);
}

std::string_view to_string(Impact i) {
  return name_of(kImpacts, i);
}
std::optional<Impact> parse_impact(std::string_view text) {
  return parse_name(kImpacts, text);
}

}  // namespace lk
