// rollups_many(): many checks in one read, and the cache of completed days behind it.

#include <atomic>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/sqlite/day_cache.hpp"
#include "store/sqlite/rollup_math.hpp"
#include "store_fixture.hpp"

namespace lk::store::test {
namespace {

using sqlite::DayRollupCache;

// What rollups_many() gave, one vector per check asked for.
std::vector<std::vector<Rollup>> read_many(Store& store, const std::vector<std::string>& names,
                                           Resolution res, TimePoint from, TimePoint to) {
  const std::vector<std::string_view> checks(names.begin(), names.end());
  std::vector<std::vector<Rollup>> out(names.size());
  std::size_t last = 0;
  store.rollups_many(checks, res, from, to, [&](std::size_t index, const Rollup& rollup) {
    EXPECT_GE(index, last) << "checks visited out of order";
    last = index;
    out.at(index).push_back(rollup);
  });
  return out;
}

void expect_same(const std::vector<Rollup>& got, const std::vector<Rollup>& want,
                 const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(what + " row " + std::to_string(i));
    EXPECT_EQ(got[i].check, want[i].check);
    EXPECT_EQ(got[i].location, want[i].location);
    EXPECT_EQ(got[i].resolution, want[i].resolution);
    EXPECT_EQ(got[i].bucket, want[i].bucket);
    EXPECT_EQ(got[i].count, want[i].count);
    EXPECT_EQ(got[i].failures, want[i].failures);
    EXPECT_EQ(got[i].warnings, want[i].warnings);
    EXPECT_EQ(got[i].latency_min_ms, want[i].latency_min_ms);
    EXPECT_EQ(got[i].latency_avg_ms, want[i].latency_avg_ms);
    EXPECT_EQ(got[i].latency_max_ms, want[i].latency_max_ms);
    EXPECT_EQ(got[i].latency_p95_ms, want[i].latency_p95_ms);
  }
}

class RollupsManyTest : public StoreTest {
 protected:
  // Day `d` days before the clock's day (0 = today), at `hour`.
  Duration day_offset(int d, int hour = 3) const {
    const TimePoint day = sqlite::bucket_start(start_, Resolution::day) - std::chrono::days{d};
    return day + std::chrono::hours{hour} - start_;
  }

  // Ten days of results for each check at two locations, today included, some failing.
  void write_history(Store& store, const std::vector<std::string>& names) {
    int salt = 0;
    for (const std::string& name : names)
      for (int d = 9; d >= 0; --d)
        for (const char* location : {"eu-west", "us-east"})
          for (int k = 0; k < 3; ++k, ++salt)
            store.append(result(name, day_offset(d, 1 + k), 5 + (salt * 37) % 400,
                                salt % 11 == 0 ? Status::fail : Status::ok, location));
    store.flush();
  }

  void expect_matches_per_check_reads(Store& store, const std::vector<std::string>& names,
                                      Resolution res, TimePoint from, TimePoint to) {
    const auto many = read_many(store, names, res, from, to);
    for (std::size_t i = 0; i < names.size(); ++i)
      expect_same(many[i], store.rollups(names[i], res, from, to), names[i]);
  }

  TimePoint today() const { return sqlite::bucket_start(clock_.now(), Resolution::day); }
};

TEST_F(RollupsManyTest, MatchesOneReadPerCheckWithAndWithoutTheCache) {
  const std::vector<std::string> written = {"web", "api", "db \"primary\"", "dns/eu"};
  const std::vector<std::string> asked = {"dns/eu",         "never-ran", "web",
                                          "db \"primary\"", "api",       "web"};
  for (const std::size_t cache_bytes : {std::size_t{0}, std::size_t{8} << 20}) {
    SCOPED_TRACE("cache bytes " + std::to_string(cache_bytes));
    SqliteOptions o = options();
    o.path = (dir_.path() / ("cache-" + std::to_string(cache_bytes) + ".db")).string();
    o.rollup_cache_bytes = cache_bytes;
    auto store = open(o);
    write_history(*store, written);
    const TimePoint from = today() - std::chrono::days{30};
    const TimePoint to = clock_.now();
    // Twice: the second read comes from the cache where there is one.
    expect_matches_per_check_reads(*store, asked, Resolution::day, from, to);
    expect_matches_per_check_reads(*store, asked, Resolution::day, from, to);
    // A range starting mid-way, one ending before today, and the finer resolutions.
    expect_matches_per_check_reads(*store, asked, Resolution::day, today() - std::chrono::days{4},
                                   to);
    expect_matches_per_check_reads(*store, asked, Resolution::day, from,
                                   today() - std::chrono::days{2});
    expect_matches_per_check_reads(*store, asked, Resolution::hour, from, to);
    expect_matches_per_check_reads(*store, asked, Resolution::minute, to - 48h, to);
    EXPECT_EQ(store->rollup_cache().checks(), cache_bytes > 0 ? written.size() : 0u);
  }
}

TEST_F(RollupsManyTest, GivesEveryLocationOfEveryDayWithTodayIncluded) {
  auto store = open();
  write_history(*store, {"web"});
  const auto many = read_many(*store, {"web"}, Resolution::day, today() - std::chrono::days{9},
                              today() + std::chrono::days{1});
  ASSERT_EQ(many[0].size(), 20u);  // 10 days x 2 locations
  EXPECT_EQ(many[0].front().bucket, today() - std::chrono::days{9});
  EXPECT_EQ(many[0].front().location, "eu-west");
  EXPECT_EQ(many[0][1].location, "us-east");
  EXPECT_EQ(many[0].back().bucket, today());
  EXPECT_EQ(many[0].back().count, 3);
}

TEST_F(RollupsManyTest, TodayAlwaysComesFreshFromTheDatabase) {
  auto store = open();
  write_history(*store, {"web"});
  const TimePoint from = today() - std::chrono::days{9};
  const TimePoint to = today() + std::chrono::days{1};
  read_many(*store, {"web"}, Resolution::day, from, to);  // fills the cache, tracks today
  ASSERT_EQ(store->rollup_cache().checks(), 1u);
  ASSERT_EQ(store->rollup_cache().checks_tracking_today(), 1u);

  store->append(result("web", day_offset(0, 5), 1000, Status::fail, "eu-west"));
  store->append(result("web", day_offset(0, 6), 0.5, Status::warn, "ap-south"));  // a new location
  store->flush();

  const auto many = read_many(*store, {"web"}, Resolution::day, from, to);
  expect_same(many[0], store->rollups("web", Resolution::day, from, to), "after a write today");
  ASSERT_EQ(many[0].size(), 21u);
  EXPECT_EQ(many[0][18].bucket, today());
  EXPECT_EQ(many[0][18].location, "eu-west");
  EXPECT_EQ(many[0][18].count, 4);
  EXPECT_DOUBLE_EQ(many[0][18].latency_max_ms, 1000);
  EXPECT_EQ(many[0][19].location, "us-east");
  EXPECT_EQ(many[0][20].location, "ap-south");
  EXPECT_EQ(many[0][20].warnings, 1);
  EXPECT_EQ(store->rollup_cache().checks_tracking_today(), 1u);  // served from the running totals
}

TEST_F(RollupsManyTest, TodaysRunningTotalsEqualTheStoredRowsThroughManyBatches) {
  auto store = open();
  write_history(*store, {"web", "api"});
  const TimePoint from = today() - std::chrono::days{9};
  read_many(*store, {"web", "api"}, Resolution::day, from, clock_.now());
  ASSERT_EQ(store->rollup_cache().checks_tracking_today(), 2u);
  for (int batch = 0; batch < 20; ++batch) {
    for (int k = 0; k < 7; ++k)
      store->append(result(k % 2 ? "web" : "api",
                           day_offset(0, 1) + std::chrono::seconds{batch * 7 + k},
                           0.37 * (batch * 13 + k * 101 % 977), k == 3 ? Status::fail : Status::ok,
                           k % 3 ? "eu-west" : "us-east"));
    store->flush();
    const auto many = read_many(*store, {"web", "api"}, Resolution::day, from, clock_.now());
    expect_same(many[0], store->rollups("web", Resolution::day, from, clock_.now()), "web");
    expect_same(many[1], store->rollups("api", Resolution::day, from, clock_.now()), "api");
  }
  EXPECT_EQ(store->rollup_cache().checks_tracking_today(), 2u);
}

TEST_F(RollupsManyTest, ALateResultForACompletedDayIsSeenAtOnce) {
  auto store = open();
  write_history(*store, {"web", "api"});
  const TimePoint from = today() - std::chrono::days{9};
  const TimePoint to = clock_.now();
  read_many(*store, {"web", "api"}, Resolution::day, from, to);
  ASSERT_EQ(store->rollup_cache().checks(), 2u);

  // A remote probe that was cut off delivers a result of three days ago, and one of a new
  // location.
  store->append(result("web", day_offset(3), 777, Status::fail, "eu-west"));
  store->append(result("web", day_offset(5), 1, Status::ok, "ap-south"));
  store->flush();

  EXPECT_EQ(store->rollup_cache().checks(), 1u);  // "api" is still cached
  const auto many = read_many(*store, {"web", "api"}, Resolution::day, from, to);
  expect_same(many[0], store->rollups("web", Resolution::day, from, to), "web");
  expect_same(many[1], store->rollups("api", Resolution::day, from, to), "api");
  ASSERT_EQ(many[0].size(), 21u);
}

TEST_F(RollupsManyTest, TheDayThatEndsJoinsTheCachedDaysAndStaysCurrent) {
  auto store = open();
  write_history(*store, {"web"});
  const TimePoint from = today() - std::chrono::days{9};
  read_many(*store, {"web"}, Resolution::day, from, clock_.now());

  // Midnight passes, a dashboard reads (the day that ended goes into the cache), and then a
  // result started just before midnight is committed.
  clock_.advance(sqlite::bucket_start(start_, Resolution::day) + 24h - start_ + 1s);
  store->append(result("web", day_offset(-1, 0), 60, Status::ok, "eu-west"));  // the new today
  store->flush();
  read_many(*store, {"web"}, Resolution::day, from, clock_.now());
  ASSERT_EQ(store->rollup_cache().checks(), 1u);
  store->append(result("web", day_offset(0, 23) + 59min + 59s, 50, Status::ok, "eu-west"));
  store->flush();

  for (int round = 0; round < 2; ++round) {
    const auto many = read_many(*store, {"web"}, Resolution::day, from, clock_.now());
    expect_same(many[0], store->rollups("web", Resolution::day, from, clock_.now()),
                "round " + std::to_string(round));
    ASSERT_EQ(many[0].size(), 21u);
    EXPECT_EQ(many[0][18].count, 4);  // yesterday, with its late result
  }
}

TEST_F(RollupsManyTest, ReadsRacingWritesNeverLeaveTheCacheBehindTheDatabase) {
  SqliteOptions o = options();
  o.flush_interval = 2ms;  // many small commits, to race the reads
  auto store = open(o);
  const std::vector<std::string> names = {"web", "api", "dns"};
  write_history(*store, names);
  const TimePoint from = today() - std::chrono::days{9};
  const TimePoint to = clock_.now();
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 3000; ++i) {
      // Mostly today; now and then a late result for a completed day.
      const Duration when =
          i % 50 == 0 ? day_offset(1 + i % 7, 4) : day_offset(0, 2) + std::chrono::milliseconds{i};
      store->append(result(names[i % 3], when, 1 + i % 300, i % 13 ? Status::ok : Status::fail,
                           i % 2 ? "eu-west" : "us-east"));
      if (i % 20 == 0) std::this_thread::sleep_for(1ms);
    }
    done = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  int reads = 0;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    read_many(*store, names, Resolution::day, from, to);
    ++reads;
  }
  writer.join();
  EXPECT_GT(reads, 10);
  store->flush();
  expect_matches_per_check_reads(*store, names, Resolution::day, from, to);
  expect_matches_per_check_reads(*store, names, Resolution::day, from, to);
  EXPECT_EQ(store->rollup_cache().checks_tracking_today(), names.size());
}

TEST_F(RollupsManyTest, TheCacheStaysWithinItsBytes) {
  SqliteOptions o = options();
  o.rollup_cache_bytes = 6000;  // room for a few checks' ten days
  auto store = open(o);
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) names.push_back("check-" + std::to_string(i));
  write_history(*store, names);
  const TimePoint from = today() - std::chrono::days{9};
  expect_matches_per_check_reads(*store, names, Resolution::day, from, clock_.now());
  expect_matches_per_check_reads(*store, names, Resolution::day, from, clock_.now());
  EXPECT_LE(store->rollup_cache().bytes(), 6000u);
  EXPECT_GT(store->rollup_cache().checks(), 0u);
  EXPECT_LT(store->rollup_cache().checks(), names.size());
}

// The cache on its own.

DayRollupCache::Row row_of_day(std::int32_t day, std::uint32_t count = 10) {
  DayRollupCache::Row row;
  row.day = day;
  row.location_id = 1;
  row.count = count;
  return row;
}

std::vector<DayRollupCache::Row> days(std::int32_t first, std::int32_t last) {
  std::vector<DayRollupCache::Row> rows;
  for (std::int32_t d = first; d < last; ++d) rows.push_back(row_of_day(d));
  return rows;
}

constexpr std::int64_t kDay = DayRollupCache::kDayMs;

// A batch as the writer would commit it: one result of check `check_id` on day `day`.
sqlite::RollupBatch batch_of(std::int64_t check_id, std::int64_t day, double latency_ms,
                             std::int64_t location_id = 1) {
  Result r;
  r.check = "c";
  r.location = "l";
  r.started_at = TimePoint{std::chrono::milliseconds{day * kDay + 3'600'000}};
  r.duration = std::chrono::microseconds{static_cast<std::int64_t>(latency_ms * 1000)};
  sqlite::RollupBatch batch;
  batch.add(check_id, location_id, r);
  return batch;
}

TEST(DayRollupCache, EvictsTheLeastRecentlyReadCheckToStayWithinItsBytes) {
  // Three checks of 90 days fit; a fourth pushes out the one read longest ago.
  DayRollupCache probe(std::size_t{1} << 30);
  probe.put("a", 1, 10 * kDay, 100 * kDay, 10 * kDay, days(10, 100), probe.start_fill(100 * kDay));
  const std::size_t one = probe.bytes();

  DayRollupCache cache(3 * one + one / 2);
  const auto fill = cache.start_fill(100 * kDay);
  for (std::int64_t id = 1; id <= 3; ++id)
    cache.put("check-" + std::to_string(id), id, 10 * kDay, 100 * kDay, 10 * kDay, days(10, 100),
              fill);
  std::vector<DayRollupCache::Row> out;
  ASSERT_TRUE(cache.get("check-1", 10 * kDay, 100 * kDay, 100 * kDay, out));  // most recent now
  cache.put("check-4", 4, 10 * kDay, 100 * kDay, 10 * kDay, days(10, 100), fill);

  EXPECT_LE(cache.bytes(), cache.max_bytes());
  EXPECT_EQ(cache.checks(), 3u);
  EXPECT_TRUE(cache.get("check-1", 10 * kDay, 100 * kDay, 100 * kDay, out));
  EXPECT_FALSE(cache.get("check-2", 10 * kDay, 100 * kDay, 100 * kDay, out));
  EXPECT_TRUE(cache.get("check-4", 10 * kDay, 100 * kDay, 100 * kDay, out));
}

TEST(DayRollupCache, AnswersOnlyWhenItReachesBackToTheStart) {
  DayRollupCache cache(1 << 20);
  cache.put("a", 1, 10 * kDay, 100 * kDay, 10 * kDay, days(10, 100), cache.start_fill(100 * kDay));
  std::vector<DayRollupCache::Row> out;
  EXPECT_FALSE(cache.get("a", 9 * kDay, 100 * kDay, 100 * kDay, out));
  EXPECT_FALSE(cache.get("b", 10 * kDay, 100 * kDay, 100 * kDay, out));
  const auto held = cache.get("a", 20 * kDay + 5, 50 * kDay, 100 * kDay, out);
  ASSERT_TRUE(held);
  EXPECT_EQ(held->to_ms, 100 * kDay);
  EXPECT_FALSE(held->today);
  ASSERT_EQ(out.size(), 29u);  // days 21..49: a day is in range when it starts in it
  EXPECT_EQ(out.front().day, 21);
  EXPECT_EQ(out.back().day, 49);
}

TEST(DayRollupCache, ExtendsAnEntryByTheDaysSinceAndLetsGoOfOlderOnes) {
  DayRollupCache cache(1 << 20);
  cache.put("a", 1, 10 * kDay, 100 * kDay, 10 * kDay, days(10, 100), cache.start_fill(100 * kDay));
  cache.put("a", 1, 100 * kDay, 101 * kDay, 11 * kDay, days(100, 101),
            cache.start_fill(101 * kDay));
  std::vector<DayRollupCache::Row> out;
  EXPECT_FALSE(cache.get("a", 10 * kDay, 101 * kDay, 101 * kDay, out));
  ASSERT_TRUE(cache.get("a", 11 * kDay, 101 * kDay, 101 * kDay, out));
  EXPECT_EQ(out.size(), 90u);
  EXPECT_EQ(out.back().day, 100);
}

TEST(DayRollupCache, DropsAFillThatRacedAChangeToACompletedDay) {
  DayRollupCache cache(1 << 20);
  const auto raced = cache.start_fill(100 * kDay);
  cache.write_finished(1, batch_of(7, 50, 5));  // another check's completed day changed
  cache.put("a", 1, 10 * kDay, 100 * kDay, 10 * kDay, days(10, 100), raced);
  EXPECT_EQ(cache.checks(), 0u);

  cache.put("a", 1, 10 * kDay, 100 * kDay, 10 * kDay, days(10, 100), cache.start_fill(100 * kDay));
  EXPECT_EQ(cache.checks(), 1u);
  cache.write_finished(2, batch_of(1, 100, 5));  // today: nothing the cache holds as completed
  EXPECT_EQ(cache.checks(), 1u);
  cache.write_finished(3, batch_of(1, 99, 5));
  EXPECT_EQ(cache.checks(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(DayRollupCache, TracksTodayFromASnapshotAndMergesOnlyTheWritesAfterIt) {
  DayRollupCache cache(1 << 20);
  const auto today_rows = [] {  // two results, 10 and 20 ms, at location 1
    DayRollupCache::OpenRow row;
    row.location_id = 1;
    row.stored = {2, 0, 0, 10, 30, 20, {}};
    row.histogram.add(10);
    row.histogram.add(20);
    return std::vector<DayRollupCache::OpenRow>{row};
  };
  cache.put("a", 1, 10 * kDay, 100 * kDay, 10 * kDay, days(10, 100), cache.start_fill(100 * kDay));
  // Rows read in a snapshot holding writes 1..5, while write 6 has already been reported: its
  // delta is neither in the rows nor at hand any more.
  cache.write_finished(6, batch_of(1, 100, 5));
  cache.track_today("a", 100 * kDay, today_rows(), 5);
  EXPECT_EQ(cache.checks_tracking_today(), 0u);

  // Rows read in a snapshot holding writes 1..8 (7 and 8 committed, not yet reported).
  cache.track_today("a", 100 * kDay, today_rows(), 8);
  EXPECT_EQ(cache.checks_tracking_today(), 1u);
  cache.write_finished(7, batch_of(1, 100, 1000));  // in the rows already
  cache.write_finished(8, batch_of(1, 100, 1000));
  cache.write_finished(9, batch_of(1, 100, 40));
  cache.write_finished(10, batch_of(1, 100, 7, 2));  // a new location
  std::vector<DayRollupCache::Row> out;
  const auto held = cache.get("a", 10 * kDay, 101 * kDay, 100 * kDay, out);
  ASSERT_TRUE(held);
  EXPECT_TRUE(held->today);
  EXPECT_EQ(held->to_ms, 101 * kDay);
  ASSERT_EQ(out.size(), 92u);
  EXPECT_EQ(out[90].day, 100);
  EXPECT_EQ(out[90].count, 3u);
  EXPECT_DOUBLE_EQ(out[90].latency_avg_ms, 70.0 / 3);
  EXPECT_DOUBLE_EQ(out[90].latency_max_ms, 40);
  EXPECT_EQ(out[91].location_id, 2);
  EXPECT_EQ(out[91].count, 1u);

  // The next day, the tracked one is over: the cache gives up to it and the caller reads on.
  out.clear();
  const auto next_day = cache.get("a", 11 * kDay, 102 * kDay, 101 * kDay, out);
  ASSERT_TRUE(next_day);
  EXPECT_FALSE(next_day->today);
  EXPECT_EQ(next_day->to_ms, 100 * kDay);
  EXPECT_EQ(cache.checks_tracking_today(), 0u);
}

TEST(DayRollupCache, RefusesRowsThatDoNotFit) {
  EXPECT_TRUE(DayRollupCache::fits(19000 * kDay, 3, 86400));
  EXPECT_FALSE(DayRollupCache::fits(19000 * kDay + 1, 3, 86400));  // not a day's start
  EXPECT_FALSE(DayRollupCache::fits(19000 * kDay, std::int64_t{1} << 40, 1));
  EXPECT_FALSE(DayRollupCache::fits(19000 * kDay, 3, std::int64_t{1} << 33));
}

TEST(DayRollupCache, DoesNothingWhenDisabled) {
  DayRollupCache cache(0);
  cache.put("a", 1, 10 * kDay, 100 * kDay, 10 * kDay, days(10, 100), cache.start_fill(100 * kDay));
  std::vector<DayRollupCache::Row> out;
  EXPECT_FALSE(cache.get("a", 10 * kDay, 100 * kDay, 100 * kDay, out));
  EXPECT_EQ(cache.bytes(), 0u);
}

}  // namespace
}  // namespace lk::store::test
