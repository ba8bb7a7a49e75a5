#pragma once
// What the public status pages say about components, derived from their checks: the state of a
// component by its rule, the banner of a page, and a component's uptime and days. Pure functions
// of the snapshot, so that the rules are unit-tested without rendering anything.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "web/model.hpp"

namespace lk::web {

/// A component as clients read it.
enum class ComponentState { operational, degraded, down, maintenance, no_data };

/// The word shown for a state, so that colour is never the only signal: "Operational", ...
std::string_view state_word(ComponentState state);
/// The CSS class of a state: "s-ok", "s-dg", "s-dn", "s-mt", "s-nd".
std::string_view state_class(ComponentState state);

/// What a component needs to know of one of its checks.
struct CheckSignal {
  State state = State::pending;
  bool paused = false;  ///< paused checks do not count at all
  bool in_maintenance = false;
};

/// The state of a component from its checks: maintenance when every counted (not paused) check
/// is in maintenance; down when the failing checks reach the rule (all: every counted check,
/// any: one, k of n: k); degraded when any check fails, warns or is unknown; no data while every
/// check is pending (or none counts); operational otherwise. Checks in maintenance never count
/// as failing.
ComponentState derive_state(const ComponentRule& rule, std::span<const CheckSignal> checks);

/// The one-line summary at the top of a page.
struct Banner {
  std::string_view text;       ///< "All systems operational", "Partial outage", ...
  std::string_view css_class;  ///< a state class (see state_class)
};

/// The banner of a page from its components' states: major outage when every component with data
/// is down, partial outage when some are, degraded when any is, under maintenance when any is in
/// maintenance and none is worse, waiting while no component has data.
Banner derive_banner(std::span<const ComponentState> states);

/// Which of the checks' downtimes a component takes under `rule` among `checks` checks with
/// data: 1 = the worst (any), `checks` = the best (all), k = the k-th worst (k of n, capped at
/// the checks there are). 0 when there are no checks.
std::size_t rule_rank(const ComponentRule& rule, std::size_t checks);

/// A component's uptime from its checks' uptimes (nullopt = no data, ignored) by the rule's rank.
std::optional<double> combine_uptime(const ComponentRule& rule,
                                     std::span<const std::optional<double>> uptimes);

/// Days of history shown per component.
inline constexpr int kUptimeDays = 90;

/// One day of a component's 90-day history.
struct ComponentDay {
  TimePoint day{};               ///< 00:00 UTC
  std::optional<double> uptime;  ///< by the rule; nullopt = no check had results that day
  bool warned = false;           ///< the rule's check of the day (see combine_uptime) had warnings
  std::uint32_t failing_checks = 0;            ///< checks with at least one failure that day
  std::uint32_t warning_checks = 0;            ///< checks with warnings (and no failure) that day
  std::vector<const StatusReport*> incidents;  ///< incident reports of the component that day
};

/// How a day is coloured: by the rule's uptime, then by warnings and incidents. A day on which
/// one of two redundant servers failed is a clean day for a component with rule `all`.
enum class DayGrade { no_data, ok, degraded, minor_outage, major_outage };
DayGrade grade_day(const ComponentDay& day);
/// A day with results, full uptime by the rule, no warning and no incident: drawn merged with its
/// neighbours of the same kind.
bool is_perfect(const ComponentDay& day);

/// The checks of a snapshot by name (the snapshot keeps them in config order only).
class CheckIndex {
 public:
  explicit CheckIndex(const CheckList& checks);
  const CheckItem* find(std::string_view name) const;

 private:
  std::unordered_map<std::string_view, const CheckItem*> by_name_;
};

/// Everything a page shows of one component.
struct ComponentStatus {
  const ComponentSpec* spec = nullptr;
  ComponentState state = ComponentState::no_data;
  std::vector<const CheckItem*> checks;  ///< its checks that exist, paused ones included
  std::optional<double> uptime_24h, uptime_7d, uptime_30d, uptime_90d;
  std::vector<ComponentDay> days;  ///< kUptimeDays, oldest first, the last one the day of as_of
};

/// Evaluates `component` from the checks of `index` as of `as_of`; `reports` (newest first)
/// gives each day its incidents.
ComponentStatus evaluate_component(const ComponentSpec& component, const CheckIndex& index,
                                   const std::vector<StatusReport>& reports, TimePoint as_of);

/// True when `report` is shown on `page`: it names one of the page's components, or none.
bool concerns(const StatusReport& report, const StatusPageSpec& page);
/// True when `report` names `component_id`.
bool names_component(const StatusReport& report, std::string_view component_id);

/// The site of a configuration without status pages or components: one page (slug "status",
/// titled like the snapshot) with one component per check (id and name = the check's name, group
/// and description = the check's, rule all), in config order.
SiteSpec default_site(const StatusSnapshot& snapshot);

}  // namespace lk::web
