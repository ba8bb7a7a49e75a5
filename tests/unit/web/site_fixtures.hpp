#pragma once
// Fixtures of the status-site tests: a store that keeps status reports and rollups in memory,
// and snapshots with a site of pages and components.

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "fakes.hpp"
#include "store/store.hpp"
#include "web/model.hpp"

namespace lk::web::testing {

/// Reports and rollups in memory, with the queries it was asked kept for assertions.
class ReportStore final : public store::Store {
 public:
  std::vector<StatusReport> reports;  ///< any order; read newest (highest id) first
  std::vector<store::Rollup> stored_rollups;
  std::vector<store::ReportQuery> report_queries;
  std::vector<std::int64_t> report_reads;
  struct RollupsManyCall {
    std::vector<std::string> checks;
    store::Resolution resolution{};
    TimePoint from, to;
  };
  std::vector<RollupsManyCall> rollup_reads;

  void append(Result) override {}
  void commit(store::StateChange) override {}
  void flush() override {}
  std::int64_t enqueue_notification(store::Outbound) override { return 1; }
  bool record_attempt(std::int64_t, store::Attempt, std::optional<TimePoint>) override {
    return false;
  }
  std::vector<Result> results(std::string_view, TimePoint, TimePoint, std::size_t) override {
    return {};
  }
  std::vector<store::Rollup> rollups(std::string_view check, store::Resolution res, TimePoint from,
                                     TimePoint to) override {
    std::vector<store::Rollup> out;
    for (const auto& r : stored_rollups)
      if (r.check == check && r.resolution == res && r.bucket >= from && r.bucket < to)
        out.push_back(r);
    return out;
  }
  void rollups_many(std::span<const std::string_view> checks, store::Resolution res, TimePoint from,
                    TimePoint to, const RollupVisitor& visit) override {
    std::lock_guard lock(mutex_);
    rollup_reads.push_back({{checks.begin(), checks.end()}, res, from, to});
    for (std::size_t i = 0; i < checks.size(); ++i)
      for (const auto& r : stored_rollups)
        if (r.check == checks[i] && r.resolution == res && r.bucket >= from && r.bucket < to)
          visit(i, r);
  }
  std::vector<Incident> incidents(const store::IncidentQuery&) override { return {}; }
  std::vector<Transition> transitions(std::string_view, TimePoint, TimePoint,
                                      std::size_t) override {
    return {};
  }
  std::vector<std::pair<std::string, std::string>> load_check_states() override { return {}; }
  std::int64_t load_next_incident_id() override { return 1; }
  std::vector<Incident> load_open_incidents() override { return {}; }
  std::optional<std::string> load_meta(std::string_view) override { return std::nullopt; }
  std::vector<store::Notification> due_notifications(TimePoint, std::size_t) override { return {}; }
  std::vector<store::Notification> notifications(const store::NotificationQuery&) override {
    return {};
  }
  std::vector<StatusReport> status_reports(const store::ReportQuery& q) override {
    std::lock_guard lock(mutex_);
    report_queries.push_back(q);
    std::vector<StatusReport> sorted = reports;
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.id > b.id; });
    std::vector<StatusReport> out;
    for (const auto& r : sorted) {
      if (out.size() >= q.limit) break;
      if (q.before_id != 0 && r.id >= q.before_id) continue;
      out.push_back(r);
    }
    return out;
  }
  std::optional<StatusReport> status_report(std::int64_t id) override {
    std::lock_guard lock(mutex_);
    report_reads.push_back(id);
    for (const auto& r : reports)
      if (r.id == id) return r;
    return std::nullopt;
  }
  store::Stats stats() const override { return {}; }

 private:
  std::mutex mutex_;
};

inline ComponentSpec make_component(std::string id, std::vector<std::string> checks,
                                    std::string group = {},
                                    ComponentRule rule = {ComponentRule::Kind::all, 0, 0}) {
  ComponentSpec c;
  c.id = id;
  c.name = "Component " + id;
  c.group = std::move(group);
  c.checks = std::move(checks);
  c.rule = rule;
  return c;
}

inline StatusReport make_report(std::int64_t id, std::string title, ReportState state, TimePoint at,
                                std::vector<std::string> components = {}) {
  StatusReport r;
  r.id = id;
  r.title = std::move(title);
  r.state = state;
  r.kind = state == ReportState::scheduled || state == ReportState::in_progress ||
                   state == ReportState::completed
               ? ReportKind::maintenance
               : ReportKind::incident;
  r.components = std::move(components);
  r.created_at = at;
  r.updated_at = at;
  if (is_closed(state)) r.resolved_at = at;
  r.updates.push_back(ReportUpdate{.id = id * 10,
                                   .at = at,
                                   .state = state,
                                   .message = "Update of *" + r.title + "*",
                                   .author = "ops"});
  return r;
}

/// A snapshot of `checks` checks in `components` components ("c0", "c1", ...; groups of five)
/// on one page "main", with realistic history: each check fails on a few of its 90 days, and
/// components mix the three rules.
inline StatusSnapshot big_snapshot(int checks, int components, TimePoint now) {
  StatusSnapshot s;
  s.title = "Acme";
  s.generated_at = now;
  s.generation = 1;
  auto site = std::make_shared<SiteSpec>();
  StatusPageSpec page;
  page.slug = "main";
  page.title = "Acme";
  for (int c = 0; c < components; ++c) {
    const ComponentRule rule = c % 3 == 0   ? ComponentRule{ComponentRule::Kind::any, 0, 0}
                               : c % 3 == 1 ? ComponentRule{ComponentRule::Kind::all, 0, 0}
                                            : ComponentRule{ComponentRule::Kind::at_least, 2, 3};
    site->components.push_back(
        make_component("c" + std::to_string(c), {}, "Group " + std::to_string(c / 5), rule));
    page.components.push_back("c" + std::to_string(c));
  }
  for (int i = 0; i < checks; ++i) {
    std::string name = "check-" + std::to_string(i);
    TestCheck t = make_check(name, i % 97 == 0 ? State::fail : State::ok, now);
    // A day with failures in 30 per check, spread out: `any` components of 25 checks see half
    // of their days in trouble, `all` components almost none.
    for (std::size_t d = 0; d < t.view.days.size(); ++d)
      if ((i * 7 + static_cast<int>(d) * 13) % 30 == 0) t.view.days[d].failures = 3 + i % 5;
    add_check(s.checks, std::move(t));
    site->components[static_cast<std::size_t>(i % components)].checks.push_back(name);
  }
  site->pages.push_back(std::move(page));
  s.site = std::move(site);
  return s;
}

}  // namespace lk::web::testing
