// Rollups: counts and latencies per minute, hour and day, and the histogram behind the p95.

#include <algorithm>
#include <cmath>
#include <vector>

#include "store/sqlite/histogram.hpp"
#include "store/sqlite/rollup_math.hpp"
#include "store_fixture.hpp"

namespace lk::store::test {
namespace {

using sqlite::LatencyHistogram;

// The exact nearest-rank percentile, to compare the histogram's estimate with.
double exact_percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::max<std::size_t>(rank, 1) - 1];
}

// One bucket's relative width: the most a percentile estimate can be off.
constexpr double kHistogramPrecision = LatencyHistogram::kGrowth - 1;

TEST(LatencyHistogram, BucketBoundsGrowBy35PercentFromATenthOfAMillisecond) {
  EXPECT_EQ(LatencyHistogram::bucket_of(0), 0u);
  EXPECT_EQ(LatencyHistogram::bucket_of(0.099), 0u);
  EXPECT_EQ(LatencyHistogram::bucket_of(0.1), 1u);
  EXPECT_EQ(LatencyHistogram::bucket_of(0.1349), 1u);
  EXPECT_EQ(LatencyHistogram::bucket_of(0.136), 2u);
  EXPECT_EQ(LatencyHistogram::bucket_of(1e12), LatencyHistogram::kBuckets - 1);
  EXPECT_EQ(LatencyHistogram::bucket_of(-5), 0u);
  for (std::size_t i = 1; i + 1 < LatencyHistogram::kBuckets; ++i) {
    const double lower = LatencyHistogram::lower_bound_ms(i);
    EXPECT_EQ(LatencyHistogram::bucket_of(lower * 1.0001), i);
    EXPECT_NEAR(LatencyHistogram::upper_bound_ms(i) / lower, LatencyHistogram::kGrowth, 1e-9);
  }
}

TEST(LatencyHistogram, SurvivesEncodingAsACompactBlob) {
  LatencyHistogram h;
  h.add(0.05);
  h.add(12, 3);
  h.add(1e9, 1'000'000'000'000);
  const std::string blob = h.encode();
  EXPECT_LE(blob.size(), 1 + 3 * 7u);
  const auto decoded = LatencyHistogram::decode(blob);
  ASSERT_TRUE(decoded);
  for (std::size_t i = 0; i < LatencyHistogram::kBuckets; ++i)
    EXPECT_EQ(decoded->count_in(i), h.count_in(i)) << "bucket " << i;
}

TEST(LatencyHistogram, RefusesABlobItDidNotWrite) {
  EXPECT_FALSE(LatencyHistogram::decode(""));
  EXPECT_FALSE(LatencyHistogram::decode("\x02"));
  EXPECT_FALSE(LatencyHistogram::decode(std::string("\x01\x63\x01", 3)));  // bucket 99
  EXPECT_FALSE(LatencyHistogram::decode(std::string("\x01\x05\x80", 3)));  // truncated count
}

TEST(LatencyHistogram, P95IsWithinOneBucketOfTheExactValue) {
  std::vector<double> latencies;
  for (int i = 1; i <= 1000; ++i) latencies.push_back(20 + (i % 97) * 3.7 + (i % 13) * 0.9);
  LatencyHistogram h;
  for (double ms : latencies) h.add(ms);
  for (double q : {0.5, 0.9, 0.95, 0.99}) {
    const double exact = exact_percentile(latencies, q);
    EXPECT_NEAR(h.percentile(q), exact, exact * kHistogramPrecision) << "q=" << q;
  }
}

TEST(LatencyHistogram, MergingEncodedHistogramsAddsTheirCounts) {
  LatencyHistogram a, b;
  a.add(5, 2);
  b.add(5);
  b.add(500);
  const auto merged =
      LatencyHistogram::decode(sqlite::merge_encoded_histograms(a.encode(), b.encode()));
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->count_in(LatencyHistogram::bucket_of(5)), 3u);
  EXPECT_EQ(merged->count_in(LatencyHistogram::bucket_of(500)), 1u);
  EXPECT_EQ(merged->total(), 4u);
}

TEST(RollupBuckets, StartAtTheMinuteHourAndUtcDay) {
  const TimePoint t = TimePoint{std::chrono::seconds{1'800'000'000 + 3 * 3600 + 125}};  // 11:02:05
  EXPECT_EQ(sqlite::bucket_start(t, Resolution::minute),
            TimePoint{std::chrono::seconds{1'800'000'000 + 3 * 3600 + 120}});
  EXPECT_EQ(sqlite::bucket_start(t, Resolution::hour),
            TimePoint{std::chrono::seconds{1'800'000'000 + 3 * 3600}});
  EXPECT_EQ(sqlite::bucket_start(t, Resolution::day),
            TimePoint{std::chrono::seconds{1'799'971'200}});
  EXPECT_EQ(sqlite::bucket_start(TimePoint{-1s}, Resolution::minute), TimePoint{-60s});
}

TEST_F(StoreTest, RollupsCountFailuresWarningsAndLatencyPerMinuteHourAndDay) {
  auto store = open();
  // Minute 08:00: four results, one failing, one warning.
  store->append(result("web", 1s, 10));
  store->append(result("web", 15s, 20, Status::fail));
  store->append(result("web", 30s, 30, Status::warn));
  store->append(result("web", 59s, 40));
  // Minute 08:01 and the next hour 09:00.
  store->append(result("web", 60s, 100));
  store->append(result("web", 1h, 5));
  store->flush();

  const auto minutes = store->rollups("web", Resolution::minute, at(0s), at(2h));
  ASSERT_EQ(minutes.size(), 3u);
  EXPECT_EQ(minutes[0].bucket, at(0s));
  EXPECT_EQ(minutes[0].resolution, Resolution::minute);
  EXPECT_EQ(minutes[0].check, "web");
  EXPECT_EQ(minutes[0].location, "local");
  EXPECT_EQ(minutes[0].count, 4);
  EXPECT_EQ(minutes[0].failures, 1);
  EXPECT_EQ(minutes[0].warnings, 1);
  EXPECT_DOUBLE_EQ(minutes[0].latency_min_ms, 10);
  EXPECT_DOUBLE_EQ(minutes[0].latency_avg_ms, 25);
  EXPECT_DOUBLE_EQ(minutes[0].latency_max_ms, 40);
  EXPECT_EQ(minutes[1].bucket, at(60s));
  EXPECT_EQ(minutes[1].count, 1);
  EXPECT_EQ(minutes[2].bucket, at(1h));

  const auto hours = store->rollups("web", Resolution::hour, at(0s), at(2h));
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_EQ(hours[0].count, 5);
  EXPECT_EQ(hours[0].failures, 1);
  EXPECT_DOUBLE_EQ(hours[0].latency_min_ms, 10);
  EXPECT_DOUBLE_EQ(hours[0].latency_avg_ms, 40);
  EXPECT_DOUBLE_EQ(hours[0].latency_max_ms, 100);
  EXPECT_EQ(hours[1].bucket, at(1h));
  EXPECT_EQ(hours[1].count, 1);

  const TimePoint day = sqlite::bucket_start(at(0s), Resolution::day);
  const auto days = store->rollups("web", Resolution::day, day, day + 24h);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].bucket, day);
  EXPECT_EQ(days[0].count, 6);
  EXPECT_DOUBLE_EQ(days[0].latency_min_ms, 5);
  EXPECT_DOUBLE_EQ(days[0].latency_max_ms, 100);
  EXPECT_DOUBLE_EQ(days[0].latency_avg_ms, 205.0 / 6);
}

TEST_F(StoreTest, RollupP95IsWithinTheHistogramPrecisionAtEveryResolution) {
  auto store = open();
  std::vector<double> latencies;
  for (int i = 1; i <= 100; ++i) latencies.push_back(i);  // 1..100 ms in one minute
  for (std::size_t i = 0; i < latencies.size(); ++i)
    store->append(result("web", std::chrono::milliseconds{i * 500}, latencies[i]));
  store->flush();

  const double exact = exact_percentile(latencies, 0.95);
  for (Resolution res : sqlite::kAllResolutions) {
    const auto rollups = store->rollups("web", res, at(-24h), at(24h));
    ASSERT_EQ(rollups.size(), 1u);
    EXPECT_NEAR(rollups[0].latency_p95_ms, exact, exact * kHistogramPrecision);
    EXPECT_LE(rollups[0].latency_p95_ms, 100);
  }
}

TEST_F(StoreTest, RollupsMergedOverManyBatchesEqualOneBatch) {
  std::vector<Result> results;
  for (int i = 0; i < 300; ++i)
    results.push_back(result("web", std::chrono::seconds{i % 50}, 1 + (i * 37) % 250,
                             i % 7 == 0 ? Status::fail : Status::ok));
  std::vector<Rollup> at_once, in_pieces;
  {
    auto store = open();
    for (const Result& r : results) store->append(r);
    store->flush();
    at_once = store->rollups("web", Resolution::hour, at(0s), at(1h));
  }
  {
    SqliteOptions second = options();
    second.path = (dir_.path() / "in-pieces.db").string();
    auto store = open(second);
    for (std::size_t i = 0; i < results.size(); ++i) {
      store->append(results[i]);
      if (i % 40 == 0) store->flush();
    }
    store->flush();
    in_pieces = store->rollups("web", Resolution::hour, at(0s), at(1h));
  }
  ASSERT_EQ(at_once.size(), 1u);
  ASSERT_EQ(in_pieces.size(), 1u);
  EXPECT_EQ(in_pieces[0].count, 300);
  EXPECT_EQ(in_pieces[0].count, at_once[0].count);
  EXPECT_EQ(in_pieces[0].failures, at_once[0].failures);
  EXPECT_DOUBLE_EQ(in_pieces[0].latency_min_ms, at_once[0].latency_min_ms);
  EXPECT_DOUBLE_EQ(in_pieces[0].latency_max_ms, at_once[0].latency_max_ms);
  EXPECT_NEAR(in_pieces[0].latency_avg_ms, at_once[0].latency_avg_ms, 1e-9);
  EXPECT_DOUBLE_EQ(in_pieces[0].latency_p95_ms, at_once[0].latency_p95_ms);
}

TEST_F(StoreTest, RollupsAreKeptPerLocationAndOrderedByBucket) {
  auto store = open();
  store->append(result("web", 61s, 30, Status::ok, "us-east"));
  store->append(result("web", 62s, 10, Status::ok, "eu-west"));
  store->append(result("web", 1s, 20, Status::fail, "us-east"));
  store->flush();

  const auto minutes = store->rollups("web", Resolution::minute, at(0s), at(1h));
  ASSERT_EQ(minutes.size(), 3u);
  EXPECT_EQ(minutes[0].bucket, at(0s));
  EXPECT_EQ(minutes[0].location, "us-east");
  EXPECT_EQ(minutes[0].failures, 1);
  EXPECT_EQ(minutes[1].bucket, at(60s));
  EXPECT_EQ(minutes[2].bucket, at(60s));
  EXPECT_NE(minutes[1].location, minutes[2].location);
}

TEST_F(StoreTest, RollupLatencyIsTheMeasuredTotalWhenThereIsOne) {
  auto store = open();
  Result r = result("web", 0s, 900);  // the run took 900 ms (e.g. with a slow expect step)
  r.timings.total = 150ms;            // the exchange itself took 150 ms
  store->append(r);
  store->flush();
  const auto minutes = store->rollups("web", Resolution::minute, at(0s), at(1h));
  ASSERT_EQ(minutes.size(), 1u);
  EXPECT_DOUBLE_EQ(minutes[0].latency_max_ms, 150);
}

TEST_F(StoreTest, RollupRangeIsHalfOpenOnTheBucketStart) {
  auto store = open();
  for (int minute = 0; minute < 5; ++minute)
    store->append(result("web", std::chrono::minutes{minute}, 1));
  store->flush();
  const auto minutes = store->rollups("web", Resolution::minute, at(1min), at(3min));
  ASSERT_EQ(minutes.size(), 2u);
  EXPECT_EQ(minutes[0].bucket, at(1min));
  EXPECT_EQ(minutes[1].bucket, at(2min));
}

}  // namespace
}  // namespace lk::store::test
