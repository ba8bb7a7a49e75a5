#include "app/status_model.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace lk::app {

namespace {
constexpr std::size_t kSparklinePoints = 60;
constexpr std::size_t kRecentIncidents = 20;
constexpr int kHistoryDays = 90;

TimePoint start_of_day(TimePoint t) {
  return std::chrono::floor<std::chrono::days>(t);
}
std::int64_t hour_number(TimePoint t) {
  return std::chrono::floor<std::chrono::hours>(t).time_since_epoch().count();
}

std::optional<double> uptime(std::int64_t count, std::int64_t failures) {
  if (count == 0) return std::nullopt;
  return 1.0 - double(failures) / double(count);
}
}  // namespace

std::vector<CheckHistory> read_history(store::Store& store, const std::vector<std::string>& checks,
                                       TimePoint now) {
  const TimePoint first_day = start_of_day(now) - std::chrono::days{kHistoryDays - 1};
  std::vector<CheckHistory> out;
  out.reserve(checks.size());
  for (const auto& name : checks) {
    CheckHistory h;
    h.check = name;
    for (const auto& r :
         store.rollups(name, store::Resolution::day, first_day, now + std::chrono::hours{1})) {
      auto day = start_of_day(r.bucket);
      if (h.days.empty() || h.days.back().day != day) h.days.push_back({day});
      auto& bar = h.days.back();
      bar.count += r.count;
      bar.failures += r.failures;
      bar.warnings += r.warnings;
    }
    for (const auto& r : store.rollups(name, store::Resolution::hour, now - std::chrono::hours{23},
                                       now + std::chrono::hours{1})) {
      auto hour = hour_number(r.bucket);
      if (h.hours.empty() || h.hours.back().hour != hour) h.hours.push_back({hour});
      h.hours.back().count += r.count;
      h.hours.back().failures += r.failures;
    }
    out.push_back(std::move(h));
  }
  return out;
}

StatusModel::StatusModel(std::string version, const Clock& clock) : clock_(clock) {
  stats_.version = std::move(version);
  stats_.started_at = clock.now();
  published_ = std::make_shared<web::StatusSnapshot>();
}

web::CheckView& StatusModel::edit(Entry& e) {
  if (e.view.use_count() > 1) e.view = std::make_shared<web::CheckView>(*e.view);
  dirty_ = true;
  return *e.view;
}

std::vector<std::string> StatusModel::set_config(std::shared_ptr<const config::Config> config) {
  std::vector<std::string> need_history;
  const auto& checks = config->checks;
  // A reload usually keeps the checks and their order: then each entry only points at its new
  // spec, and the index (which compares through the specs) stays as it is.
  bool same_order = checks.size() == entries_.size();
  for (std::size_t i = 0; same_order && i < checks.size(); ++i)
    same_order = entries_[i].spec->name == checks[i].spec.name;
  if (same_order) {
    for (std::size_t i = 0; i < checks.size(); ++i) entries_[i].spec = &checks[i].spec;
  } else {
    std::vector<Entry> next;
    next.reserve(checks.size());
    for (const auto& check : checks) {
      Entry e;
      if (auto* old = find(check.spec.name)) {
        e = std::move(*old);
      } else {
        e.view = std::make_shared<web::CheckView>();
        need_history.push_back(check.spec.name);
      }
      // The view holds only what was observed, so a reload of 100,000 checks that changes one
      // copies no view: unchanged checks just point at their new spec.
      e.spec = &check.spec;
      next.push_back(std::move(e));
    }
    entries_ = std::move(next);
    rebuild_index();
  }
  config_ = std::move(config);
  dirty_ = page_changed_ = true;
  return need_history;
}

void StatusModel::rebuild_index() {
  std::size_t size = 1024;
  while (size < 2 * entries_.size()) size *= 2;
  slots_.assign(size, 0);
  const std::size_t mask = size - 1;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::size_t at = std::hash<std::string_view>{}(entries_[i].spec->name) & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    slots_[at] = static_cast<std::uint32_t>(i + 1);
  }
}

StatusModel::Entry* StatusModel::find(std::string_view check) {
  if (slots_.empty()) return nullptr;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = std::hash<std::string_view>{}(check)&mask;; at = (at + 1) & mask) {
    const std::uint32_t slot = slots_[at];
    if (slot == 0) return nullptr;
    Entry& e = entries_[slot - 1];
    if (e.spec->name == check) return &e;
  }
}

void StatusModel::update_uptimes(Entry& e, TimePoint now) {
  auto& v = *e.view;
  const TimePoint today = start_of_day(now);
  auto over_days = [&](int days) {
    std::int64_t count = 0, failures = 0;
    for (const auto& bar : v.days)
      if (bar.day > today - std::chrono::days{days}) {
        count += bar.count;
        failures += bar.failures;
      }
    return uptime(count, failures);
  };
  v.uptime_7d = over_days(7);
  v.uptime_30d = over_days(30);
  v.uptime_90d = over_days(90);
  // Slots older than 24 hours before now are cleared by moving the ring forward first.
  hour_slot(e, static_cast<std::int32_t>(hour_number(now)));
  std::int64_t count = 0, failures = 0;
  for (const auto& h : e.hours) {
    count += h.count;
    failures += h.failures;
  }
  v.uptime_24h = uptime(count, failures);
}

StatusModel::HourSlot* StatusModel::hour_slot(Entry& e, std::int32_t hour) {
  if (hour > e.latest_hour) {
    const std::int32_t skipped = std::min(hour - e.latest_hour, 24);
    for (std::int32_t h = hour - skipped + 1; h <= hour; ++h)
      e.hours[static_cast<std::size_t>(h % 24)] = {};
    e.latest_hour = hour;
  }
  // A result older than the ring (more than 24 hours late) has no slot.
  if (hour <= e.latest_hour - 24) return nullptr;
  return &e.hours[static_cast<std::size_t>(hour % 24)];
}

void StatusModel::on_result(const Result& r) {
  auto* found = find(r.check);
  if (!found) return;
  auto& e = *found;
  auto& v = edit(e);
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
  if (v.sparkline_ms.size() >= kSparklinePoints) v.sparkline_ms.erase(v.sparkline_ms.begin());
  v.sparkline_ms.push_back(r.status == Status::fail || r.status == Status::unknown
                               ? std::numeric_limits<float>::quiet_NaN()
                               : static_cast<float>(to_ms(r.duration)));
  if (!e.history_loaded) return;
  const bool failed = r.status == Status::fail;
  const auto day = start_of_day(r.started_at);
  if (v.days.empty() || v.days.back().day < day) {
    v.days.push_back({day});
    const auto oldest = day - std::chrono::days{kHistoryDays - 1};
    std::erase_if(v.days, [&](const web::DayBar& b) { return b.day < oldest; });
  }
  if (v.days.back().day == day) {
    auto& bar = v.days.back();
    ++bar.count;
    bar.failures += failed;
    bar.warnings += r.status == Status::warn;
  }
  auto* slot = hour_slot(e, static_cast<std::int32_t>(hour_number(r.started_at)));
  if (slot && slot->count < UINT16_MAX) {
    ++slot->count;
    slot->failures = static_cast<std::uint16_t>(slot->failures + failed);
  }
  update_uptimes(e, clock_.now());
}

void StatusModel::apply_history(std::vector<CheckHistory> history) {
  const TimePoint now = clock_.now();
  for (auto& h : history) {
    auto* found = find(h.check);
    if (!found) continue;
    auto& e = *found;
    edit(e).days = std::move(h.days);
    e.hours.fill({});
    e.latest_hour = 0;
    for (const auto& hour : h.hours) {
      if (auto* slot = hour_slot(e, static_cast<std::int32_t>(hour.hour))) {
        slot->count = static_cast<std::uint16_t>(std::min<std::int64_t>(hour.count, UINT16_MAX));
        slot->failures =
            static_cast<std::uint16_t>(std::min<std::int64_t>(hour.failures, slot->count));
      }
    }
    e.history_loaded = true;
    update_uptimes(e, now);
  }
  page_changed_ = true;
}

void StatusModel::on_state(const state::CheckState& s) {
  auto* found = find(s.check);
  if (!found) return;
  const auto& before = *found->view;
  if (before.state != s.state || before.flapping != s.flapping) page_changed_ = true;
  auto& v = edit(*found);
  v.state = s.state;
  v.since = s.since;
  v.flapping = s.flapping;
  v.open_incident = s.open_incident;
}

void StatusModel::on_incident(const Incident& i) {
  if (i.open()) {
    open_incidents_[i.id] = i;
  } else {
    open_incidents_.erase(i.id);
    std::erase_if(recent_incidents_, [&](const Incident& r) { return r.id == i.id; });
    recent_incidents_.insert(recent_incidents_.begin(), i);
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

void StatusModel::publish(bool force) {
  if (!dirty_) {
    // Nothing changed since the last publication: it is still current.
    current_as_of_ = clock_.now().time_since_epoch().count();
    return;
  }
  if (!force && !wanted_.exchange(false)) {
    release_unread_snapshot();
    return;
  }
  dirty_ = false;
  current_as_of_ = clock_.now().time_since_epoch().count();
  last_published_ = clock_.now();
  auto snap = std::make_shared<web::StatusSnapshot>();
  if (config_) {
    snap->title = config_->title;
    snap->location = config_->location;
    snap->checks.keep_alive(config_);
  }
  snap->generated_at = clock_.now();
  snap->stats = stats_;
  snap->checks.reserve(entries_.size());
  for (const auto& e : entries_) snap->checks.push_back(*e.spec, e.view);
  for (const auto& [id, i] : open_incidents_) snap->open_incidents.push_back(i);
  std::reverse(snap->open_incidents.begin(), snap->open_incidents.end());
  snap->recent_incidents = recent_incidents_;
  snap->site = site_;
  snap->reports = reports_;
  snap->generation = ++generation_;
  // The pages change on transitions, reports and the like; between those only slowly (uptime
  // figures, latencies, the day), so they are refreshed once a minute rather than re-rendered
  // for every result.
  if (page_changed_ || snap->generated_at - page_changed_at_ >= std::chrono::minutes{1}) {
    page_changed_ = false;
    page_changed_at_ = snap->generated_at;
    ++page_generation_;
  }
  snap->page_generation = page_generation_;
  std::lock_guard lock(published_mutex_);
  published_ = std::move(snap);
}

void StatusModel::set_site(std::shared_ptr<const web::SiteSpec> site) {
  site_ = std::move(site);
  dirty_ = page_changed_ = true;
}

void StatusModel::set_reports(std::vector<StatusReport> reports) {
  reports_ = std::move(reports);
  dirty_ = page_changed_ = true;
}

void StatusModel::set_paused(const std::set<std::string, std::less<>>& paused) {
  for (auto& e : entries_) {
    bool p = paused.contains(e.spec->name);
    if (e.view->paused != p) {
      edit(e).paused = p;
      page_changed_ = true;
    }
  }
}

void StatusModel::set_maintenance(const std::set<std::string, std::less<>>& in_maintenance) {
  for (auto& e : entries_) {
    bool m = in_maintenance.contains(e.spec->name);
    if (e.view->in_maintenance != m) {
      edit(e).in_maintenance = m;
      page_changed_ = true;
    }
  }
}

void StatusModel::release_unread_snapshot() {
  // A published snapshot pins the views it holds, so every check edited since then exists
  // twice. When nobody has read it for a few seconds, swap in an empty one and mark it stale:
  // the next reader asks for a fresh snapshot (refresher_) and memory holds one copy per check.
  if (!refresher_ || clock_.now() - last_published_ < std::chrono::seconds{3}) return;
  std::lock_guard lock(published_mutex_);
  if (published_->checks.empty()) return;
  auto empty = std::make_shared<web::StatusSnapshot>();
  if (config_) empty->title = config_->title;
  empty->generated_at = clock_.now();
  empty->site = site_;
  empty->generation = ++generation_;
  // Not the pages' data: a page cached from the last real snapshot must not be served for it.
  page_changed_ = true;
  empty->page_generation = ++page_generation_;
  published_ = std::move(empty);
  current_as_of_ = 0;
}

std::shared_ptr<const web::StatusSnapshot> StatusModel::latest() const {
  // A reader: the control loop keeps publishing (every 250 ms, when anything changed).
  wanted_ = true;
  std::lock_guard lock(published_mutex_);
  return published_;
}

std::shared_ptr<const web::StatusSnapshot> StatusModel::snapshot() const {
  wanted_ = true;
  std::shared_ptr<const web::StatusSnapshot> snap;
  {
    std::lock_guard lock(published_mutex_);
    snap = published_;
  }
  const TimePoint current_as_of{TimePoint::duration{current_as_of_.load()}};
  if (refresher_ && clock_.now() - current_as_of > std::chrono::seconds{1}) {
    refresher_();
    std::lock_guard lock(published_mutex_);
    snap = published_;
  }
  return snap;
}

}  // namespace lk::app
