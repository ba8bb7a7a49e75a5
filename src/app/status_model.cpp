#include "app/status_model.hpp"

#include <algorithm>

namespace lk::app {

namespace {
constexpr std::size_t kSparklinePoints = 60;
constexpr std::size_t kRecentIncidents = 20;
constexpr int kHistoryDays = 90;

TimePoint start_of_day(TimePoint t) {
  return std::chrono::floor<std::chrono::days>(t);
}
}  // namespace

StatusModel::StatusModel(std::string version, const Clock& clock) : clock_(clock) {
  stats_.version = std::move(version);
  stats_.started_at = clock.now();
  published_ = std::make_shared<web::StatusSnapshot>();
}

void StatusModel::set_config(const config::Config& config) {
  title_ = config.title;
  std::unordered_map<std::string, Entry> next;
  order_.clear();
  for (const auto& check : config.checks) {
    const auto& name = check.spec.name;
    order_.push_back(name);
    Entry e;
    if (auto it = entries_.find(name); it != entries_.end()) e = std::move(it->second);
    auto& v = e.view;
    v.name = name;
    v.type = check.spec.type;
    v.target = check.spec.target;
    v.group = check.group;
    v.description = check.description;
    v.tags = check.tags;
    v.location = config.location;
    v.paused = check.paused;
    v.interval = check.spec.interval;
    if (v.days.empty()) {
      auto today = start_of_day(clock_.now());
      for (int d = kHistoryDays - 1; d >= 0; --d) v.days.push_back({today - std::chrono::days{d}});
    }
    next.emplace(name, std::move(e));
  }
  entries_ = std::move(next);
  dirty_ = true;
}

void StatusModel::on_result(const Result& r) {
  auto it = entries_.find(r.check);
  if (it == entries_.end()) return;
  auto& e = it->second;
  auto& v = e.view;
  v.last_status = r.status;
  v.last_run = r.started_at;
  v.last_latency = r.duration;
  v.last_timings = r.timings;
  v.message = r.message;
  if (r.cert_not_after) v.cert_not_after = r.cert_not_after;
  switch (r.status) {
    case Status::ok:
      ++v.results_ok;
      break;
    case Status::warn:
      ++v.results_warn;
      break;
    case Status::fail:
      ++v.results_fail;
      break;
    case Status::unknown:
      ++v.results_unknown;
      break;
  }
  e.sparkline.push_back(r.status == Status::fail || r.status == Status::unknown
                            ? std::nullopt
                            : std::optional<double>(to_ms(r.duration)));
  if (e.sparkline.size() > kSparklinePoints) e.sparkline.pop_front();
  // Today's bar follows live results; older days come from the rollups.
  if (!v.days.empty()) {
    auto& today = v.days.back();
    if (start_of_day(r.started_at) == today.day) {
      ++today.count;
      if (r.status == Status::fail) ++today.failures;
      if (r.status == Status::warn) ++today.warnings;
    }
  }
  dirty_ = true;
}

void StatusModel::on_state(const state::CheckState& s) {
  auto it = entries_.find(s.check);
  if (it == entries_.end()) return;
  auto& v = it->second.view;
  v.state = s.state;
  v.since = s.since;
  v.flapping = s.flapping;
  v.open_incident = s.open_incident;
  dirty_ = true;
}

void StatusModel::on_incident(const Incident& i) {
  if (i.open()) {
    open_incidents_[i.id] = i;
  } else {
    open_incidents_.erase(i.id);
    std::erase_if(recent_incidents_, [&](const Incident& r) { return r.id == i.id; });
    recent_incidents_.push_front(i);
    if (recent_incidents_.size() > kRecentIncidents) recent_incidents_.pop_back();
  }
  dirty_ = true;
}

void StatusModel::set_stats(const web::RuntimeStats& stats) {
  auto started = stats_.started_at;
  auto version = stats_.version;
  stats_ = stats;
  stats_.started_at = started;
  stats_.version = version;
  dirty_ = true;
}

void StatusModel::refresh_history(store::Store& store) {
  const TimePoint now = clock_.now();
  const TimePoint today = start_of_day(now);
  const TimePoint first_day = today - std::chrono::days{kHistoryDays - 1};
  for (auto& [name, e] : entries_) {
    auto& v = e.view;
    v.days.clear();
    for (int d = 0; d < kHistoryDays; ++d) v.days.push_back({first_day + std::chrono::days{d}});
    for (const auto& r : store.rollups(name, store::Resolution::day, first_day, now)) {
      auto index =
          std::chrono::duration_cast<std::chrono::days>(start_of_day(r.bucket) - first_day).count();
      if (index < 0 || index >= kHistoryDays) continue;
      auto& bar = v.days[static_cast<std::size_t>(index)];
      bar.count += r.count;
      bar.failures += r.failures;
      bar.warnings += r.warnings;
    }
    auto uptime_over_days = [&](int days) -> std::optional<double> {
      std::int64_t count = 0, failures = 0;
      for (int d = kHistoryDays - days; d < kHistoryDays; ++d) {
        count += v.days[static_cast<std::size_t>(d)].count;
        failures += v.days[static_cast<std::size_t>(d)].failures;
      }
      if (count == 0) return std::nullopt;
      return 1.0 - double(failures) / double(count);
    };
    v.uptime_7d = uptime_over_days(7);
    v.uptime_30d = uptime_over_days(30);
    v.uptime_90d = uptime_over_days(90);
    std::int64_t count = 0, failures = 0;
    for (const auto& r :
         store.rollups(name, store::Resolution::hour, now - std::chrono::hours{24}, now)) {
      count += r.count;
      failures += r.failures;
    }
    v.uptime_24h =
        count ? std::optional<double>(1.0 - double(failures) / double(count)) : std::nullopt;
  }
  dirty_ = true;
}

void StatusModel::load_incidents(store::Store& store) {
  store::IncidentQuery open;
  open.open_only = true;
  open.limit = 1000;
  for (auto& i : store.incidents(open)) open_incidents_[i.id] = i;
  store::IncidentQuery recent;
  recent.limit = kRecentIncidents * 2;
  for (auto& i : store.incidents(recent)) {
    if (!i.open() && recent_incidents_.size() < kRecentIncidents) recent_incidents_.push_back(i);
  }
  dirty_ = true;
}

void StatusModel::publish() {
  if (!dirty_) return;
  dirty_ = false;
  auto snap = std::make_shared<web::StatusSnapshot>();
  snap->title = title_;
  snap->generated_at = clock_.now();
  snap->stats = stats_;
  snap->checks.reserve(order_.size());
  for (const auto& name : order_) {
    const auto& e = entries_.at(name);
    auto& v = snap->checks.emplace_back(e.view);
    v.sparkline_ms.assign(e.sparkline.begin(), e.sparkline.end());
  }
  for (const auto& [id, i] : open_incidents_) snap->open_incidents.push_back(i);
  std::reverse(snap->open_incidents.begin(), snap->open_incidents.end());
  snap->recent_incidents.assign(recent_incidents_.begin(), recent_incidents_.end());
  std::lock_guard lock(published_mutex_);
  published_ = std::move(snap);
}

std::shared_ptr<const web::StatusSnapshot> StatusModel::snapshot() const {
  std::lock_guard lock(published_mutex_);
  return published_;
}

}  // namespace lk::app
