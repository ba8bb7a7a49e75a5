#include "store/sqlite/reader.hpp"

#include <algorithm>
#include <limits>

#include "store/sqlite/codec.hpp"
#include "store/sqlite/histogram.hpp"
#include "store/sqlite/rollup_math.hpp"

namespace lk::store::sqlite {

namespace {

// Location names are not joined in: the reader maps the few location ids itself (a join
// costs a B-tree search per row, a sixth of a 90-day dashboard read).
constexpr std::string_view kResults = R"(
  SELECT location_id, started_at, duration_us, status, message, dns_us, connect_us, tls_us,
         first_byte_us, total_us, metrics, cert_not_after
  FROM results
  WHERE check_id = (SELECT id FROM checks WHERE name = ?1)
    AND started_at >= ?2 AND started_at < ?3
  ORDER BY started_at, rowid
  LIMIT ?4)";

constexpr std::string_view kRollups = R"(
  SELECT location_id, bucket, count, failures, warnings, lat_min_ms, lat_sum_ms, lat_max_ms,
         histogram
  FROM rollups
  WHERE check_id = (SELECT id FROM checks WHERE name = ?1) AND resolution = ?2
    AND bucket >= ?3 AND bucket < ?4
  ORDER BY bucket, location_id)";

// The rollups of one check for rollups_many(), with the check's id (learnt even when it has
// no rollups in the range, from the row the LEFT JOIN yields with a NULL location). Same key
// range and order as kRollups: no sort.
constexpr std::string_view kRollupsWithId = R"(
  SELECT c.id, r.location_id, r.bucket, r.count, r.failures, r.warnings, r.lat_min_ms,
         r.lat_sum_ms, r.lat_max_ms, r.histogram
  FROM checks AS c
  LEFT JOIN rollups AS r ON r.check_id = c.id AND r.resolution = ?2
    AND r.bucket >= ?3 AND r.bucket < ?4
  WHERE c.name = ?1
  ORDER BY r.bucket, r.location_id)";

constexpr std::string_view kIncidentColumns =
    "SELECT id, check_name, severity, opened_at, closed_at, cause, last_message FROM incidents ";

// Optional filters are NULL or 0 when unset. The table holds one row per outage, small enough
// that the resulting scan (newest first, stopping at the limit) costs nothing.
constexpr std::string_view kIncidentFilters = R"(
  WHERE (?1 IS NULL OR check_name = ?1)
    AND (?2 = 0 OR closed_at IS NULL)
    AND (?3 IS NULL OR closed_at IS NULL OR closed_at >= ?3)
    AND (?4 = 0 OR id < ?4)
  ORDER BY id DESC
  LIMIT ?5)";

constexpr std::string_view kTransitionColumns =
    "SELECT check_name, location, from_state, to_state, hard, at, message FROM transitions ";

// The stored counter, but never at or below an id already used: ids must not repeat even if
// the counter row was lost.
constexpr std::string_view kNextIncidentId = R"(
  SELECT max(coalesce((SELECT value FROM meta WHERE key = 'next_incident_id'), 1),
             coalesce((SELECT max(id) FROM incidents), 0) + 1))";

// Dashboards read the same recent rollups over and over: a page cache large enough to hold
// them, and memory-mapped reads (no copy through read(2) per page), keep those reads in memory.
Database open_for_reading(const std::string& path, Duration busy_timeout) {
  Database db(path, Database::Access::read_only, busy_timeout);
  db.exec("PRAGMA cache_size = -32768", "set cache_size");    // KiB: 32 MiB
  db.exec("PRAGMA mmap_size = 1073741824", "set mmap_size");  // address space, not memory
  return db;
}

std::int64_t sql_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

Incident incident_from_row(const Statement& row) {
  Incident incident;
  incident.id = row.int64(0);
  incident.check = row.text(1);
  incident.severity = state_from_text(row.text(2));
  incident.opened_at = from_epoch_ms(row.int64(3));
  incident.closed_at = from_epoch_ms(row.optional_int64(4));
  incident.cause = row.text(5);
  incident.last_message = row.text(6);
  return incident;
}

Transition transition_from_row(const Statement& row) {
  Transition transition;
  transition.check = row.text(0);
  transition.location = row.text(1);
  transition.from = state_from_text(row.text(2));
  transition.to = state_from_text(row.text(3));
  transition.hard = row.int64(4) != 0;
  transition.at = from_epoch_ms(row.int64(5));
  transition.message = row.text(6);
  return transition;
}

}  // namespace

Reader::Connection::Connection(Database opened)
    : db(std::move(opened)),
      results(db, kResults),
      rollups(db, kRollups),
      rollups_with_id(db, kRollupsWithId),
      write_seq(db, "SELECT coalesce((SELECT value FROM meta WHERE key = 'write_seq'), 0)"),
      incidents(db, std::string(kIncidentColumns) + std::string(kIncidentFilters)),
      transitions_of_check(db, std::string(kTransitionColumns) +
                                   "WHERE check_name = ?1 AND at >= ?2 AND at < ?3 "
                                   "ORDER BY at, id LIMIT ?4"),
      transitions_of_all(db, std::string(kTransitionColumns) +
                                 "WHERE at >= ?2 AND at < ?3 ORDER BY at, id LIMIT ?4"),
      check_states(db, "SELECT check_name, state FROM check_state ORDER BY check_name"),
      next_incident_id(db, kNextIncidentId),
      meta(db, "SELECT value FROM meta WHERE key = ?"),
      open_incidents(db, std::string(kIncidentColumns) + "WHERE closed_at IS NULL ORDER BY id"),
      locations(db, "SELECT id, name FROM locations"),
      outbox(db),
      reports(db) {}

const std::string& Reader::Connection::location_name(std::int64_t id) {
  auto found = location_names.find(id);
  if (found == location_names.end()) {
    // A location new since the last look: reload them all (there are a handful).
    auto q = locations.use();
    while (q->step()) location_names.insert_or_assign(q->int64(0), q->text(1));
    found = location_names.try_emplace(id).first;  // "" if the row is gone: never loop
  }
  return found->second;
}

Reader::Reader(const std::string& path, Duration busy_timeout, DayRollupCache& cache)
    : connection_(open_for_reading(path, busy_timeout)), cache_(cache) {}

std::vector<Result> Reader::results(std::string_view check, TimePoint from, TimePoint to,
                                    std::size_t limit) {
  std::vector<Result> out;
  std::lock_guard lock(mutex_);
  auto q = connection_.results.use();
  q->bind_all(check, to_epoch_ms(from), to_epoch_ms(to), sql_limit(limit));
  while (q->step()) {
    Result& r = out.emplace_back();
    r.check = std::string(check);
    r.location = connection_.location_name(q->int64(0));
    r.started_at = from_epoch_ms(q->int64(1));
    r.duration = from_us(q->int64(2));
    r.status = status_from_code(q->int64(3));
    r.message = q->text(4);
    r.timings.dns = from_us(q->optional_int64(5));
    r.timings.connect = from_us(q->optional_int64(6));
    r.timings.tls = from_us(q->optional_int64(7));
    r.timings.first_byte = from_us(q->optional_int64(8));
    r.timings.total = from_us(q->optional_int64(9));
    if (!q->is_null(10)) r.metrics = decode_metrics(q->text(10));
    r.cert_not_after = from_epoch_ms(q->optional_int64(11));
  }
  return out;
}

std::vector<Rollup> Reader::rollups(std::string_view check, Resolution resolution, TimePoint from,
                                    TimePoint to) {
  std::vector<Rollup> out;
  std::lock_guard lock(mutex_);
  auto q = connection_.rollups.use();
  q->bind_all(check, resolution_code(resolution), to_epoch_ms(from), to_epoch_ms(to));
  while (q->step()) {
    Rollup& rollup = out.emplace_back();
    rollup.check = std::string(check);
    rollup.location = connection_.location_name(q->int64(0));
    rollup.resolution = resolution;
    rollup.bucket = from_epoch_ms(q->int64(1));
    finish_rollup(StoredRollup{q->int64(2), q->int64(3), q->int64(4), q->real(5), q->real(6),
                               q->real(7), q->blob(8)},
                  rollup);
  }
  return out;
}

namespace {

DayRollupCache::Row cache_row(const Rollup& r, std::int64_t location_id) {
  return DayRollupCache::Row{
      static_cast<std::int32_t>(to_epoch_ms(r.bucket) / DayRollupCache::kDayMs),
      static_cast<std::int32_t>(location_id),
      static_cast<std::uint32_t>(r.count),
      static_cast<std::uint32_t>(r.failures),
      static_cast<std::uint32_t>(r.warnings),
      r.latency_min_ms,
      r.latency_avg_ms,
      r.latency_max_ms,
      r.latency_p95_ms};
}

}  // namespace

// One read transaction, and in it each check's rows streamed to `visit` as they are read:
// nothing is collected, so a 90,000-row dashboard costs no large buffer. Per check: what the
// cache holds (completed days, and today when it tracks it), then the rest from SQL, whose
// completed days and today then go into the cache. Warm, a dashboard reads no SQL at all.
void Reader::rollups_many(std::span<const std::string_view> checks, Resolution resolution,
                          TimePoint from, TimePoint to, TimePoint now,
                          const Store::RollupVisitor& visit) {
  const std::int64_t from_ms = to_epoch_ms(from);
  const std::int64_t to_ms = to_epoch_ms(to);
  if (checks.empty() || from_ms >= to_ms) return;
  std::lock_guard lock(mutex_);

  const bool use_cache = cache_.enabled() && resolution == Resolution::day;
  const std::int64_t today_ms = to_epoch_ms(bucket_start(now, Resolution::day));
  const std::int64_t sealed_end_ms = std::min(to_ms, today_ms);
  const bool today_in_range = today_ms >= from_ms && today_ms < to_ms;
  // Before the snapshot is taken: see day_cache.hpp.
  const DayRollupCache::Fill fill =
      use_cache ? cache_.start_fill(today_ms) : DayRollupCache::Fill{};
  ReadTransaction snapshot(connection_.db);
  // The first read takes the snapshot; the write number in it says which writes it holds.
  std::uint64_t snapshot_seq = 0;
  if (use_cache) {
    auto q = connection_.write_seq.use();
    if (q->step()) snapshot_seq = static_cast<std::uint64_t>(q->int64(0));
  }

  Rollup out;
  out.resolution = resolution;
  std::int64_t location_id = -1;
  const auto set_location = [&](std::int64_t id) {
    if (id == location_id) return;
    out.location = connection_.location_name(id);
    location_id = id;
  };
  std::vector<DayRollupCache::Row> cached;
  std::vector<DayRollupCache::Row> sealed;
  std::vector<DayRollupCache::OpenRow> today;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    out.check.assign(checks[i]);
    std::int64_t sql_from = from_ms;
    cached.clear();
    if (use_cache)
      if (auto held = cache_.get(checks[i], from_ms, to_ms, today_ms, cached))
        sql_from = std::max(from_ms, held->to_ms);
    for (const DayRollupCache::Row& row : cached) {
      set_location(row.location_id);
      out.bucket = from_epoch_ms(std::int64_t{row.day} * DayRollupCache::kDayMs);
      out.count = row.count;
      out.failures = row.failures;
      out.warnings = row.warnings;
      out.latency_min_ms = row.latency_min_ms;
      out.latency_avg_ms = row.latency_avg_ms;
      out.latency_max_ms = row.latency_max_ms;
      out.latency_p95_ms = row.latency_p95_ms;
      visit(i, out);
    }
    if (sql_from >= to_ms) continue;

    bool cacheable = use_cache && sql_from < sealed_end_ms;
    bool trackable = use_cache && today_in_range && sql_from <= today_ms;
    std::int64_t check_id = 0;
    sealed.clear();
    today.clear();
    {
      auto q = connection_.rollups_with_id.use();
      q->bind_all(checks[i], resolution_code(resolution), sql_from, to_ms);
      while (q->step()) {
        check_id = q->int64(0);
        if (q->is_null(1)) continue;  // a known check without rollups in the range
        set_location(q->int64(1));
        const std::int64_t bucket_ms = q->int64(2);
        out.bucket = from_epoch_ms(bucket_ms);
        const StoredRollup stored{q->int64(3), q->int64(4), q->int64(5), q->real(6),
                                  q->real(7),  q->real(8),  {}};
        const auto histogram = LatencyHistogram::decode(q->blob(9));
        finish_rollup(stored, histogram ? &*histogram : nullptr, out);
        if (cacheable && bucket_ms < sealed_end_ms) {
          cacheable = DayRollupCache::fits(bucket_ms, location_id,
                                           std::max({out.count, out.failures, out.warnings}));
          if (cacheable) sealed.push_back(cache_row(out, location_id));
        }
        if (trackable && bucket_ms == today_ms) {
          trackable = histogram.has_value();  // else the writer's merges would differ from SQL's
          if (trackable) today.push_back({location_id, stored, *histogram});
        }
        visit(i, out);
      }
    }
    if (check_id == 0) continue;  // no such check: nothing to remember
    if (cacheable)
      cache_.put(checks[i], check_id, sql_from, sealed_end_ms, from_ms,
                 std::vector<DayRollupCache::Row>(sealed.begin(), sealed.end()), fill);
    if (trackable) cache_.track_today(checks[i], today_ms, std::move(today), snapshot_seq);
  }
}

std::vector<Incident> Reader::incidents(const IncidentQuery& query) {
  std::vector<Incident> out;
  std::lock_guard lock(mutex_);
  auto q = connection_.incidents.use();
  q->bind_all(query.check, query.open_only ? 1 : 0, to_epoch_ms(query.since), query.before_id,
              sql_limit(query.limit));
  while (q->step()) out.push_back(incident_from_row(*q));
  return out;
}

std::vector<Transition> Reader::transitions(std::string_view check, TimePoint from, TimePoint to,
                                            std::size_t limit) {
  std::vector<Transition> out;
  std::lock_guard lock(mutex_);
  auto q =
      check.empty() ? connection_.transitions_of_all.use() : connection_.transitions_of_check.use();
  if (!check.empty()) q->bind(1, check);
  q->bind(2, to_epoch_ms(from));
  q->bind(3, to_epoch_ms(to));
  q->bind(4, sql_limit(limit));
  while (q->step()) out.push_back(transition_from_row(*q));
  return out;
}

std::vector<std::pair<std::string, std::string>> Reader::load_check_states() {
  std::vector<std::pair<std::string, std::string>> out;
  std::lock_guard lock(mutex_);
  auto q = connection_.check_states.use();
  while (q->step()) out.emplace_back(q->text(0), q->text(1));
  return out;
}

std::int64_t Reader::load_next_incident_id() {
  std::lock_guard lock(mutex_);
  auto q = connection_.next_incident_id.use();
  return q->step() ? q->int64(0) : 1;
}

std::optional<std::string> Reader::load_meta(std::string_view key) {
  std::lock_guard lock(mutex_);
  const std::string name(key);  // bound by reference until the statement is reset
  auto q = connection_.meta.use();
  q->bind(1, name);
  if (!q->step()) return std::nullopt;
  return q->text(0);
}

std::vector<Incident> Reader::load_open_incidents() {
  std::vector<Incident> out;
  std::lock_guard lock(mutex_);
  auto q = connection_.open_incidents.use();
  while (q->step()) out.push_back(incident_from_row(*q));
  return out;
}

std::vector<Notification> Reader::due_notifications(TimePoint now, std::size_t limit) {
  std::lock_guard lock(mutex_);
  return connection_.outbox.due(now, limit);
}

std::vector<Notification> Reader::notifications(const NotificationQuery& query) {
  std::lock_guard lock(mutex_);
  ReadTransaction snapshot(connection_.db);  // the attempts of the very rows listed
  return connection_.outbox.list(query);
}

std::vector<StatusReport> Reader::status_reports(const ReportQuery& query) {
  std::lock_guard lock(mutex_);
  ReadTransaction snapshot(connection_.db);  // the updates of the very reports listed
  return connection_.reports.list(query);
}

std::optional<StatusReport> Reader::status_report(std::int64_t id) {
  std::lock_guard lock(mutex_);
  ReadTransaction snapshot(connection_.db);
  return connection_.reports.get(id);
}

std::vector<CheckPause> Reader::paused_checks() {
  std::lock_guard lock(mutex_);
  return connection_.reports.paused();
}

}  // namespace lk::store::sqlite
