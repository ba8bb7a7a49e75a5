// The writer thread of SqliteStore: waits for a batch to be due, commits it, retries failed
// writes with backoff (never dropping them), and runs retention.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <span>
#include <stdexcept>

#include "store/sqlite/sqlite_store.hpp"

namespace lk::store::sqlite {

namespace {

using SteadyClock = std::chrono::steady_clock;

// How often an idle writer looks at the retention schedule.
constexpr auto kChoreCheckPeriod = std::chrono::seconds{1};
constexpr auto kFirstRetryDelay = std::chrono::milliseconds{100};
// Short enough that a state change queued during an outage is retried soon after it ends.
constexpr auto kMaxRetryDelay = std::chrono::seconds{5};
// At shutdown a failing write gets a few more quick attempts; then the process must be allowed
// to exit, and what could not be written is reported.
constexpr auto kShutdownRetryDelay = std::chrono::milliseconds{500};
constexpr int kAttemptsAfterStop = 10;

// Delay before retrying a failed write: doubles up to a ceiling, back to the start on success.
class Backoff {
 public:
  SteadyClock::duration delay() const { return delay_; }
  void failed() { delay_ = std::min<SteadyClock::duration>(delay_ * 2, kMaxRetryDelay); }
  void succeeded() { delay_ = kFirstRetryDelay; }

 private:
  SteadyClock::duration delay_ = kFirstRetryDelay;
};

}  // namespace

void SqliteStore::run_writer() {
  WriteBatch batch;  // taken from the queue, not yet committed; survives failed attempts
  Backoff backoff;
  int attempts_after_stop = 0;
  for (;;) {
    if (batch.has_writes()) {
      if (queue_.stopping())
        std::this_thread::sleep_for(
            std::min<SteadyClock::duration>(backoff.delay(), kShutdownRetryDelay));
      else
        queue_.wait_unless_stopping(SteadyClock::now() + backoff.delay());
    } else {
      const auto until_prune = std::clamp<SteadyClock::duration>(
          next_prune_at_ - clock_.mono_now(), SteadyClock::duration::zero(), kChoreCheckPeriod);
      queue_.wait_until_due(SteadyClock::now() + until_prune);
    }
    const bool stopping = queue_.stopping();
    // Woken only for the retention schedule, results not yet due stay queued to batch up.
    if (stopping || batch.has_writes() || queue_.due()) queue_.take_into(batch);

    if (batch.has_writes()) {
      if (write_pending(batch)) {
        backoff.succeeded();
      } else {
        backoff.failed();
        drop_excess_results(batch);
        if (stopping && ++attempts_after_stop >= kAttemptsAfterStop) {
          abandon(batch);
          return;
        }
        continue;
      }
    }
    run_prune_requests(batch);
    if (stopping) {
      if (!batch.has_writes() && batch.prunes.empty()) return;
      continue;
    }
    run_scheduled_prune(batch);
  }
}

bool SqliteStore::write_pending(WriteBatch& batch) {
  // Results go in transactions of at most max_batch; the state changes, outbox and report writes
  // ride with the first, so they never wait behind a backlog of results.
  const std::size_t max_batch = std::max<std::size_t>(options_.max_batch, 1);
  const std::span<const Result> results(batch.results);
  std::size_t written = 0;
  bool all_written = true;
  while (written < results.size() || !batch.changes.empty() || batch.has_awaited_writes()) {
    const std::size_t count = std::min(max_batch, results.size() - written);
    const auto started = SteadyClock::now();
    try {
      writer_.write(results.subspan(written, count), batch.changes, batch.enqueues, batch.attempts,
                    batch.reports);
    } catch (const std::exception& e) {
      write_failures_.fetch_add(1, std::memory_order_relaxed);
      spdlog::error(
          "store {}: writing {} results, {} state changes, {} outbox and {} report writes failed; "
          "they stay queued and the write is retried with backoff: {}",
          options_.path, results.size() - written, batch.changes.size(),
          batch.enqueues.size() + batch.attempts.size(), batch.reports.size(), e.what());
      all_written = false;
      break;
    }
    const double ms =
        std::chrono::duration<double, std::milli>(SteadyClock::now() - started).count();
    last_batch_ms_.store(ms, std::memory_order_relaxed);
    if (ms > max_batch_ms_.load(std::memory_order_relaxed))
      max_batch_ms_.store(ms, std::memory_order_relaxed);
    batches_written_.fetch_add(1, std::memory_order_relaxed);
    results_written_.fetch_add(count, std::memory_order_relaxed);
    written += count;
    batch.changes.clear();
    // Committed: the callers blocked in enqueue_notification(), record_attempt() and the report
    // writes may go.
    for (EnqueueRequest& request : batch.enqueues) request.done.set_value(request.id);
    for (AttemptRequest& request : batch.attempts) request.done.set_value(request.found);
    for (ReportRequest& request : batch.reports) request.done.set_value(std::move(request.outcome));
    batch.enqueues.clear();
    batch.attempts.clear();
    batch.reports.clear();
    // A backlog of results is many transactions: what arrived meanwhile and someone waits for
    // goes in the next one, not after the backlog.
    if (written < results.size()) queue_.take_urgent_into(batch);
  }
  // erase, not a fresh vector: the buffer's capacity goes back to the queue on the next take.
  batch.results.erase(batch.results.begin(),
                      batch.results.begin() + static_cast<std::ptrdiff_t>(written));
  if (all_written) queue_.mark_committed(batch.last_sequence);
  return all_written;
}

void SqliteStore::run_prune_requests(WriteBatch& batch) {
  // A prune may take new work into the batch between its chunks (further prune requests
  // among it). If that work could not be written, later requests wait: each must run after
  // what was queued before it.
  while (!batch.prunes.empty() && !batch.has_writes()) {
    PruneRequest request = std::move(batch.prunes.front());
    batch.prunes.erase(batch.prunes.begin());
    try {
      request.done.set_value(prune_now(request.now, batch));
    } catch (...) {
      request.done.set_exception(std::current_exception());
    }
  }
}

PruneReport SqliteStore::prune_now(TimePoint now, WriteBatch& batch) {
  const RetentionPolicy policy{options_.raw_retention, options_.minute_rollup_retention,
                               options_.hour_rollup_retention};
  // A large prune is many short transactions; between them, whatever became due (a state
  // change above all) is committed, so it is not held up behind the prune.
  const std::function<void()> between_chunks = [&] {
    if (!queue_.due()) return;
    queue_.take_into(batch);
    if (batch.has_writes()) write_pending(batch);
  };
  const auto started = SteadyClock::now();
  const PruneReport report = retention_.prune(now, policy, between_chunks);
  if (report.raw_results + report.minute_rollups + report.hour_rollups > 0) {
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    spdlog::info(
        "store {}: retention deleted {} raw results, {} minute and {} hour rollups in {:.1f}s",
        options_.path, report.raw_results, report.minute_rollups, report.hour_rollups, seconds);
  }
  return report;
}

void SqliteStore::run_scheduled_prune(WriteBatch& batch) {
  if (clock_.mono_now() < next_prune_at_) return;
  next_prune_at_ = clock_.mono_now() + options_.prune_interval;
  try {
    prune_now(clock_.now(), batch);
  } catch (const std::exception& e) {
    spdlog::error("store {}: retention failed, trying again in {}s: {}", options_.path,
                  std::chrono::duration_cast<std::chrono::seconds>(options_.prune_interval).count(),
                  e.what());
  }
}

void SqliteStore::drop_excess_results(WriteBatch& batch) {
  if (batch.results.size() <= options_.max_pending_results) return;
  // The oldest go first: the newest results say most about the present, and the rollups of
  // the dropped minutes are lost either way.
  const std::size_t excess = batch.results.size() - options_.max_pending_results;
  batch.results.erase(batch.results.begin(),
                      batch.results.begin() + static_cast<std::ptrdiff_t>(excess));
  results_dropped_.fetch_add(excess, std::memory_order_relaxed);
  spdlog::error(
      "store {}: dropped the {} oldest results: writes keep failing and at most {} results wait "
      "in memory (state changes are kept)",
      options_.path, excess, options_.max_pending_results);
}

void SqliteStore::abandon(WriteBatch& batch) {
  spdlog::error(
      "store {}: shutting down with {} results, {} state changes, {} outbox and {} report writes "
      "that could not be written",
      options_.path, batch.results.size(), batch.changes.size(),
      batch.enqueues.size() + batch.attempts.size(), batch.reports.size());
  for (PruneRequest& request : batch.prunes)
    request.done.set_exception(std::make_exception_ptr(
        std::runtime_error("store " + options_.path + ": shut down before retention ran")));
  const auto not_written = [&] {
    return std::make_exception_ptr(std::runtime_error(
        "store " + options_.path + ": shut down before the write could be committed"));
  };
  for (EnqueueRequest& request : batch.enqueues) request.done.set_exception(not_written());
  for (AttemptRequest& request : batch.attempts) request.done.set_exception(not_written());
  for (ReportRequest& request : batch.reports) request.done.set_exception(not_written());
  // Nothing legitimately waits in flush() during destruction, but never leave a waiter hanging.
  queue_.mark_committed(batch.last_sequence);
}

}  // namespace lk::store::sqlite
