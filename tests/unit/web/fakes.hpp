#pragma once
// Test doubles for the web layer: a status source holding a fixed snapshot and an in-memory
// store that records what it was asked.

#include <algorithm>
#include <future>
#include <limits>
#include <mutex>
#include <stdexcept>

#include "store/store.hpp"
#include "web/model.hpp"

namespace lk::web::testing {

class FakeStatusSource final : public StatusSource {
 public:
  explicit FakeStatusSource(StatusSnapshot snapshot = {})
      : snapshot_(std::make_shared<const StatusSnapshot>(std::move(snapshot))) {}
  std::shared_ptr<const StatusSnapshot> snapshot() const override {
    std::lock_guard lock(mutex_);
    return snapshot_;
  }
  void set(StatusSnapshot snapshot) {
    std::lock_guard lock(mutex_);
    snapshot_ = std::make_shared<const StatusSnapshot>(std::move(snapshot));
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const StatusSnapshot> snapshot_;
};

/// Reads return the canned vectors; the arguments of the latest read are kept for assertions.
/// The notification outbox is a minimal in-memory one (`outbox`, which tests may also fill).
class FakeStore final : public store::Store {
 public:
  struct ResultsCall {
    std::string check;
    TimePoint from, to;
    std::size_t limit = 0;
  };
  struct RollupsCall {
    std::string check;
    store::Resolution resolution{};
    TimePoint from, to;
  };
  struct RollupsManyCall {
    std::vector<std::string> checks;
    store::Resolution resolution{};
    TimePoint from, to;
  };

  std::vector<Result> canned_results;
  std::vector<store::Rollup> canned_rollups;
  std::vector<Incident> canned_incidents;
  store::Stats canned_stats;
  bool throw_on_read = false;
  /// When set, results() waits (at most 5 s) for it: a slow database, for the server tests.
  std::shared_future<void> results_gate;

  std::optional<ResultsCall> last_results;
  std::optional<RollupsCall> last_rollups;
  std::optional<RollupsManyCall> last_rollups_many;
  std::optional<store::IncidentQuery> last_incidents;
  std::optional<store::NotificationQuery> last_notifications;
  std::vector<store::Notification> outbox;  ///< by id, oldest first; ids are 1, 2, 3, ...

  void append(Result) override {}
  void commit(store::StateChange) override {}
  void flush() override {}

  std::int64_t enqueue_notification(store::Outbound n) override {
    std::lock_guard lock(mutex_);
    for (const auto& stored : outbox)
      if (stored.outbound.channel == n.channel &&
          stored.outbound.idempotency_key == n.idempotency_key)
        return stored.id;
    store::Notification& added = outbox.emplace_back();
    added.id = static_cast<std::int64_t>(outbox.size());
    added.next_attempt_at = n.next_attempt_at;
    added.outbound = std::move(n);
    return added.id;
  }
  bool record_attempt(std::int64_t id, store::Attempt attempt,
                      std::optional<TimePoint> next_attempt_at) override {
    std::lock_guard lock(mutex_);
    if (id < 1 || id > static_cast<std::int64_t>(outbox.size())) return false;
    store::Notification& n = outbox[static_cast<std::size_t>(id - 1)];
    const bool sent = attempt.outcome == store::AttemptOutcome::sent;
    n.state = sent              ? store::NotificationState::sent
              : next_attempt_at ? store::NotificationState::pending
                                : store::NotificationState::failed;
    n.next_attempt_at =
        n.state == store::NotificationState::pending ? next_attempt_at : std::nullopt;
    if (sent && !n.sent_at) n.sent_at = attempt.at;
    n.last_error = attempt.error;
    ++n.attempt_count;
    n.attempts.push_back(std::move(attempt));
    return true;
  }

  std::vector<Result> results(std::string_view check, TimePoint from, TimePoint to,
                              std::size_t limit) override {
    if (throw_on_read) throw std::runtime_error("database is locked");
    if (results_gate.valid()) results_gate.wait_for(std::chrono::seconds{5});
    std::lock_guard lock(mutex_);
    last_results = ResultsCall{std::string(check), from, to, limit};
    return canned_results;
  }
  std::vector<store::Rollup> rollups(std::string_view check, store::Resolution res, TimePoint from,
                                     TimePoint to) override {
    last_rollups = RollupsCall{std::string(check), res, from, to};
    return canned_rollups;
  }
  /// The canned rollups whose check is asked for, check by check in the order asked.
  void rollups_many(std::span<const std::string_view> checks, store::Resolution res, TimePoint from,
                    TimePoint to, const RollupVisitor& visit) override {
    if (throw_on_read) throw std::runtime_error("database is locked");
    last_rollups_many = RollupsManyCall{{checks.begin(), checks.end()}, res, from, to};
    for (std::size_t i = 0; i < checks.size(); ++i)
      for (const auto& rollup : canned_rollups)
        if (rollup.check == checks[i]) visit(i, rollup);
  }
  std::vector<Incident> incidents(const store::IncidentQuery& q) override {
    last_incidents = q;
    return canned_incidents;
  }
  std::vector<Transition> transitions(std::string_view, TimePoint, TimePoint,
                                      std::size_t) override {
    return {};
  }
  std::vector<std::pair<std::string, std::string>> load_check_states() override { return {}; }
  std::int64_t load_next_incident_id() override { return 1; }
  std::vector<Incident> load_open_incidents() override { return {}; }
  std::optional<std::string> load_meta(std::string_view) override { return std::nullopt; }
  std::vector<store::Notification> due_notifications(TimePoint now, std::size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<store::Notification> due;
    for (const auto& n : outbox)
      if (n.state == store::NotificationState::pending && n.next_attempt_at &&
          *n.next_attempt_at <= now)
        due.push_back(n);
    std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
      return *a.next_attempt_at < *b.next_attempt_at;
    });
    if (due.size() > limit) due.resize(limit);
    for (auto& n : due) n.attempts.clear();
    return due;
  }
  std::vector<store::Notification> notifications(const store::NotificationQuery& q) override {
    std::lock_guard lock(mutex_);
    last_notifications = q;
    std::vector<store::Notification> out;
    for (auto n = outbox.rbegin(); n != outbox.rend() && out.size() < q.limit; ++n) {
      if (q.before_id != 0 && n->id >= q.before_id) continue;
      if (q.check && n->outbound.check != *q.check) continue;
      if (q.channel && n->outbound.channel != *q.channel) continue;
      if (q.state && n->state != *q.state) continue;
      out.push_back(*n);
    }
    return out;
  }
  store::Stats stats() const override { return canned_stats; }

 private:
  std::mutex mutex_;  // the server calls from its worker threads
};

/// A check as a test builds it: its spec and what was observed.
struct TestCheck {
  CheckSpec spec;
  CheckView view;
};

/// A check in `state` with 90 clean days ending on the day of `now`, and a short sparkline.
inline TestCheck make_check(std::string name, State state, TimePoint now, std::string group = {}) {
  TestCheck t;
  t.spec.name = std::move(name);
  t.spec.type = "http";
  t.spec.target = "https://example.com/";
  t.spec.group = std::move(group);
  t.spec.interval = std::chrono::seconds{60};
  CheckView& c = t.view;
  c.state = state;
  c.since = now - std::chrono::hours{3};
  c.last_status = state == State::fail ? Status::fail : Status::ok;
  c.last_run = now - std::chrono::seconds{20};
  c.last_latency = std::chrono::milliseconds{123};
  c.last_timings.dns = std::chrono::milliseconds{5};
  c.last_timings.connect = std::chrono::milliseconds{20};
  c.last_timings.total = std::chrono::milliseconds{123};
  c.uptime_24h = 1.0;
  c.uptime_7d = 0.9999;
  c.uptime_30d = 0.999;
  c.uptime_90d = 0.99;
  c.results_ok = 1000;
  c.results_fail = 3;
  c.sparkline_ms = {120.0f, 130.5f, std::numeric_limits<float>::quiet_NaN(), 110.0f, 125.0f};
  auto today = std::chrono::floor<std::chrono::days>(now);
  for (int i = 89; i >= 0; --i)
    c.days.push_back(DayBar{.day = today - std::chrono::days{i}, .count = 1440});
  return t;
}

inline void add_check(CheckList& list, TestCheck check) {
  list.push_back(std::move(check.spec), std::move(check.view));
}

}  // namespace lk::web::testing
