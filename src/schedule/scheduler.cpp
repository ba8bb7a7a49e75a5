#include "schedule/scheduler.hpp"

#include <algorithm>

namespace lk::schedule {

namespace {
constexpr std::size_t kLatenessWindow = 4096;

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  // Final mix so similar names ("web-1", "web-2") land far apart.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}
}  // namespace

Duration phase_of(std::string_view name, Duration interval) {
  if (interval <= Duration::zero()) return Duration::zero();
  return Duration{
      static_cast<Duration::rep>(fnv1a(name) % static_cast<std::uint64_t>(interval.count()))};
}

MonoTime next_on_grid(MonoTime anchor, Duration phase, Duration interval, MonoTime now) {
  MonoTime base = anchor + phase;
  if (interval <= Duration::zero()) return now;
  if (now <= base) {
    auto periods = (base - now) / interval;
    return base - periods * interval;
  }
  auto periods = (now - base + interval - Duration{1}) / interval;
  return base + periods * interval;
}

void Scheduler::add(Slot slot, Duration interval, MonoTime first_due) {
  if (slot >= slots_.size()) slots_.resize(slot + 1);
  auto& s = slots_[slot];
  s.interval = std::max(interval, Duration{std::chrono::milliseconds{1}});
  s.next_due = first_due;
  s.active = true;
  ++s.generation;
  heap_.push({first_due, slot, s.generation});
}

void Scheduler::remove(Slot slot) {
  if (slot >= slots_.size()) return;
  auto& s = slots_[slot];
  s.active = false;
  ++s.generation;
  if (s.queued) {
    s.queued = false;
    std::erase_if(ready_, [slot](const Start& st) { return st.slot == slot; });
  }
}

void Scheduler::poll(MonoTime now, std::vector<Start>& out) {
  // Due slots go to the back of the ready queue in due order, so under overload every check
  // waits its turn (earliest due first) instead of the fast ones starving the rest.
  while (!heap_.empty() && heap_.top().due <= now) {
    HeapEntry e = heap_.top();
    heap_.pop();
    auto& s = slots_[e.slot];
    if (!s.active || e.generation != s.generation) continue;
    if (s.running || s.queued) {
      ++skipped_;  // the previous run has not even started or finished: skip this round
    } else {
      s.queued = true;
      ready_.push_back({e.slot, e.due});
    }
    s.next_due = e.due + s.interval;
    heap_.push({s.next_due, e.slot, s.generation});
  }
  while (!ready_.empty() && in_flight_ < max_in_flight_) {
    Start st = ready_.front();
    ready_.pop_front();
    auto& s = slots_[st.slot];
    s.queued = false;
    s.running = true;
    ++in_flight_;
    ++started_;
    record_lateness(now - st.due);
    out.push_back(st);
  }
}

void Scheduler::finished(Slot slot) {
  if (slot >= slots_.size()) return;
  auto& s = slots_[slot];
  if (!s.running) return;
  s.running = false;
  if (in_flight_ > 0) --in_flight_;
}

std::optional<MonoTime> Scheduler::next_wakeup() const {
  // Stale heap entries only cause an early, harmless wake-up.
  if (!ready_.empty() && in_flight_ < max_in_flight_) return ready_.front().due;
  if (heap_.empty()) return std::nullopt;
  return heap_.top().due;
}

void Scheduler::record_lateness(Duration d) {
  float ms = static_cast<float>(to_ms(std::max(d, Duration::zero())));
  if (lateness_ms_.size() < kLatenessWindow) {
    lateness_ms_.push_back(ms);
  } else {
    lateness_ms_[lateness_next_] = ms;
  }
  lateness_next_ = (lateness_next_ + 1) % kLatenessWindow;
  ++lateness_samples_;
}

LatenessStats Scheduler::lateness() const {
  LatenessStats st;
  st.samples = lateness_samples_;
  if (lateness_ms_.empty()) return st;
  std::vector<float> sorted = lateness_ms_;
  std::sort(sorted.begin(), sorted.end());
  auto at = [&](double q) {
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * sorted.size()))];
  };
  st.p50_ms = at(0.5);
  st.p99_ms = at(0.99);
  st.max_ms = sorted.back();
  return st;
}

}  // namespace lk::schedule
