#include "alert/outbox/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include "alert/notify/message_codec.hpp"

namespace lk::alert {

Dispatcher::Dispatcher(store::Store& store, const Clock& clock, DispatcherOptions options,
                       FailureHandler on_failure)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      on_failure_(std::move(on_failure)) {
  sender_ = std::make_unique<deliver::HttpSender>(
      [this](std::function<void()> task) {
        // Completions come back as tasks; run them on the worker (they touch the store).
        task();
      },
      options_.sender, options_.sender_threads);
  worker_ = std::thread([this] { run(); });
}

Dispatcher::~Dispatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  flushed_.notify_all();
  worker_.join();
  // In-flight requests are aborted; their notifications stay pending and go out after a
  // restart.
  sender_.reset();
}

void Dispatcher::set_notifiers(std::vector<Notifier> notifiers) {
  std::lock_guard lock(mutex_);
  notifiers_ = std::move(notifiers);
  // Every configured notifier gets its series at once (at zero), so that rate() and alerts on
  // them work before its first notification; removed ones keep their counters.
  for (const auto& n : notifiers_) stats_.notifiers[n.name].type = n.type;
}

void Dispatcher::submit(std::vector<Dispatch> dispatches, std::optional<std::string> router_state) {
  if (dispatches.empty() && !router_state) return;
  {
    std::lock_guard lock(mutex_);
    for (auto& d : dispatches) submitted_.push_back(std::move(d));
    if (router_state) router_state_ = std::move(router_state);
    ++submit_seq_;
  }
  wake_.notify_all();
}

void Dispatcher::flush() {
  std::unique_lock lock(mutex_);
  const auto target = submit_seq_;
  flushed_.wait(lock, [&] { return stopping_ || enqueued_seq_ >= target; });
}

DispatcherStats Dispatcher::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

const Notifier* Dispatcher::notifier(const std::string& name) const {
  for (const auto& n : notifiers_)
    if (n.name == name) return &n;
  return nullptr;
}

void Dispatcher::load_pending() {
  // The outbox outlives the process: what an earlier run left pending is queued now too.
  try {
    store::NotificationQuery newest;
    newest.limit = 1;
    if (auto top = store_.notifications(newest); !top.empty()) newest_id_ = top.front().id;
    store::NotificationQuery page;
    page.state = store::NotificationState::pending;
    page.limit = 1000;
    // Bounded: a page is at most `limit` rows, and ids only go down from page to page.
    for (int pages = 0; pages < 100'000; ++pages) {
      auto rows = store_.notifications(page);
      std::lock_guard lock(mutex_);
      for (const auto& n : rows)
        if (pending_.insert(n.id).second) {
          ++stats_.notifiers[n.outbound.channel].queued;
          ++stats_.queued;
        }
      if (rows.size() < page.limit) break;
      page.before_id = rows.back().id;
    }
  } catch (const std::exception& e) {
    spdlog::warn("outbox: cannot count the pending notifications: {}", e.what());
  }
}

void Dispatcher::run() {
  load_pending();
  for (;;) {
    std::vector<Dispatch> batch;
    std::vector<Completion> done;
    std::optional<std::string> state;
    std::uint64_t seq = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.poll, [&] {
        return stopping_ || !submitted_.empty() || !completions_.empty() ||
               router_state_.has_value();
      });
      if (stopping_) return;
      batch.swap(submitted_);
      done.swap(completions_);
      seq = submit_seq_;
      state.swap(router_state_);
    }
    if (!batch.empty()) enqueue(batch);
    if (state && batch.empty()) {
      store::StateChange change;
      change.meta.emplace_back(std::string(kRouterStateKey), std::move(*state));
      store_.commit(std::move(change));
      state.reset();
    }
    {
      std::lock_guard lock(mutex_);
      if (batch.empty()) enqueued_seq_ = std::max(enqueued_seq_, seq);
      // Not all are in the outbox yet: the state waits for them (unless a newer one came).
      if (state && !router_state_) router_state_ = std::move(state);
    }
    flushed_.notify_all();
    if (!batch.empty()) {
      // The store refused writes: pause rather than spin, then try them again.
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds{1}, [&] { return stopping_; });
    }
    for (auto& c : done) finish(std::move(c));
    start_due();
  }
}

void Dispatcher::enqueue(std::vector<Dispatch>& batch) {
  const TimePoint now = clock_.now();
  std::vector<Dispatch> failed;
  for (auto& d : batch) {
    store::Outbound o;
    o.created_at = now;
    o.channel = d.channel;
    o.kind = d.kind;
    o.check = d.message.check;
    if (d.message.incident_id) o.incident_id = d.message.incident_id;
    o.idempotency_key = d.key;
    o.payload = encode(d.message);
    o.next_attempt_at = now;
    try {
      const std::int64_t id = store_.enqueue_notification(std::move(o));
      std::lock_guard lock(mutex_);
      // An id at or below the newest one is a replayed key: already counted, or already ended.
      if (id > newest_id_) {
        newest_id_ = id;
        pending_.insert(id);
        auto& per = stats_.notifiers[d.channel];
        ++per.enqueued;
        ++per.queued;
        ++stats_.enqueued;
        ++stats_.queued;
      }
    } catch (const std::exception& e) {
      // Kept in memory and tried again: an alert is never dropped because a write failed.
      spdlog::error("outbox: could not store a notification for {}: {}", d.channel, e.what());
      std::lock_guard lock(mutex_);
      ++stats_.enqueue_errors;
      failed.push_back(std::move(d));
    }
  }
  batch = std::move(failed);
  if (!batch.empty()) {
    std::lock_guard lock(mutex_);
    for (auto& d : batch) submitted_.push_back(std::move(d));
  }
}

void Dispatcher::start_due() {
  const TimePoint now = clock_.now();
  std::vector<store::Notification> due;
  try {
    due = store_.due_notifications(now, options_.batch + in_flight_.size());
  } catch (const std::exception& e) {
    spdlog::error("outbox: cannot read due notifications: {}", e.what());
    return;
  }
  for (auto& n : due) {
    if (in_flight_.contains(n.id)) continue;
    const std::string& channel = n.outbound.channel;
    std::optional<Request> request;
    Duration timeout{};
    std::string problem;
    {
      std::lock_guard lock(mutex_);
      const Notifier* notifier = this->notifier(channel);
      auto message = decode_message(n.outbound.payload);
      if (!notifier || !notifier->kind || !notifier->settings) {
        problem = "notifier " + channel + " is not configured (any more)";
      } else if (!message) {
        problem = "the stored message is unreadable";
      } else {
        try {
          request = notifier->kind->build(*message, *notifier->settings);
          timeout = notifier->timeout;
        } catch (const std::exception& e) {
          problem = std::string("could not build the request: ") + e.what();
        }
      }
    }
    if (!request) {
      store::Attempt a;
      a.at = now;
      a.outcome = store::AttemptOutcome::permanent;
      a.error = problem;
      store_.record_attempt(n.id, a, std::nullopt);
      spdlog::error("notification #{} to {} dropped: {}", n.id, channel, problem);
      std::lock_guard lock(mutex_);
      auto& per = stats_.notifiers[channel];
      ++per.failed;
      ++stats_.failed;
      if (pending_.erase(n.id) > 0) {
        --per.queued;
        --stats_.queued;
      }
      continue;
    }
    in_flight_.insert(n.id);
    {
      std::lock_guard lock(mutex_);
      ++stats_.notifiers[channel].in_flight;
    }
    Completion c{n.id, channel, n.outbound.kind, n.attempt_count, n.outbound.created_at, {}};
    sender_->send(std::move(*request), timeout, [this, c](deliver::Attempt attempt) mutable {
      c.attempt = std::move(attempt);
      {
        std::lock_guard lock(mutex_);
        completions_.push_back(std::move(c));
      }
      wake_.notify_all();
    });
  }
  std::lock_guard lock(mutex_);
  stats_.in_flight = in_flight_.size();
}

void Dispatcher::finish(Completion c) {
  in_flight_.erase(c.id);
  {
    std::lock_guard lock(mutex_);
    auto& per = stats_.notifiers[c.channel];
    if (per.in_flight > 0) --per.in_flight;
    stats_.in_flight = in_flight_.size();
  }
  if (c.attempt.failed_layer == deliver::FailedLayer::cancelled) return;  // shutting down
  const TimePoint now = clock_.now();
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const auto verdict = deliver::classify(c.attempt);
  const int failed =
      static_cast<int>(c.failed_before) + (verdict == deliver::Verdict::sent ? 0 : 1);
  auto decision = deliver::decide(options_.retry, c.attempt, failed, c.first_at, now,
                                  [&] { return uniform(random_); });
  store::Attempt a;
  a.at = now;
  a.duration = c.attempt.duration;
  if (c.attempt.http_status) a.http_status = c.attempt.http_status;
  if (c.attempt.smtp_code) a.http_status = c.attempt.smtp_code;
  a.error = decision.verdict == deliver::Verdict::sent ? std::string{}
            : c.attempt.error.empty()                  ? decision.reason
                                                       : c.attempt.error;
  std::optional<TimePoint> next;
  switch (decision.verdict) {
    case deliver::Verdict::sent:
      a.outcome = store::AttemptOutcome::sent;
      break;
    case deliver::Verdict::retry:
      a.outcome = store::AttemptOutcome::retryable;
      next = decision.next_attempt_at;
      break;
    case deliver::Verdict::permanent:
      a.outcome = store::AttemptOutcome::permanent;
      break;
  }
  bool unrecorded = false;  // then it is still pending in the outbox, and due again
  try {
    store_.record_attempt(c.id, a, next);
  } catch (const std::exception& e) {
    unrecorded = true;
    spdlog::error("outbox: could not record an attempt of #{}: {}", c.id, e.what());
  }
  {
    std::lock_guard lock(mutex_);
    auto& per = stats_.notifiers[c.channel];
    switch (decision.verdict) {
      case deliver::Verdict::sent:
        ++per.sent;
        ++stats_.sent;
        break;
      case deliver::Verdict::retry:
        ++per.retried;
        ++stats_.retried;
        break;
      case deliver::Verdict::permanent:
        ++per.failed;
        ++stats_.failed;
        break;
    }
    if (!unrecorded && decision.verdict != deliver::Verdict::retry && pending_.erase(c.id) > 0) {
      --per.queued;
      --stats_.queued;
    }
  }
  switch (decision.verdict) {
    case deliver::Verdict::sent:
      spdlog::info("notification #{} ({}) sent to {}", c.id, c.kind, c.channel);
      break;
    case deliver::Verdict::retry:
      spdlog::warn("notification #{} to {} not delivered ({}); next try at {}", c.id, c.channel,
                   a.error, format_time(*next));
      break;
    case deliver::Verdict::permanent:
      spdlog::error("notification #{} to {} failed for good: {}", c.id, c.channel, decision.reason);
      if (on_failure_ && c.kind != "notifier-failing") on_failure_(c.channel, decision.reason);
      break;
  }
}

}  // namespace lk::alert
