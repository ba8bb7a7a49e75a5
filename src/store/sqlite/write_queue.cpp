#include "store/sqlite/write_queue.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace lk::store::sqlite {

namespace {

// Moves `queued` onto the end of `taken`. Called under the lock, so it must stay cheap: when
// `taken` is empty (the usual case) the two vectors are swapped, which also hands the writer's
// emptied buffer, capacity and all, back to the queue. After a failed write `taken` still
// holds the earlier items; then the queued ones are moved out and appended after the unlock.
template <class T>
void take_or_swap(std::vector<T>& taken, std::vector<T>& queued, std::vector<T>& later) {
  if (taken.empty())
    taken.swap(queued);
  else
    later.swap(queued);
}

template <class T>
void append_moved(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

WriteQueue::WriteQueue(Duration flush_interval, std::size_t max_batch)
    : flush_interval_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::max(flush_interval, Duration::zero()))),
      max_batch_(std::max<std::size_t>(max_batch, 1)) {}

void WriteQueue::push(Result result) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (results_.empty()) {
      oldest_result_at_ = std::chrono::steady_clock::now();
      wake = true;  // the writer may be sleeping without a flush deadline
    }
    results_.push_back(std::move(result));
    ++pushed_;
    wake = wake || results_.size() == max_batch_;
  }
  if (wake) writer_wake_.notify_one();
}

void WriteQueue::push(StateChange change) {
  {
    std::lock_guard lock(mutex_);
    changes_.push_back(std::move(change));
    ++pushed_;
  }
  writer_wake_.notify_one();
}

std::future<std::int64_t> WriteQueue::push(Outbound notification) {
  std::future<std::int64_t> id;
  {
    std::lock_guard lock(mutex_);
    enqueues_.push_back(EnqueueRequest{std::move(notification), 0, {}});
    id = enqueues_.back().done.get_future();
    ++pushed_;
  }
  writer_wake_.notify_one();
  return id;
}

std::future<bool> WriteQueue::push(std::int64_t notification_id, Attempt attempt,
                                   std::optional<TimePoint> next_attempt_at) {
  std::future<bool> found;
  {
    std::lock_guard lock(mutex_);
    attempts_.push_back(
        AttemptRequest{notification_id, std::move(attempt), next_attempt_at, false, {}});
    found = attempts_.back().done.get_future();
    ++pushed_;
  }
  writer_wake_.notify_one();
  return found;
}

std::future<ReportOutcome> WriteQueue::push(ReportWrite write) {
  std::future<ReportOutcome> outcome;
  {
    std::lock_guard lock(mutex_);
    reports_.push_back(ReportRequest{std::move(write), {}, {}});
    outcome = reports_.back().done.get_future();
    ++pushed_;
  }
  writer_wake_.notify_one();
  return outcome;
}

std::future<PruneReport> WriteQueue::request_prune(TimePoint now) {
  std::future<PruneReport> report;
  {
    std::lock_guard lock(mutex_);
    prunes_.push_back(PruneRequest{now, {}});
    report = prunes_.back().done.get_future();
  }
  writer_wake_.notify_one();
  return report;
}

void WriteQueue::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = pushed_;
  if (committed_seq_ >= target) return;
  flush_wanted_ = std::max(flush_wanted_, target);
  writer_wake_.notify_one();
  committed_.wait(lock, [&] { return committed_seq_ >= target; });
}

std::uint64_t WriteQueue::depth() const {
  std::lock_guard lock(mutex_);
  return pushed_ - committed_seq_;
}

bool WriteQueue::due_locked(SteadyTime now) const {
  return !changes_.empty() || !enqueues_.empty() || !attempts_.empty() || !reports_.empty() ||
         !prunes_.empty() || results_.size() >= max_batch_ || flush_wanted_ > taken_ ||
         (!results_.empty() && now - oldest_result_at_ >= flush_interval_);
}

bool WriteQueue::due() const {
  std::lock_guard lock(mutex_);
  return due_locked(std::chrono::steady_clock::now());
}

void WriteQueue::wait_until_due(SteadyTime wake_by) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = std::chrono::steady_clock::now();
    if (due_locked(now) || now >= wake_by) return;
    SteadyTime deadline = wake_by;
    if (!results_.empty()) deadline = std::min(deadline, oldest_result_at_ + flush_interval_);
    writer_wake_.wait_until(lock, deadline);
  }
}

void WriteQueue::wait_unless_stopping(SteadyTime until) {
  std::unique_lock lock(mutex_);
  writer_wake_.wait_until(lock, until, [&] { return stopping_; });
}

void WriteQueue::take_into(WriteBatch& batch) {
  std::vector<Result> later_results;
  std::vector<StateChange> later_changes;
  std::vector<EnqueueRequest> later_enqueues;
  std::vector<AttemptRequest> later_attempts;
  std::vector<ReportRequest> later_reports;
  std::vector<PruneRequest> later_prunes;
  {
    std::lock_guard lock(mutex_);
    take_or_swap(batch.results, results_, later_results);
    take_or_swap(batch.changes, changes_, later_changes);
    take_or_swap(batch.enqueues, enqueues_, later_enqueues);
    take_or_swap(batch.attempts, attempts_, later_attempts);
    take_or_swap(batch.reports, reports_, later_reports);
    take_or_swap(batch.prunes, prunes_, later_prunes);
    taken_ = pushed_;
    batch.last_sequence = pushed_;
  }
  append_moved(batch.results, later_results);
  append_moved(batch.changes, later_changes);
  append_moved(batch.enqueues, later_enqueues);
  append_moved(batch.attempts, later_attempts);
  append_moved(batch.reports, later_reports);
  append_moved(batch.prunes, later_prunes);
}

void WriteQueue::take_urgent_into(WriteBatch& batch) {
  std::vector<StateChange> later_changes;
  std::vector<EnqueueRequest> later_enqueues;
  std::vector<AttemptRequest> later_attempts;
  std::vector<ReportRequest> later_reports;
  {
    std::lock_guard lock(mutex_);
    take_or_swap(batch.changes, changes_, later_changes);
    take_or_swap(batch.enqueues, enqueues_, later_enqueues);
    take_or_swap(batch.attempts, attempts_, later_attempts);
    take_or_swap(batch.reports, reports_, later_reports);
  }
  append_moved(batch.changes, later_changes);
  append_moved(batch.enqueues, later_enqueues);
  append_moved(batch.attempts, later_attempts);
  append_moved(batch.reports, later_reports);
}

void WriteQueue::mark_committed(std::uint64_t sequence) {
  {
    std::lock_guard lock(mutex_);
    committed_seq_ = std::max(committed_seq_, sequence);
  }
  committed_.notify_all();
}

void WriteQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  writer_wake_.notify_all();
}

bool WriteQueue::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

}  // namespace lk::store::sqlite
