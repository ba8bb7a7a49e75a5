#pragma once
// The hand-over between the threads that append and commit and the one writer thread. Callers
// hold the lock only to push one item; the writer takes everything at once by swapping vectors.
//
// The writer wakes when a batch is due: a StateChange, an outbox write or a report write is
// queued (it must be durable promptly), max_batch results are queued, the oldest queued result has
// waited flush_interval, a flush() waits for something not yet taken, or a prune was requested.
//
// Waits use the real steady clock, not the injected Clock: they pace a thread, they decide
// nothing a test needs to simulate.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "store/store.hpp"

namespace lk::store::sqlite {

/// What one retention pass deleted.
struct PruneReport {
  std::uint64_t raw_results = 0;
  std::uint64_t minute_rollups = 0;
  std::uint64_t hour_rollups = 0;
};

struct PruneRequest {
  TimePoint now;
  std::promise<PruneReport> done;
};

/// enqueue_notification(): the writer sets `id` in its transaction and fulfils `done` with it
/// once that transaction is committed (a failed transaction is retried; `id` is set again).
struct EnqueueRequest {
  Outbound notification;
  std::int64_t id = 0;
  std::promise<std::int64_t> done;
};

/// record_attempt(): like EnqueueRequest, `found` is set in the transaction, `done` after it.
struct AttemptRequest {
  std::int64_t notification_id = 0;
  Attempt attempt;
  std::optional<TimePoint> next_attempt_at;
  bool found = false;
  std::promise<bool> done;
};

// The status-report and pause writes, one type per Store call.
struct SaveReport {
  StatusReport report;
};
struct AddReportUpdate {
  std::int64_t report_id = 0;
  ReportUpdate update;
};
struct DeleteReport {
  std::int64_t report_id = 0;
};
struct PauseCheck {
  CheckPause pause;
};
struct ResumeCheck {
  std::string check;
};
using ReportWrite =
    std::variant<SaveReport, AddReportUpdate, DeleteReport, PauseCheck, ResumeCheck>;

/// What a report write found and stored.
struct ReportOutcome {
  bool found = false;  ///< the report (or pause) named existed; true for a new report or pause
  std::optional<StatusReport> report;  ///< save and add-update: the report as committed
};

/// save_report() ... resume_check(): like EnqueueRequest, `outcome` is set in the transaction
/// (again when a failed one is retried), `done` is fulfilled with it after the commit.
struct ReportRequest {
  ReportWrite write;
  ReportOutcome outcome;
  std::promise<ReportOutcome> done;
};

/// Work the writer took from the queue and has not committed yet (kept across failed attempts).
struct WriteBatch {
  std::vector<Result> results;
  std::vector<StateChange> changes;
  std::vector<EnqueueRequest> enqueues;
  std::vector<AttemptRequest> attempts;
  std::vector<ReportRequest> reports;
  std::vector<PruneRequest> prunes;
  std::uint64_t last_sequence = 0;  ///< every item pushed up to this number is in here

  /// Writes a caller blocks on until they are committed.
  bool has_awaited_writes() const {
    return !enqueues.empty() || !attempts.empty() || !reports.empty();
  }
  bool has_writes() const { return !results.empty() || !changes.empty() || has_awaited_writes(); }
};

class WriteQueue {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  WriteQueue(Duration flush_interval, std::size_t max_batch);

  void push(Result result);
  void push(StateChange change);
  std::future<std::int64_t> push(Outbound notification);
  std::future<bool> push(std::int64_t notification_id, Attempt attempt,
                         std::optional<TimePoint> next_attempt_at);
  std::future<ReportOutcome> push(ReportWrite write);
  std::future<PruneReport> request_prune(TimePoint now);

  /// Caller side: blocks until everything pushed before the call is committed.
  void flush();
  /// Results, state changes, outbox and report writes pushed and not yet committed.
  std::uint64_t depth() const;

  /// Writer side: blocks until a batch is due, `wake_by` passes, or stop() is called.
  void wait_until_due(SteadyTime wake_by);
  /// Writer side: blocks until `until` or stop() (the pause between retries of a failed write).
  void wait_unless_stopping(SteadyTime until);
  /// Writer side: true when a batch is due now.
  bool due() const;
  /// Writer side: moves everything queued to the end of `batch`.
  void take_into(WriteBatch& batch);
  /// Writer side: moves only the queued state changes, outbox and report writes, which someone
  /// waits for, so that they ride in the next chunk of a large batch of results rather than after
  /// all of it. Leaves the results and the sequence numbers as they are.
  void take_urgent_into(WriteBatch& batch);
  /// Writer side: everything up to `sequence` is durable; releases the flush() callers.
  void mark_committed(std::uint64_t sequence);

  void stop();
  bool stopping() const;

 private:
  bool due_locked(SteadyTime now) const;

  const std::chrono::steady_clock::duration flush_interval_;
  const std::size_t max_batch_;

  mutable std::mutex mutex_;
  std::condition_variable writer_wake_;
  std::condition_variable committed_;
  std::vector<Result> results_;
  std::vector<StateChange> changes_;
  std::vector<EnqueueRequest> enqueues_;
  std::vector<AttemptRequest> attempts_;
  std::vector<ReportRequest> reports_;
  std::vector<PruneRequest> prunes_;
  SteadyTime oldest_result_at_{};
  // Sequence numbers: every pushed result or change gets the next one.
  std::uint64_t pushed_ = 0;
  std::uint64_t taken_ = 0;
  std::uint64_t committed_seq_ = 0;
  std::uint64_t flush_wanted_ = 0;  ///< highest sequence a flush() caller waits for
  bool stopping_ = false;
};

}  // namespace lk::store::sqlite
