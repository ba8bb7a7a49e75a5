#include "schedule/scheduler.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

using namespace std::chrono;
using namespace lk;
using namespace lk::schedule;

namespace {

const MonoTime kStart{hours{10}};

/// Runs the scheduler on simulated time in steps, finishing every run `run_time` after it
/// started; returns the start times per slot.
std::map<Slot, std::vector<MonoTime>> simulate(Scheduler& s, Duration total, Duration step,
                                               Duration run_time) {
  std::map<Slot, std::vector<MonoTime>> starts;
  std::multimap<MonoTime, Slot> running;
  std::vector<Start> out;
  for (MonoTime now = kStart; now < kStart + total; now += step) {
    while (!running.empty() && running.begin()->first <= now) {
      s.finished(running.begin()->second);
      running.erase(running.begin());
    }
    out.clear();
    s.poll(now, out);
    for (const auto& st : out) {
      starts[st.slot].push_back(now);
      running.emplace(now + run_time, st.slot);
    }
  }
  return starts;
}

}  // namespace

TEST(Scheduler, NextRunIsDueOneIntervalAfterThePreviousDueTimeNotAfterItFinished) {
  Scheduler s(10);
  s.add(0, seconds{10}, kStart);
  // Each run takes 3 s; with drift the runs would start at 0, 13, 26, ...
  auto starts = simulate(s, seconds{100}, milliseconds{100}, seconds{3});
  ASSERT_EQ(starts[0].size(), 10u);
  for (std::size_t i = 0; i < starts[0].size(); ++i) {
    EXPECT_EQ(starts[0][i], kStart + seconds{10} * static_cast<int>(i)) << "run " << i;
  }
}

TEST(Scheduler, PhaseIsStableAndSpreadsChecksOverTheInterval) {
  EXPECT_EQ(phase_of("shop-web", seconds{60}), phase_of("shop-web", seconds{60}));
  // 600 checks at 60 s: every 6 s window of the interval gets roughly a tenth of them.
  std::vector<int> buckets(10, 0);
  for (int i = 0; i < 600; ++i) {
    auto p = phase_of("check-" + std::to_string(i), seconds{60});
    ASSERT_LT(p, seconds{60});
    buckets[static_cast<std::size_t>(p / seconds{6})]++;
  }
  for (int b : buckets) {
    EXPECT_GT(b, 30);
    EXPECT_LT(b, 90);
  }
}

TEST(Scheduler, GridPointIsTheFirstAtOrAfterNow) {
  MonoTime anchor{seconds{0}};
  EXPECT_EQ(next_on_grid(anchor, seconds{7}, seconds{30}, MonoTime{seconds{100}}),
            MonoTime{seconds{127}});
  EXPECT_EQ(next_on_grid(anchor, seconds{7}, seconds{30}, MonoTime{seconds{97}}),
            MonoTime{seconds{97}});
  EXPECT_EQ(next_on_grid(anchor, seconds{7}, seconds{30}, MonoTime{seconds{3}}),
            MonoTime{seconds{7}});
}

TEST(Scheduler, ConcurrencyLimitDelaysRunsEarliestDueFirstAndReportsLateness) {
  Scheduler s(1);
  s.add(0, seconds{10}, kStart);
  s.add(1, seconds{10}, kStart + milliseconds{1});
  s.add(2, seconds{10}, kStart + milliseconds{2});
  // Each run takes 1 s and only one may run at once: they start 0 s, 1 s and 2 s late-ish.
  auto starts = simulate(s, seconds{10}, milliseconds{10}, seconds{1});
  ASSERT_EQ(starts[0].size(), 1u);
  ASSERT_EQ(starts[1].size(), 1u);
  ASSERT_EQ(starts[2].size(), 1u);
  EXPECT_LT(starts[0][0], starts[1][0]);
  EXPECT_LT(starts[1][0], starts[2][0]);
  EXPECT_GE(s.lateness().max_ms, 1900.0);
  EXPECT_EQ(s.in_flight(), 0u);
}

TEST(Scheduler, OverloadDelaysEveryCheckFairlySoNoneStarves) {
  // 20 checks at 1 s each taking 0.5 s, 5 at a time: capacity 10/s for a demand of 20/s.
  Scheduler s(5);
  for (Slot i = 0; i < 20; ++i) s.add(i, seconds{1}, kStart + milliseconds{i});
  auto starts = simulate(s, seconds{60}, milliseconds{10}, milliseconds{500});
  std::size_t total = 0;
  for (Slot i = 0; i < 20; ++i) {
    EXPECT_GE(starts[i].size(), 25u) << "slot " << i << " starved";
    total += starts[i].size();
  }
  EXPECT_GE(total, 580u);  // the capacity is used fully
  EXPECT_GT(s.skipped(), 0u);
  EXPECT_GT(s.lateness().p99_ms, 100.0);
}

TEST(Scheduler, RunStillInFlightWhenDueAgainIsSkippedNotDoubled) {
  Scheduler s(10);
  s.add(0, seconds{1}, kStart);
  auto starts = simulate(s, seconds{10}, milliseconds{10}, milliseconds{2500});
  // Runs take 2.5 s at a 1 s interval: at most one in flight, due times stay on the grid.
  ASSERT_GE(starts[0].size(), 3u);
  for (std::size_t i = 1; i < starts[0].size(); ++i) {
    EXPECT_GE(starts[0][i] - starts[0][i - 1], milliseconds{2500});
    EXPECT_EQ((starts[0][i] - kStart) % seconds{1}, Duration::zero());
  }
  EXPECT_GT(s.skipped(), 0u);
}

TEST(Scheduler, RemovedSlotNoLongerRunsAndReAddedSlotKeepsItsOwnGrid) {
  Scheduler s(10);
  s.add(0, seconds{1}, kStart);
  s.add(1, seconds{1}, kStart);
  std::vector<Start> out;
  s.poll(kStart, out);
  ASSERT_EQ(out.size(), 2u);
  s.finished(0);
  s.finished(1);
  s.remove(1);
  out.clear();
  s.poll(kStart + seconds{1}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].slot, 0u);
  EXPECT_FALSE(s.contains(1));
}

TEST(Scheduler, NextWakeupIsTheEarliestDueTime) {
  Scheduler s(10);
  EXPECT_FALSE(s.next_wakeup());
  s.add(0, seconds{5}, kStart + seconds{3});
  s.add(1, seconds{5}, kStart + seconds{1});
  EXPECT_EQ(s.next_wakeup(), kStart + seconds{1});
}
