// Raw results: what goes in comes out, and when it becomes readable.

#include <cmath>

#include "store_fixture.hpp"

namespace lk::store::test {
namespace {

TEST_F(StoreTest, ResultRoundTripsWithEveryField) {
  auto store = open();
  Result r = result("web", 1500ms, 123.456, Status::warn, "eu-west");
  r.message = "status 200, but latency 123ms > 100ms";
  r.timings.dns = 1234us;
  r.timings.connect = 5678us;
  r.timings.tls = 20'000us;
  r.timings.first_byte = 100'000us;
  r.timings.total = 123'456us;
  r.metrics = {{"body_bytes", 5120, "B"}, {"ratio", 0.25, ""}};
  r.cert_not_after = at(std::chrono::hours{24 * 90});
  store->append(r);
  store->flush();

  const auto read = store->results("web", at(0s), at(1h), 10);
  ASSERT_EQ(read.size(), 1u);
  const Result& got = read[0];
  EXPECT_EQ(got.check, "web");
  EXPECT_EQ(got.location, "eu-west");
  EXPECT_EQ(got.started_at, r.started_at);
  EXPECT_EQ(got.duration, r.duration);
  EXPECT_EQ(got.status, Status::warn);
  EXPECT_EQ(got.message, r.message);
  EXPECT_EQ(got.timings.dns, r.timings.dns);
  EXPECT_EQ(got.timings.connect, r.timings.connect);
  EXPECT_EQ(got.timings.tls, r.timings.tls);
  EXPECT_EQ(got.timings.first_byte, r.timings.first_byte);
  EXPECT_EQ(got.timings.total, r.timings.total);
  ASSERT_EQ(got.metrics.size(), 2u);
  EXPECT_EQ(got.metrics[0].name, "body_bytes");
  EXPECT_EQ(got.metrics[0].value, 5120);
  EXPECT_EQ(got.metrics[0].unit, "B");
  EXPECT_EQ(got.metrics[1].name, "ratio");
  EXPECT_EQ(got.metrics[1].value, 0.25);
  EXPECT_EQ(got.metrics[1].unit, "");
  EXPECT_EQ(got.cert_not_after, r.cert_not_after);
}

TEST_F(StoreTest, MissingPhasesMetricsAndCertificateReadBackAsAbsent) {
  auto store = open();
  Result r = result("dns", 0s, 3, Status::fail);
  r.timings.dns = 3ms;  // resolved, then nothing else happened
  store->append(r);
  store->flush();

  const auto read = store->results("dns", at(0s), at(1s), 10);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].timings.dns, 3ms);
  EXPECT_FALSE(read[0].timings.connect);
  EXPECT_FALSE(read[0].timings.tls);
  EXPECT_FALSE(read[0].timings.first_byte);
  EXPECT_FALSE(read[0].timings.total);
  EXPECT_TRUE(read[0].metrics.empty());
  EXPECT_FALSE(read[0].cert_not_after);
}

TEST_F(StoreTest, NonFiniteMetricReadsBackAsNaN) {
  auto store = open();
  Result r = result("plugin", 0s, 1);
  r.metrics = {{"load", std::nan(""), ""}};
  store->append(r);
  store->flush();
  const auto read = store->results("plugin", at(0s), at(1s), 10);
  ASSERT_EQ(read.size(), 1u);
  ASSERT_EQ(read[0].metrics.size(), 1u);
  EXPECT_TRUE(std::isnan(read[0].metrics[0].value));
}

TEST_F(StoreTest, ResultsComeOldestFirstFromTheHalfOpenRangeUpToTheLimit) {
  auto store = open();
  for (int second : {30, 10, 0, 20, 40})
    store->append(result("web", std::chrono::seconds{second}, 1));
  store->append(result("other", 15s, 1));
  store->flush();

  const auto in_range = store->results("web", at(10s), at(40s), 100);
  ASSERT_EQ(in_range.size(), 3u);  // 10 s, 20 s, 30 s; 40 s is the excluded end
  EXPECT_EQ(in_range[0].started_at, at(10s));
  EXPECT_EQ(in_range[1].started_at, at(20s));
  EXPECT_EQ(in_range[2].started_at, at(30s));

  const auto limited = store->results("web", at(0s), at(1h), 2);
  ASSERT_EQ(limited.size(), 2u);
  EXPECT_EQ(limited[0].started_at, at(0s));
  EXPECT_EQ(limited[1].started_at, at(10s));

  EXPECT_TRUE(store->results("never-configured", at(0s), at(1h), 100).empty());
}

TEST_F(StoreTest, FlushMakesAppendedResultsReadable) {
  auto store = open();  // the writer would otherwise wait an hour
  for (int i = 0; i < 100; ++i) store->append(result("web", std::chrono::seconds{i}, 1));
  store->flush();
  EXPECT_EQ(store->results("web", at(0s), at(1h), 1000).size(), 100u);
  const Stats stats = store->stats();
  EXPECT_EQ(stats.results_written, 100u);
  EXPECT_GE(stats.batches_written, 1u);
  EXPECT_EQ(stats.queue_depth, 0u);
}

TEST_F(StoreTest, FlushWithNothingQueuedReturnsAtOnce) {
  auto store = open();
  store->flush();
  EXPECT_EQ(store->stats().batches_written, 0u);
}

TEST_F(StoreTest, QueuedResultsAreWrittenOnceTheFlushIntervalPasses) {
  SqliteOptions o = options();
  o.flush_interval = 20ms;
  auto store = open(o);
  store->append(result("web", 0s, 1));
  EXPECT_TRUE(eventually([&] { return store->results("web", at(0s), at(1h), 10).size() == 1; }));
}

TEST_F(StoreTest, AFullBatchIsWrittenWithoutWaitingForTheFlushInterval) {
  SqliteOptions o = options();
  o.max_batch = 10;
  auto store = open(o);
  for (int i = 0; i < 10; ++i) store->append(result("web", std::chrono::seconds{i}, 1));
  EXPECT_TRUE(eventually([&] { return store->results("web", at(0s), at(1h), 100).size() == 10; }));
}

TEST_F(StoreTest, ABacklogIsWrittenInTransactionsOfAtMostMaxBatchResults) {
  SqliteOptions o = options();
  o.max_batch = 10;
  auto store = open(o);
  for (int i = 0; i < 35; ++i) store->append(result("web", std::chrono::seconds{i}, 1));
  store->flush();
  EXPECT_EQ(store->results("web", at(0s), at(1h), 100).size(), 35u);
  EXPECT_GE(store->stats().batches_written, 4u);
}

TEST_F(StoreTest, ClosingTheStoreCommitsWhatIsStillQueued) {
  {
    auto store = open();
    store->append(result("web", 0s, 1));
  }
  auto reopened = open();
  EXPECT_EQ(reopened->results("web", at(0s), at(1h), 10).size(), 1u);
}

TEST_F(StoreTest, ResultsAppendedFromManyThreadsAreAllWritten) {
  auto store = open();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i)
        store->append(result("check-" + std::to_string(t), std::chrono::milliseconds{i}, 1));
    });
  }
  for (auto& thread : threads) thread.join();
  store->flush();
  for (int t = 0; t < 4; ++t)
    EXPECT_EQ(store->results("check-" + std::to_string(t), at(0s), at(1h), 1000).size(), 250u);
}

}  // namespace
}  // namespace lk::store::test

namespace lk::store::test {

TEST_F(StoreTest, MetricNamesWithQuotesControlCharactersAndUtf8RoundTrip) {
  auto store = open();
  Result r = result("web", 5s, 12.0);
  r.metrics = {{"disk \"/\" used\\\n\t", 0.1 + 0.2, "%"},
               {"temp\xc2\xb0", -1e-300,
                "\xc2\xb0"
                "C"},
               {"tiny", 5e-324, ""}};
  store->append(r);
  store->flush();
  const auto read = store->results("web", at(0s), at(1h), 10);
  ASSERT_EQ(read.size(), 1u);
  ASSERT_EQ(read[0].metrics.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(read[0].metrics[i].name, r.metrics[i].name);
    EXPECT_EQ(read[0].metrics[i].value, r.metrics[i].value);  // shortest round-trip form
    EXPECT_EQ(read[0].metrics[i].unit, r.metrics[i].unit);
  }
}

}  // namespace lk::store::test
