#pragma once
// Live updates for the status pages: whoever changes what a page shows publishes an event here,
// and the server streams it to every open page as Server-Sent Events (GET /events). Beast-free
// and socket-free; the server's stream is the only reader in production.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lk::web {

struct Event {
  std::uint64_t id = 0;
  std::string name;  ///< the SSE event type; "" is the default ("message")
  std::string data;  ///< may span lines; browsers drop an event whose data is empty
};

/// Thread-safe fan-out of events with a short replay ring. Publishing costs one lock and one
/// allocation when nobody listens; readers share the stored events instead of copying them.
class EventHub {
 public:
  static constexpr std::size_t kDefaultRetained = 64;

  /// Keeps the last `retained` events (at least one) for replay. Ids start at `first_id`:
  /// starting them from the wall clock keeps them increasing across restarts, so that a page
  /// reconnecting to a restarted server is told it missed events rather than given wrong ones.
  explicit EventHub(std::size_t retained = kDefaultRetained, std::uint64_t first_id = 1);
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  /// Stores an event, gives it the next id (returned) and calls every subscriber's wake-up.
  std::uint64_t publish(std::string name, std::string data);

  /// The id of the newest event, or first_id - 1 before the first.
  std::uint64_t last_id() const;

  struct Backlog {
    /// Oldest first: those with id > after, or every kept one when `after` is not an id of
    /// this hub's (newer than the newest: an id from an earlier run of the server).
    std::vector<std::shared_ptr<const Event>> events;
    /// False when some events the reader has not seen may no longer be kept.
    bool complete = true;
  };
  /// The retained events published after the event `after`.
  Backlog events_after(std::uint64_t after) const;

  /// Ends its subscription when destroyed or reset.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    ~Subscription() { reset(); }
    /// Unsubscribes. Once it returns, the wake-up is not running and will not be called again.
    void reset();
    explicit operator bool() const { return hub_ != nullptr; }

   private:
    friend class EventHub;
    Subscription(EventHub* hub, std::uint64_t key) : hub_(hub), key_(key) {}
    EventHub* hub_ = nullptr;
    std::uint64_t key_ = 0;
  };

  /// Calls `wake` after each publish, on the publishing thread, until the subscription ends. The
  /// wake-up should only signal the reader (who then calls events_after); it must be quick and
  /// must not subscribe or unsubscribe. The hub must outlive the subscription.
  [[nodiscard]] Subscription subscribe(std::function<void()> wake);

  std::size_t subscriber_count() const;

 private:
  void unsubscribe(std::uint64_t key);

  const std::size_t retained_;
  const std::uint64_t first_id_;

  mutable std::mutex ring_mutex_;
  std::vector<std::shared_ptr<const Event>> ring_;  // slot (id - first_id) % retained
  std::uint64_t next_id_;

  // Wake-ups run under their own lock, never under ring_mutex_, so that they may read events;
  // holding it while calling them is what lets reset() promise no call after it returns.
  mutable std::mutex wake_mutex_;
  std::map<std::uint64_t, std::function<void()>> wakes_;
  std::uint64_t next_key_ = 1;
  std::atomic<std::size_t> subscribers_{0};
};

/// One event as an SSE frame: "id:", "event:" (unless the name is empty) and one "data:" line
/// per line of data, then a blank line. Line breaks in the name are dropped, so that a name
/// cannot start a field of its own.
std::string format_event(const Event& event);

/// The id in a Last-Event-ID header, or nullopt when it is absent or not a decimal number.
std::optional<std::uint64_t> parse_last_event_id(std::string_view header);

}  // namespace lk::web
