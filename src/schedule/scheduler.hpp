#pragma once
// When each check runs: a due-time queue with stable per-check phases (jitter), no drift, a
// concurrency limit with fair (earliest-due-first) queueing, and lateness statistics.
// Pure: the caller passes the time and starts the checks; tests run on simulated time.

#include <cstdint>
#include <deque>
#include <optional>
#include <queue>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace lk::schedule {

using Slot = std::uint32_t;

/// The offset of a check within its interval, derived from its name: stable across restarts
/// and reloads (no burst, no gap), spread uniformly over the interval (like Prometheus' scrape
/// offsets), so 1,000 checks at 60 s start ~17 per second instead of all at once.
Duration phase_of(std::string_view name, Duration interval);

/// The first due time at or after `now` on the check's grid `anchor + phase + k * interval`.
/// `anchor` should be a fixed instant (the Unix epoch mapped to the monotonic clock) so that the
/// grid survives restarts.
MonoTime next_on_grid(MonoTime anchor, Duration phase, Duration interval, MonoTime now);

struct Start {
  Slot slot;
  MonoTime due;  ///< when it should have started (lateness = now - due)
};

struct LatenessStats {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  std::uint64_t samples = 0;
};

class Scheduler {
 public:
  explicit Scheduler(std::size_t max_in_flight) : max_in_flight_(max_in_flight) {}

  /// Adds (or re-adds) a slot whose first run is due at `first_due`.
  void add(Slot slot, Duration interval, MonoTime first_due);
  /// Removes a slot; a run in flight may still finish (finished() then ignores it).
  void remove(Slot slot);
  bool contains(Slot slot) const { return slot < slots_.size() && slots_[slot].active; }

  /// Moves every slot due at `now` into `out` (as long as there is capacity), and advances each
  /// started slot's due time by exactly one interval from its previous due time (no drift).
  /// A slot whose previous run is still in flight when due is skipped for that round.
  void poll(MonoTime now, std::vector<Start>& out);
  /// A started run ended; frees its capacity.
  void finished(Slot slot);

  /// When poll() should be called next (nullopt: nothing scheduled or waiting for capacity).
  std::optional<MonoTime> next_wakeup() const;

  std::size_t in_flight() const { return in_flight_; }
  std::size_t waiting() const { return ready_.size(); }
  std::uint64_t started() const { return started_; }
  std::uint64_t skipped() const { return skipped_; }
  void set_max_in_flight(std::size_t n) { max_in_flight_ = n; }
  /// Lateness (start minus due) over the latest runs.
  LatenessStats lateness() const;

 private:
  struct SlotState {
    Duration interval{};
    MonoTime next_due{};
    std::uint32_t generation = 0;  ///< bumped on add/remove, to drop stale heap entries
    bool active = false;
    bool running = false;
    bool queued = false;  ///< due, waiting for capacity
  };
  struct HeapEntry {
    MonoTime due;
    Slot slot;
    std::uint32_t generation;
    bool operator>(const HeapEntry& o) const { return due > o.due; }
  };

  void record_lateness(Duration d);

  std::size_t max_in_flight_;
  std::size_t in_flight_ = 0;
  std::vector<SlotState> slots_;
  std::priority_queue<HeapEntry, std::vector<HeapEntry>, std::greater<>> heap_;
  std::deque<Start> ready_;  ///< due but waiting for capacity, earliest due first
  std::uint64_t started_ = 0;
  std::uint64_t skipped_ = 0;
  std::vector<float> lateness_ms_;  ///< ring buffer
  std::size_t lateness_next_ = 0;
  std::uint64_t lateness_samples_ = 0;
};

}  // namespace lk::schedule
