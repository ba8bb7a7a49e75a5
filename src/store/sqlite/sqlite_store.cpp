#include "store/sqlite/sqlite_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "store/sqlite/migrations.hpp"

namespace lk::store::sqlite {

namespace {

// Opens the write connection, sets the pragmas that make batched writes fast and durable, and
// brings the schema up to date, before anything prepares a statement against it.
Database open_for_writing(const SqliteOptions& options) {
  Database db(options.path, Database::Access::read_write_create, options.busy_timeout);
  // WAL: readers never wait for the writer and the writer never waits for readers.
  const std::string mode = db.query_text("PRAGMA journal_mode = WAL");
  if (mode != "wal")
    spdlog::warn("store {}: journal mode is {}, not wal; reads will wait for writes", db.path(),
                 mode);
  // NORMAL in WAL mode syncs at checkpoints, not at every commit: a process crash loses
  // nothing committed, a power cut at most the latest transactions, and a commit costs no fsync.
  db.exec("PRAGMA synchronous = NORMAL", "set synchronous");
  // Ids in results and rollups are assigned by the writer alone; foreign keys would only add a
  // lookup per inserted row.
  db.exec("PRAGMA foreign_keys = OFF", "set foreign_keys");
  migrate(db);
  return db;
}

}  // namespace

SqliteStore::SqliteStore(SqliteOptions options, const Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      rollup_cache_(options_.rollup_cache_bytes),
      write_db_(open_for_writing(options_)),
      writer_(write_db_, rollup_cache_),
      retention_(write_db_),
      reader_(options_.path, options_.busy_timeout, rollup_cache_),
      queue_(options_.flush_interval, options_.max_batch),
      // The first retention pass comes soon after start, so that a node restarted more often
      // than prune_interval still prunes.
      next_prune_at_(clock_.mono_now() +
                     std::min<Duration>(options_.prune_interval, std::chrono::minutes{1})) {
  writer_thread_ = std::thread([this] { run_writer(); });
}

SqliteStore::~SqliteStore() {
  queue_.stop();
  writer_thread_.join();
}

void SqliteStore::append(Result r) {
  queue_.push(std::move(r));
}

void SqliteStore::commit(StateChange change) {
  queue_.push(std::move(change));
}

void SqliteStore::flush() {
  queue_.flush();
}

std::int64_t SqliteStore::enqueue_notification(Outbound n) {
  return queue_.push(std::move(n)).get();
}

bool SqliteStore::record_attempt(std::int64_t id, Attempt attempt,
                                 std::optional<TimePoint> next_attempt_at) {
  return queue_.push(id, std::move(attempt), next_attempt_at).get();
}

StatusReport SqliteStore::save_report(StatusReport r) {
  const std::int64_t id = r.id;
  return stored_report(queue_.push(SaveReport{std::move(r)}).get(), id);
}

StatusReport SqliteStore::add_report_update(std::int64_t report_id, ReportUpdate update) {
  return stored_report(queue_.push(AddReportUpdate{report_id, std::move(update)}).get(), report_id);
}

bool SqliteStore::delete_report(std::int64_t report_id) {
  return queue_.push(DeleteReport{report_id}).get().found;
}

void SqliteStore::pause_check(CheckPause pause) {
  queue_.push(PauseCheck{std::move(pause)}).get();
}

bool SqliteStore::resume_check(std::string_view check) {
  return queue_.push(ResumeCheck{std::string(check)}).get().found;
}

StatusReport SqliteStore::stored_report(ReportOutcome outcome, std::int64_t report_id) const {
  if (!outcome.found || !outcome.report)
    throw std::invalid_argument("store " + options_.path + ": there is no status report " +
                                std::to_string(report_id));
  return std::move(*outcome.report);
}

std::vector<Result> SqliteStore::results(std::string_view check, TimePoint from, TimePoint to,
                                         std::size_t limit) {
  return reader_.results(check, from, to, limit);
}

std::vector<Rollup> SqliteStore::rollups(std::string_view check, Resolution res, TimePoint from,
                                         TimePoint to) {
  return reader_.rollups(check, res, from, to);
}

void SqliteStore::rollups_many(std::span<const std::string_view> checks, Resolution res,
                               TimePoint from, TimePoint to, const RollupVisitor& visit) {
  reader_.rollups_many(checks, res, from, to, clock_.now(), visit);
}

std::vector<Incident> SqliteStore::incidents(const IncidentQuery& q) {
  return reader_.incidents(q);
}

std::vector<Transition> SqliteStore::transitions(std::string_view check, TimePoint from,
                                                 TimePoint to, std::size_t limit) {
  return reader_.transitions(check, from, to, limit);
}

std::vector<std::pair<std::string, std::string>> SqliteStore::load_check_states() {
  return reader_.load_check_states();
}

std::optional<std::string> SqliteStore::load_meta(std::string_view key) {
  return reader_.load_meta(key);
}

std::int64_t SqliteStore::load_next_incident_id() {
  return reader_.load_next_incident_id();
}

std::vector<Incident> SqliteStore::load_open_incidents() {
  return reader_.load_open_incidents();
}

std::vector<Notification> SqliteStore::due_notifications(TimePoint now, std::size_t limit) {
  return reader_.due_notifications(now, limit);
}

std::vector<Notification> SqliteStore::notifications(const NotificationQuery& q) {
  return reader_.notifications(q);
}

std::vector<StatusReport> SqliteStore::status_reports(const ReportQuery& q) {
  return reader_.status_reports(q);
}

std::optional<StatusReport> SqliteStore::status_report(std::int64_t id) {
  return reader_.status_report(id);
}

std::vector<CheckPause> SqliteStore::paused_checks() {
  return reader_.paused_checks();
}

Stats SqliteStore::stats() const {
  Stats stats;
  stats.results_written = results_written_.load(std::memory_order_relaxed);
  stats.batches_written = batches_written_.load(std::memory_order_relaxed);
  stats.queue_depth = queue_.depth();
  stats.last_batch_ms = last_batch_ms_.load(std::memory_order_relaxed);
  stats.max_batch_ms = max_batch_ms_.load(std::memory_order_relaxed);
  stats.write_failures = write_failures_.load(std::memory_order_relaxed);
  stats.results_dropped = results_dropped_.load(std::memory_order_relaxed);
  return stats;
}

PruneReport SqliteStore::prune(TimePoint now) {
  return queue_.request_prune(now).get();
}

}  // namespace lk::store::sqlite

namespace lk::store {

std::unique_ptr<Store> open_sqlite(const SqliteOptions& options, const Clock& clock) {
  return std::make_unique<sqlite::SqliteStore>(options, clock);
}

}  // namespace lk::store
