#pragma once
// The embedded SQLite Store. One writer thread owns the write connection and commits queued
// results and state changes in batched transactions; reads go through a separate read-only
// connection. WAL journal with synchronous=NORMAL: a committed transaction survives kill -9
// (only a power cut may lose the last few, never corrupt the file).

#include <atomic>
#include <cstdint>
#include <thread>

#include "core/time.hpp"
#include "store/sqlite/batch_writer.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/day_cache.hpp"
#include "store/sqlite/reader.hpp"
#include "store/sqlite/retention.hpp"
#include "store/sqlite/write_queue.hpp"
#include "store/store.hpp"

namespace lk::store::sqlite {

class SqliteStore final : public Store {
 public:
  /// Opens (creating and migrating as needed) the database and starts the writer thread.
  /// Throws std::runtime_error naming the file when it cannot be opened or migrated.
  SqliteStore(SqliteOptions options, const Clock& clock);
  /// Commits everything queued, then stops the writer thread.
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  void append(Result r) override;
  void commit(StateChange change) override;
  void flush() override;
  std::int64_t enqueue_notification(Outbound n) override;
  bool record_attempt(std::int64_t id, Attempt attempt,
                      std::optional<TimePoint> next_attempt_at) override;
  StatusReport save_report(StatusReport r) override;
  StatusReport add_report_update(std::int64_t report_id, ReportUpdate update) override;
  bool delete_report(std::int64_t report_id) override;
  void pause_check(CheckPause pause) override;
  bool resume_check(std::string_view check) override;

  std::vector<Result> results(std::string_view check, TimePoint from, TimePoint to,
                              std::size_t limit) override;
  std::vector<Rollup> rollups(std::string_view check, Resolution res, TimePoint from,
                              TimePoint to) override;
  void rollups_many(std::span<const std::string_view> checks, Resolution res, TimePoint from,
                    TimePoint to, const RollupVisitor& visit) override;
  std::vector<Incident> incidents(const IncidentQuery& q) override;
  std::vector<Transition> transitions(std::string_view check, TimePoint from, TimePoint to,
                                      std::size_t limit) override;
  std::vector<std::pair<std::string, std::string>> load_check_states() override;
  std::int64_t load_next_incident_id() override;
  std::optional<std::string> load_meta(std::string_view key) override;
  std::vector<Incident> load_open_incidents() override;
  std::vector<Notification> due_notifications(TimePoint now, std::size_t limit) override;
  std::vector<Notification> notifications(const NotificationQuery& q) override;
  std::vector<StatusReport> status_reports(const ReportQuery& q) override;
  std::optional<StatusReport> status_report(std::int64_t id) override;
  std::vector<CheckPause> paused_checks() override;

  Stats stats() const override;

  /// Runs retention as of `now` and waits for it, after what was queued before the call is
  /// written. (The writer also runs it by itself every prune_interval, as of clock.now().)
  PruneReport prune(TimePoint now);

  /// The cache of completed day rollups behind rollups_many() (for tests and figures).
  const DayRollupCache& rollup_cache() const { return rollup_cache_; }

 private:
  // Writer thread (writer_thread.cpp).
  void run_writer();
  bool write_pending(WriteBatch& batch);
  void run_prune_requests(WriteBatch& batch);
  PruneReport prune_now(TimePoint now, WriteBatch& batch);
  void run_scheduled_prune(WriteBatch& batch);
  void drop_excess_results(WriteBatch& batch);
  void abandon(WriteBatch& batch);

  /// The report as committed by a save or an add-update; throws std::invalid_argument naming
  /// `report_id` when there was no such report.
  StatusReport stored_report(ReportOutcome outcome, std::int64_t report_id) const;

  const SqliteOptions options_;
  const Clock& clock_;
  DayRollupCache rollup_cache_;  // before the writer and the reader, which both use it
  Database write_db_;            // declared before everything that uses it: closed last
  BatchWriter writer_;
  Retention retention_;
  Reader reader_;
  WriteQueue queue_;
  MonoTime next_prune_at_;  // writer thread only

  std::atomic<std::uint64_t> results_written_{0};
  std::atomic<std::uint64_t> batches_written_{0};
  std::atomic<std::uint64_t> write_failures_{0};
  std::atomic<std::uint64_t> results_dropped_{0};
  std::atomic<double> last_batch_ms_{0};
  std::atomic<double> max_batch_ms_{0};

  std::thread writer_thread_;  // last: starts once everything above exists
};

}  // namespace lk::store::sqlite
