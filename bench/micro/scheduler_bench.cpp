// Scheduler: the poll/finished cycle of a shard's loop, loading a configuration, and reading
// the lateness statistics. Simulated time throughout, so only the scheduler's own work counts.
//
// Realistic spread: intervals of 30 s, 60 s, 60 s and 300 s in turn, each slot on its grid at
// phase_of(name) as app/ does, so 1M slots start ~17,500 times per simulated second. The loop
// advances 100 ms per poll (the shard wakes about that often under load) and finishes every
// started run before the next poll, so in-flight capacity never binds.
//
// Reference: the same due entries in a bare std::priority_queue (pop what is due, push its next
// due time), i.e. the least any heap-based scheduler must do. `vs_raw_heap` is the scheduler's
// time per start over the reference's, from the same run.

#include <benchmark/benchmark.h>

#include <array>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "reference.hpp"
#include "schedule/scheduler.hpp"

namespace lk::schedule {
namespace {

using namespace std::chrono_literals;

constexpr std::array<Duration, 4> kIntervals{30s, 60s, 60s, 300s};
constexpr Duration kPollStep = 100ms;
constexpr std::size_t kMaxInFlight = 10'000;
const MonoTime kAnchor{};                  // the grid's fixed origin
const MonoTime kLoadedAt = kAnchor + 24h;  // when the configuration is loaded

struct Due {
  Duration interval;
  MonoTime first_due;
};

// Each slot's interval and first due time, as app/ computes them at load.
std::vector<Due> realistic_dues(std::size_t slots) {
  std::vector<Due> dues;
  dues.reserve(slots);
  for (std::size_t i = 0; i < slots; ++i) {
    const Duration interval = kIntervals[i % kIntervals.size()];
    const Duration phase = phase_of("check-" + std::to_string(i), interval);
    dues.push_back({interval, next_on_grid(kAnchor, phase, interval, kLoadedAt)});
  }
  return dues;
}

std::string reference_key(std::int64_t slots) {
  return "scheduler.raw_heap." + std::to_string(slots);
}

void BM_SchedulerPollCycle(benchmark::State& bm) {
  const auto slots = static_cast<std::size_t>(bm.range(0));
  const std::vector<Due> dues = realistic_dues(slots);
  Scheduler scheduler(kMaxInFlight);
  for (std::size_t i = 0; i < slots; ++i)
    scheduler.add(static_cast<Slot>(i), dues[i].interval, dues[i].first_due);

  MonoTime now = kLoadedAt;
  std::vector<Start> started;
  started.reserve(kMaxInFlight);
  std::uint64_t starts = 0;
  std::uint64_t polls = 0;
  bench::AllocationScope allocations;
  bench::Stopwatch watch;
  for (auto _ : bm) {
    now += kPollStep;
    started.clear();
    scheduler.poll(now, started);
    for (const Start& s : started) scheduler.finished(s.slot);
    starts += started.size();
    ++polls;
  }
  bm.SetItemsProcessed(static_cast<std::int64_t>(starts));  // items_per_second = starts/s
  bm.counters["starts_per_poll"] = static_cast<double>(starts) / static_cast<double>(polls);
  bm.counters["allocs_per_start"] = allocations.per_item(starts);
  bm.counters["skipped"] = static_cast<double>(scheduler.skipped());
  bench::report_ratio(bm, "vs_raw_heap", reference_key(bm.range(0)), watch.elapsed_ns(),
                      static_cast<double>(starts));
}

// The reference: a bare min-heap of (due, slot), nothing else.
void BM_Reference_RawHeapCycle(benchmark::State& bm) {
  struct Entry {
    MonoTime due;
    Slot slot;
    bool operator>(const Entry& o) const { return due > o.due; }
  };
  const auto slots = static_cast<std::size_t>(bm.range(0));
  const std::vector<Due> dues = realistic_dues(slots);
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  for (std::size_t i = 0; i < slots; ++i) heap.push({dues[i].first_due, static_cast<Slot>(i)});

  MonoTime now = kLoadedAt;
  std::vector<Slot> started;
  started.reserve(kMaxInFlight);
  std::uint64_t starts = 0;
  bench::Stopwatch watch;
  for (auto _ : bm) {
    now += kPollStep;
    started.clear();
    while (!heap.empty() && heap.top().due <= now) {
      Entry e = heap.top();
      heap.pop();
      started.push_back(e.slot);
      heap.push({e.due + dues[e.slot].interval, e.slot});
    }
    benchmark::DoNotOptimize(started.data());
    starts += started.size();
  }
  bench::record_reference(reference_key(bm.range(0)), watch.elapsed_ns(),
                          static_cast<double>(starts));
  bm.SetItemsProcessed(static_cast<std::int64_t>(starts));
}

// A configuration load: a fresh scheduler, 100k add() calls.
void BM_SchedulerAdd100k(benchmark::State& bm) {
  constexpr std::size_t kSlots = 100'000;
  const std::vector<Due> dues = realistic_dues(kSlots);
  for (auto _ : bm) {
    Scheduler scheduler(kMaxInFlight);
    for (std::size_t i = 0; i < kSlots; ++i)
      scheduler.add(static_cast<Slot>(i), dues[i].interval, dues[i].first_due);
    benchmark::DoNotOptimize(scheduler.next_wakeup());
  }
  bm.SetItemsProcessed(static_cast<std::int64_t>(bm.iterations() * kSlots));
}

// A reload that keeps every slot: add() again on a loaded scheduler. The old heap entries stay
// until they come due (generation mismatch), so the heap holds two entries per slot meanwhile.
void BM_SchedulerReAdd100k(benchmark::State& bm) {
  constexpr std::size_t kSlots = 100'000;
  const std::vector<Due> dues = realistic_dues(kSlots);
  for (auto _ : bm) {
    bm.PauseTiming();
    auto scheduler = std::make_unique<Scheduler>(kMaxInFlight);
    for (std::size_t i = 0; i < kSlots; ++i)
      scheduler->add(static_cast<Slot>(i), dues[i].interval, dues[i].first_due);
    bm.ResumeTiming();
    for (std::size_t i = 0; i < kSlots; ++i)
      scheduler->add(static_cast<Slot>(i), dues[i].interval, dues[i].first_due);
    benchmark::DoNotOptimize(scheduler->next_wakeup());
    bm.PauseTiming();
    scheduler.reset();
    bm.ResumeTiming();
  }
  bm.SetItemsProcessed(static_cast<std::int64_t>(bm.iterations() * kSlots));
}

// lateness() with a full sample window (what /metrics and the status page read).
void BM_SchedulerLateness(benchmark::State& bm) {
  constexpr std::size_t kSlots = 100'000;
  const std::vector<Due> dues = realistic_dues(kSlots);
  Scheduler scheduler(kMaxInFlight);
  for (std::size_t i = 0; i < kSlots; ++i)
    scheduler.add(static_cast<Slot>(i), dues[i].interval, dues[i].first_due);
  // Poll a little late each time until the window (4,096 samples) is full.
  MonoTime now = kLoadedAt;
  std::vector<Start> started;
  while (scheduler.started() < 8192) {
    now += 1s;
    started.clear();
    scheduler.poll(now, started);
    for (const Start& s : started) scheduler.finished(s.slot);
  }
  bench::AllocationScope allocations;
  for (auto _ : bm) benchmark::DoNotOptimize(scheduler.lateness());
  bm.SetItemsProcessed(bm.iterations());
  bm.counters["allocs_per_call"] =
      allocations.per_item(static_cast<std::uint64_t>(bm.iterations()));
}

BENCHMARK(BM_Reference_RawHeapCycle)->RangeMultiplier(10)->Range(1000, 1'000'000);
BENCHMARK(BM_SchedulerPollCycle)->RangeMultiplier(10)->Range(1000, 1'000'000);
BENCHMARK(BM_SchedulerAdd100k)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(BM_SchedulerReAdd100k)->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(BM_SchedulerLateness)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace lk::schedule
