#include "web/events.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace lk::web {

EventHub::EventHub(std::size_t retained, std::uint64_t first_id)
    : retained_(std::max<std::size_t>(retained, 1)),
      first_id_(first_id),
      ring_(retained_),
      next_id_(first_id) {}

EventHub::~EventHub() = default;

std::uint64_t EventHub::publish(std::string name, std::string data) {
  std::uint64_t id;
  {
    std::lock_guard lock(ring_mutex_);
    id = next_id_++;
    ring_[(id - first_id_) % retained_] =
        std::make_shared<const Event>(Event{id, std::move(name), std::move(data)});
  }
  if (subscribers_.load(std::memory_order_acquire) == 0) return id;
  std::lock_guard lock(wake_mutex_);
  for (const auto& [key, wake] : wakes_) wake();
  return id;
}

std::uint64_t EventHub::last_id() const {
  std::lock_guard lock(ring_mutex_);
  return next_id_ - 1;
}

EventHub::Backlog EventHub::events_after(std::uint64_t after) const {
  std::lock_guard lock(ring_mutex_);
  Backlog backlog;
  const std::uint64_t newest = next_id_ - 1;
  const std::uint64_t published = next_id_ - first_id_;
  const std::uint64_t oldest_kept = first_id_ + (published > retained_ ? published - retained_ : 0);
  // An id above the newest one is from an earlier run (as is one below first_id - 1, which the
  // second test catches): the reader may have missed any of what is kept.
  std::uint64_t from = after + 1;
  if (after > newest || from < oldest_kept) {
    backlog.complete = false;
    from = oldest_kept;
  }
  for (std::uint64_t id = from; id <= newest; ++id)
    backlog.events.push_back(ring_[(id - first_id_) % retained_]);
  return backlog;
}

EventHub::Subscription EventHub::subscribe(std::function<void()> wake) {
  std::lock_guard lock(wake_mutex_);
  std::uint64_t key = next_key_++;
  wakes_.emplace(key, std::move(wake));
  subscribers_.store(wakes_.size(), std::memory_order_release);
  return Subscription(this, key);
}

void EventHub::unsubscribe(std::uint64_t key) {
  std::lock_guard lock(wake_mutex_);
  wakes_.erase(key);
  subscribers_.store(wakes_.size(), std::memory_order_release);
}

std::size_t EventHub::subscriber_count() const {
  return subscribers_.load(std::memory_order_acquire);
}

EventHub::Subscription::Subscription(Subscription&& other) noexcept
    : hub_(std::exchange(other.hub_, nullptr)), key_(other.key_) {}

EventHub::Subscription& EventHub::Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    hub_ = std::exchange(other.hub_, nullptr);
    key_ = other.key_;
  }
  return *this;
}

void EventHub::Subscription::reset() {
  if (auto* hub = std::exchange(hub_, nullptr)) hub->unsubscribe(key_);
}

std::string format_event(const Event& event) {
  std::string frame = "id: " + std::to_string(event.id) + "\n";
  if (!event.name.empty()) {
    frame += "event: ";
    for (char c : event.name)
      if (c != '\r' && c != '\n') frame += c;
    frame += '\n';
  }
  // SSE ends a line at CR, LF or CRLF; each line of the data becomes a "data:" field, which the
  // browser joins back with LF.
  std::string_view rest = event.data;
  for (;;) {
    auto end = rest.find_first_of("\r\n");
    frame += "data: ";
    frame += rest.substr(0, end);
    frame += '\n';
    if (end == std::string_view::npos) break;
    std::size_t skip = rest.compare(end, 2, "\r\n") == 0 ? 2 : 1;
    rest.remove_prefix(end + skip);
  }
  frame += '\n';
  return frame;
}

std::optional<std::uint64_t> parse_last_event_id(std::string_view header) {
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t'))
    header.remove_prefix(1);
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t'))
    header.remove_suffix(1);
  std::uint64_t id = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), id);
  if (header.empty() || ec != std::errc{} || end != header.data() + header.size())
    return std::nullopt;
  return id;
}

}  // namespace lk::web
