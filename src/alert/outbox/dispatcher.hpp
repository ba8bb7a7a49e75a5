#pragma once
// The outbox's sending side: puts the router's Dispatches into the persisted outbox, then
// sends what is due through each notifier's channel, records every attempt, and retries with
// backoff until the receiver accepts it or the policy gives up. One worker thread of its own:
// the store's outbox calls block until committed, and the caller (the control loop) must
// never wait for a disk or a receiver.
//
// Delivery is at least once: a notification is committed before anything is sent, and marked
// sent only after the receiver accepted it; a kill -9 in between sends it again after the
// restart, with the same idempotency key.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "alert/deliver/http_sender.hpp"
#include "alert/deliver/retry_policy.hpp"
#include "alert/policy/model.hpp"
#include "alert/policy/router.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace lk::alert {

/// The store's meta key under which the router's state is kept.
inline constexpr std::string_view kRouterStateKey = "alert_router";

struct DispatcherOptions {
  std::size_t batch = 64;                         ///< due notifications read at a time
  Duration poll{std::chrono::milliseconds{500}};  ///< how often the outbox is looked at
  deliver::RetryOptions retry;
  deliver::SenderOptions sender;
  std::size_t sender_threads = 2;
};

/// One notifier's deliveries: counters since the start, gauges for now.
struct NotifierStats {
  std::string type;  ///< channel type (webhook, slack, ...); empty when it was never configured
  std::uint64_t enqueued = 0;  ///< notifications put into the outbox
  std::uint64_t sent = 0;      ///< attempts the receiver accepted
  std::uint64_t retried = 0;   ///< failed attempts with another one scheduled
  std::uint64_t failed = 0;    ///< failed attempts after which the notification was given up
  std::uint64_t queued = 0;    ///< pending in the outbox, in flight included
  std::uint64_t in_flight = 0;
};

struct DispatcherStats {
  std::uint64_t enqueued = 0, sent = 0, retried = 0, failed = 0, enqueue_errors = 0;
  std::size_t in_flight = 0;
  std::size_t queued = 0;  ///< pending in the outbox, in flight included
  /// By notifier name: every notifier configured since the start, and any name the outbox
  /// still held notifications for.
  std::map<std::string, NotifierStats, std::less<>> notifiers;
};

class Dispatcher {
 public:
  /// Told (on the worker thread) when a notifier gave up on a notification for good.
  using FailureHandler = std::function<void(const std::string& notifier, const std::string& error)>;

  Dispatcher(store::Store& store, const Clock& clock, DispatcherOptions options,
             FailureHandler on_failure = {});
  /// Stops sending; what is in flight or queued stays pending in the store.
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  /// The notifiers to send through (on start and on every reload). Thread-safe.
  void set_notifiers(std::vector<Notifier> notifiers);
  /// Queues dispatches for the outbox. Never blocks. `router_state` (Router::save()) is
  /// written to the store once these dispatches are in the outbox, never before: a crash in
  /// between replays steps whose keys the outbox already holds, instead of losing any.
  void submit(std::vector<Dispatch> dispatches, std::optional<std::string> router_state = {});
  /// Blocks until everything submitted before the call is in the outbox (tests, shutdown).
  void flush();
  DispatcherStats stats() const;

 private:
  struct Completion {
    std::int64_t id = 0;
    std::string channel;
    std::string kind;
    std::int64_t failed_before = 0;
    TimePoint first_at{};
    deliver::Attempt attempt;
  };
  void run();
  void load_pending();
  void enqueue(std::vector<Dispatch>& batch);
  void start_due();
  void finish(Completion c);
  const Notifier* notifier(const std::string& name) const;  // under mutex_

  store::Store& store_;
  const Clock& clock_;
  DispatcherOptions options_;
  FailureHandler on_failure_;

  mutable std::mutex mutex_;
  std::condition_variable wake_, flushed_;
  std::vector<Dispatch> submitted_;          // guarded by mutex_
  std::vector<Completion> completions_;      // guarded by mutex_
  std::vector<Notifier> notifiers_;          // guarded by mutex_
  std::optional<std::string> router_state_;  // guarded by mutex_; written after its dispatches
  std::uint64_t submit_seq_ = 0, enqueued_seq_ = 0;  // guarded by mutex_
  bool stopping_ = false;                            // guarded by mutex_
  DispatcherStats stats_;                            // guarded by mutex_

  std::set<std::int64_t> in_flight_;  // worker thread only
  // Ids pending in the outbox, so that the queued gauges count each notification once
  // (enqueueing an idempotency key again returns the stored id). Worker thread only.
  std::set<std::int64_t> pending_;
  std::int64_t newest_id_ = 0;  // worker thread only; the outbox never reuses an id
  std::mt19937_64 random_{std::random_device{}()};
  std::unique_ptr<deliver::HttpSender> sender_;
  std::thread worker_;
};

}  // namespace lk::alert
