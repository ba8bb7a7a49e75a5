#pragma once
// The Store interface: raw results in batches, rollups, incidents, transitions, state, and the
// notification outbox.
// Writes are queued to one writer thread; reads use their own connection. Thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/incident.hpp"
#include "core/result.hpp"
#include "core/status_page.hpp"
#include "store/outbox.hpp"

namespace lk::store {

enum class Resolution { minute, hour, day };

/// Aggregate of the results of one check at one location in one time bucket.
struct Rollup {
  std::string check;
  std::string location;
  Resolution resolution = Resolution::minute;
  TimePoint bucket{};  ///< start of the bucket (UTC)
  std::int64_t count = 0;
  std::int64_t failures = 0;  ///< results with status fail
  std::int64_t warnings = 0;  ///< results with status warn
  double latency_min_ms = 0;
  double latency_avg_ms = 0;
  double latency_max_ms = 0;
  double latency_p95_ms = 0;
};

/// What the state engine decided in one step; committed atomically and promptly (not batched
/// with raw results), so a kill -9 never loses a transition or an incident.
struct StateChange {
  std::vector<Transition> transitions;
  std::vector<Incident> incidents;  ///< opened, updated or closed (upsert by id)
  std::vector<std::pair<std::string, std::string>> check_states;  ///< check -> encoded state
  std::vector<std::string> removed_checks;                        ///< state rows to delete
  std::optional<std::int64_t> next_incident_id;
  /// Single values by key (the alert router's state, the ack-link key), replaced whole.
  std::vector<std::pair<std::string, std::string>> meta;
};

struct IncidentQuery {
  std::optional<std::string> check;
  bool open_only = false;
  std::optional<TimePoint> since;  ///< opened or still open after this
  std::size_t limit = 100;
  std::int64_t before_id = 0;  ///< paging: only ids below this (0 = from the newest)
};

/// Which status reports to read (every field narrows; defaults: all kinds, newest first).
struct ReportQuery {
  std::optional<ReportKind> kind;
  std::optional<bool> open;              ///< true: not resolved/completed; false: closed only
  std::optional<std::string> component;  ///< concerning this component id, or every component
  std::optional<std::int64_t> incident;  ///< opened for this detected incident (Incident::id)
  std::optional<TimePoint> since;        ///< updated at or after
  std::size_t limit = 50;
  std::int64_t before_id = 0;  ///< paging: only ids below this (0 = from the newest)
};

struct Stats {
  std::uint64_t results_written = 0;
  std::uint64_t batches_written = 0;
  std::uint64_t queue_depth = 0;  ///< results and state changes queued, not yet committed
  double last_batch_ms = 0;       ///< wall time of the latest write transaction
  double max_batch_ms = 0;
  std::uint64_t write_failures = 0;   ///< write transactions that failed (then retried)
  std::uint64_t results_dropped = 0;  ///< oldest results given up while writes kept failing
};

class Store {
 public:
  virtual ~Store() = default;

  // Writes: never block on disk; queued to the writer thread.
  virtual void append(Result r) = 0;
  virtual void commit(StateChange change) = 0;
  /// Blocks until everything queued before the call is committed.
  virtual void flush() = 0;

  // The notification outbox. These block until their write is committed (a kill -9 after the
  // return loses nothing), typically a few milliseconds; they ride in the writer's next
  // transaction, so they neither wait for the results' flush interval nor delay results.
  // Call them from a worker thread, never from an io thread. They throw std::runtime_error
  // only when the store is destroyed with the write still failing (nothing was committed).

  /// Stores `n` as pending and returns its id. When (channel, idempotency_key) is already
  /// stored, returns that notification's id and changes nothing.
  virtual std::int64_t enqueue_notification(Outbound n) = 0;
  /// Records an attempt. With `next_attempt_at` the notification stays pending until then
  /// (unless the attempt sent it); without, it ends: sent when the attempt sent it, failed
  /// otherwise. False when there is no notification `id` (nothing recorded).
  virtual bool record_attempt(std::int64_t id, Attempt attempt,
                              std::optional<TimePoint> next_attempt_at) = 0;

  // Reads. They see what is committed (call flush() first to read your own writes), never wait
  // for the writer, and throw std::runtime_error only when the database itself fails.
  // Time ranges are half-open: [from, to).

  /// Raw results of a check started in [from, to), oldest first, at most `limit`.
  virtual std::vector<Result> results(std::string_view check, TimePoint from, TimePoint to,
                                      std::size_t limit) = 0;
  /// Rollups of a check (every location) whose bucket starts in [from, to), by bucket then
  /// location.
  virtual std::vector<Rollup> rollups(std::string_view check, Resolution res, TimePoint from,
                                      TimePoint to) = 0;
  /// Called with the index of the check in `checks` and one of its rollups.
  using RollupVisitor = std::function<void(std::size_t check_index, const Rollup& rollup)>;
  /// The rollups of many checks in one read (what a dashboard of every check needs): calls
  /// `visit` for each rollup that rollups(checks[i], ...) would return, check by check in the
  /// order given, each check's rows in the same order. A name with no rollups (or no such
  /// check) gets no call. The Rollup is only valid during the call.
  virtual void rollups_many(std::span<const std::string_view> checks, Resolution res,
                            TimePoint from, TimePoint to, const RollupVisitor& visit) = 0;
  /// Incidents matching `q`, newest (highest id) first.
  virtual std::vector<Incident> incidents(const IncidentQuery& q) = 0;
  /// Transitions of a check (every check when `check` is empty) in [from, to), oldest first.
  virtual std::vector<Transition> transitions(std::string_view check, TimePoint from, TimePoint to,
                                              std::size_t limit) = 0;
  /// Persisted check states (check -> encoded state) and the next incident id.
  virtual std::vector<std::pair<std::string, std::string>> load_check_states() = 0;
  /// 1 on a new database; never at or below the id of a stored incident.
  virtual std::int64_t load_next_incident_id() = 0;
  /// Incidents not closed, oldest first.
  virtual std::vector<Incident> load_open_incidents() = 0;
  /// A single value written through StateChange::meta, or nullopt.
  virtual std::optional<std::string> load_meta(std::string_view key) = 0;
  /// Pending notifications with next_attempt_at <= now, earliest due first (then by id), at
  /// most `limit`; their `attempts` are left empty.
  virtual std::vector<Notification> due_notifications(TimePoint now, std::size_t limit) = 0;
  /// Notifications matching `q`, newest (highest id) first, each with its attempts.
  virtual std::vector<Notification> notifications(const NotificationQuery& q) = 0;

  // Status reports (incidents and maintenance posted on the status pages) and runtime check
  // pauses. Low volume, written by people and by the daemon on incidents: the writes block
  // until committed (like the outbox) and return what was stored.

  /// Creates a report (r.id == 0: assigns it and its updates ids; created_at/updated_at are
  /// kept as given) or replaces an existing one's fields (title, state, impact, components,
  /// incidents, times); `updates` of an existing report are left alone. Returns the stored
  /// report with its updates. Throws std::invalid_argument when r.id names no report.
  virtual StatusReport save_report(StatusReport r);
  /// Appends an update to report `report_id` and sets the report's state and updated_at from it
  /// (resolved_at when the state closes it, cleared when it reopens). Returns the stored report.
  /// Throws std::invalid_argument when there is no such report.
  virtual StatusReport add_report_update(std::int64_t report_id, ReportUpdate update);
  /// Deletes a report and its updates (a mistaken post). False when there was none.
  virtual bool delete_report(std::int64_t report_id);
  /// Reports matching `q`, newest (highest id) first, each with its updates (newest first).
  virtual std::vector<StatusReport> status_reports(const ReportQuery& q);
  virtual std::optional<StatusReport> status_report(std::int64_t id);
  /// Pauses a check (replacing an earlier pause of it) or resumes it; resume returns false when
  /// it was not paused.
  virtual void pause_check(CheckPause pause);
  virtual bool resume_check(std::string_view check);
  virtual std::vector<CheckPause> paused_checks();

  virtual Stats stats() const = 0;
};

struct SqliteOptions {
  std::string path;                                  ///< database file
  Duration flush_interval{std::chrono::seconds{1}};  ///< raw results flushed at least this often
  Duration raw_retention{std::chrono::hours{24 * 30}};
  std::size_t max_batch = 5000;                       ///< results per write transaction
  Duration busy_timeout{std::chrono::seconds{5}};     ///< wait for a lock held by another process
  Duration prune_interval{std::chrono::minutes{10}};  ///< how often retention runs
  Duration minute_rollup_retention{std::chrono::hours{24 * 8}};
  Duration hour_rollup_retention{std::chrono::hours{24 * 400}};  ///< day rollups are kept forever
  /// While writes fail, at most this many results wait in memory (the oldest are dropped
  /// beyond it, so a long disk-full does not exhaust memory); state changes are never dropped.
  std::size_t max_pending_results = 1'000'000;
  /// Memory for the day rollups of completed days that rollups_many() keeps, so that a
  /// dashboard of 90 days reads only today's rows from SQLite (0 = no cache). About 5 KB holds
  /// 90 days of one check at one location; the least recently read checks are evicted.
  std::size_t rollup_cache_bytes = 8 << 20;
};

/// Opens (creating and migrating as needed) a SQLite store and starts its writer thread.
/// Throws std::runtime_error naming the file when it cannot be opened or migrated (startup).
std::unique_ptr<Store> open_sqlite(const SqliteOptions& options, const Clock& clock);

}  // namespace lk::store
