#include "web/components.hpp"

#include <algorithm>
#include <functional>

namespace lk::web {

std::string_view state_word(ComponentState state) {
  switch (state) {
    case ComponentState::operational:
      return "Operational";
    case ComponentState::degraded:
      return "Degraded";
    case ComponentState::down:
      return "Outage";
    case ComponentState::maintenance:
      return "Maintenance";
    case ComponentState::no_data:
      return "No data";
  }
  return "No data";
}

std::string_view state_class(ComponentState state) {
  switch (state) {
    case ComponentState::operational:
      return "s-ok";
    case ComponentState::degraded:
      return "s-dg";
    case ComponentState::down:
      return "s-dn";
    case ComponentState::maintenance:
      return "s-mt";
    case ComponentState::no_data:
      return "s-nd";
  }
  return "s-nd";
}

std::size_t rule_rank(const ComponentRule& rule, std::size_t checks) {
  if (checks == 0) return 0;
  switch (rule.kind) {
    case ComponentRule::Kind::any:
      return 1;
    case ComponentRule::Kind::all:
      return checks;
    case ComponentRule::Kind::at_least:
      // A pool of 3 with two paused is a pool of 1: its last check down is the component down.
      return std::clamp<std::size_t>(static_cast<std::size_t>(std::max(rule.k, 1)), 1, checks);
  }
  return checks;
}

ComponentState derive_state(const ComponentRule& rule, std::span<const CheckSignal> checks) {
  std::size_t counted = 0, in_maintenance = 0, failing = 0, troubled = 0, pending = 0;
  for (const auto& check : checks) {
    if (check.paused) continue;
    ++counted;
    if (check.in_maintenance) {
      ++in_maintenance;
      continue;
    }
    if (check.state == State::fail) ++failing;
    if (check.state == State::fail || check.state == State::warn || check.state == State::unknown)
      ++troubled;
    if (check.state == State::pending) ++pending;
  }
  if (counted == 0) return ComponentState::no_data;
  if (in_maintenance == counted) return ComponentState::maintenance;
  // The rule applies to the checks in service: a pool of two with one taken out for maintenance
  // is down when the other fails, because clients then reach neither.
  if (failing > 0 && failing >= rule_rank(rule, counted - in_maintenance))
    return ComponentState::down;
  if (troubled > 0) return ComponentState::degraded;
  if (pending == counted - in_maintenance)
    return in_maintenance > 0 ? ComponentState::maintenance : ComponentState::no_data;
  return ComponentState::operational;
}

Banner derive_banner(std::span<const ComponentState> states) {
  if (states.empty()) return {"No components configured", "s-nd"};
  std::size_t judged = 0, down = 0, degraded = 0, maintenance = 0;
  for (auto state : states) {
    if (state == ComponentState::no_data) continue;
    ++judged;
    if (state == ComponentState::down) ++down;
    if (state == ComponentState::degraded) ++degraded;
    if (state == ComponentState::maintenance) ++maintenance;
  }
  if (judged == 0) return {"Waiting for first results", "s-nd"};
  if (down == judged) return {"Major outage", "s-dn"};
  if (down > 0) return {"Partial outage", "s-dn"};
  if (degraded > 0) return {"Degraded performance", "s-dg"};
  if (maintenance > 0) return {"Under maintenance", "s-mt"};
  return {"All systems operational", "s-ok"};
}

// A component's history is approximated from its checks' own figures, as the store keeps no
// history of components: with the checks' downtimes sorted worst first, the component is taken
// to be down as long as the rule's k-th worst check was (any: the worst, all: the best). That is
// exact when the outages overlap (the usual case: one cause takes several checks down at once);
// when they do not, `any` undercounts the component's downtime and `all` overcounts it.
std::optional<double> combine_uptime(const ComponentRule& rule,
                                     std::span<const std::optional<double>> uptimes) {
  std::vector<double> downtimes;
  downtimes.reserve(uptimes.size());
  for (const auto& u : uptimes)
    if (u) downtimes.push_back(1.0 - *u);
  if (downtimes.empty()) return std::nullopt;
  std::sort(downtimes.begin(), downtimes.end(), std::greater<>());
  return 1.0 - downtimes[rule_rank(rule, downtimes.size()) - 1];
}

DayGrade grade_day(const ComponentDay& day) {
  // A few failed minutes are worth a different colour from a clean day, but not the red of a
  // day that was mostly down.
  constexpr double kMinorOutageUptime = 0.99;
  if (!day.uptime) return DayGrade::no_data;
  if (*day.uptime < kMinorOutageUptime) return DayGrade::major_outage;
  if (*day.uptime < 1.0) return DayGrade::minor_outage;
  if (day.warned || !day.incidents.empty()) return DayGrade::degraded;
  return DayGrade::ok;
}

bool is_perfect(const ComponentDay& day) {
  return grade_day(day) == DayGrade::ok;
}

CheckIndex::CheckIndex(const CheckList& checks) {
  by_name_.reserve(checks.size());
  for (const auto& item : checks) by_name_.emplace(item.spec->name, &item);
}

const CheckItem* CheckIndex::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

bool names_component(const StatusReport& report, std::string_view component_id) {
  return std::find(report.components.begin(), report.components.end(), component_id) !=
         report.components.end();
}

bool concerns(const StatusReport& report, const StatusPageSpec& page) {
  if (report.components.empty()) return true;
  for (const auto& id : report.components)
    if (std::find(page.components.begin(), page.components.end(), id) != page.components.end())
      return true;
  return false;
}

namespace {

bool is_paused(const CheckItem& item) {
  return item.spec->paused || item.view->paused;
}

TimePoint start_of_day(TimePoint t) {
  return std::chrono::floor<std::chrono::days>(t);
}

// Index of `day` among the kUptimeDays ending with `last_day`, or -1 outside them.
int day_index(TimePoint day, TimePoint last_day) {
  auto back = std::chrono::floor<std::chrono::days>(last_day - start_of_day(day)).count();
  if (back < 0 || back >= kUptimeDays) return -1;
  return kUptimeDays - 1 - static_cast<int>(back);
}

void fill_days(ComponentStatus& status, const std::vector<const CheckItem*>& counted,
               const std::vector<StatusReport>& reports, TimePoint as_of) {
  const TimePoint last_day = start_of_day(as_of);
  status.days.resize(kUptimeDays);
  for (int i = 0; i < kUptimeDays; ++i)
    status.days[i].day = last_day - std::chrono::days{kUptimeDays - 1 - i};

  // Each check's bars placed by date (a check may lack days), then per day the rule's check:
  // the k-th worst by downtime, then by warnings.
  struct Badness {
    double downtime, warnings;
    auto operator<=>(const Badness&) const = default;
  };
  std::vector<std::vector<Badness>> by_day(kUptimeDays);
  for (const CheckItem* item : counted) {
    for (const DayBar& bar : item->view->days) {
      int i = day_index(bar.day, last_day);
      if (i < 0 || bar.count == 0) continue;
      by_day[i].push_back({1.0 - bar.uptime(), double(bar.warnings) / double(bar.count)});
      if (bar.failures > 0)
        ++status.days[i].failing_checks;
      else if (bar.warnings > 0)
        ++status.days[i].warning_checks;
    }
  }
  for (int i = 0; i < kUptimeDays; ++i) {
    auto& checks = by_day[i];
    if (checks.empty()) continue;
    std::sort(checks.begin(), checks.end(), std::greater<>());
    const Badness& day = checks[rule_rank(status.spec->rule, checks.size()) - 1];
    status.days[i].uptime = 1.0 - day.downtime;
    status.days[i].warned = day.warnings > 0;
  }

  for (const auto& report : reports) {
    if (report.kind != ReportKind::incident || !names_component(report, status.spec->id)) continue;
    const TimePoint end = report.resolved_at.value_or(as_of);
    int first = day_index(report.created_at, last_day);
    int last = day_index(end, last_day);
    if (last < 0 && end > as_of) last = kUptimeDays - 1;
    if (first < 0 && last >= 0) first = 0;  // began before the 90 days
    if (first < 0 || last < first) continue;
    for (int i = first; i <= last; ++i) status.days[i].incidents.push_back(&report);
  }
}

}  // namespace

ComponentStatus evaluate_component(const ComponentSpec& component, const CheckIndex& index,
                                   const std::vector<StatusReport>& reports, TimePoint as_of) {
  ComponentStatus status;
  status.spec = &component;
  std::vector<CheckSignal> signals;
  std::vector<const CheckItem*> counted;
  std::vector<std::optional<double>> u24, u7, u30, u90;
  for (const auto& name : component.checks) {
    const CheckItem* item = index.find(name);
    if (!item) continue;  // removed from the config but still named: nothing to say about it
    status.checks.push_back(item);
    const CheckView& view = *item->view;
    signals.push_back({view.state, is_paused(*item), view.in_maintenance});
    if (is_paused(*item)) continue;
    counted.push_back(item);
    u24.push_back(view.uptime_24h);
    u7.push_back(view.uptime_7d);
    u30.push_back(view.uptime_30d);
    u90.push_back(view.uptime_90d);
  }
  status.state = derive_state(component.rule, signals);
  status.uptime_24h = combine_uptime(component.rule, u24);
  status.uptime_7d = combine_uptime(component.rule, u7);
  status.uptime_30d = combine_uptime(component.rule, u30);
  status.uptime_90d = combine_uptime(component.rule, u90);
  fill_days(status, counted, reports, as_of);
  return status;
}

SiteSpec default_site(const StatusSnapshot& snapshot) {
  SiteSpec site;
  StatusPageSpec page;
  page.slug = "status";
  page.title = snapshot.title;
  site.components.reserve(snapshot.checks.size());
  page.components.reserve(snapshot.checks.size());
  for (const auto& item : snapshot.checks) {
    ComponentSpec c;
    c.id = item.spec->name;
    c.name = item.spec->name;
    c.group = item.spec->group;
    c.description = item.spec->description;
    c.checks = {item.spec->name};
    page.components.push_back(c.id);
    site.components.push_back(std::move(c));
  }
  site.pages.push_back(std::move(page));
  return site;
}

}  // namespace lk::web
