// Store: append() throughput into a real SQLite file (results + minute/hour/day rollups,
// committed by the writer thread, flush() at the end), and the 90-day dashboard read: one
// rollups() per check, and one rollups_many() for all (GET /api/v1/rollups) with its cache of
// day rollups off and on.
//
// Issue 3's targets, reported as counters: 10,000 results/s sustained (`vs_target` = measured
// rate / 10,000; above 1 is better) and < 50 ms for 90 days of day rollups of 1,000 checks
// (`vs_target` = 50 ms / measured; above 1 is better).
//
// Reference measured in the same run: the same rows inserted with a bare prepared statement
// into a `results` table of the same shape (same index, WAL, synchronous=NORMAL, 5,000 rows per
// transaction) and no rollups; `vs_raw_insert` is the store's time per result over that.
//
// The database lives in a fresh directory under $TMPDIR (default /tmp), removed afterwards;
// what the disk under it is decides these figures more than the code does.

#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "reference.hpp"
#include "store/store.hpp"

namespace lk::store {
namespace {

using namespace std::chrono_literals;

constexpr double kTargetResultsPerSecond = 10'000;
constexpr double kTargetReadMs = 50;

constexpr std::size_t kAppendChecks = 2000;
constexpr std::size_t kAppendLocations = 3;
constexpr std::size_t kAppendRounds = 5;  // per iteration: 30,000 results
constexpr std::size_t kResultsPerIteration = kAppendChecks * kAppendLocations * kAppendRounds;

const std::vector<std::string> kLocations = {"eu-central", "us-east", "ap-southeast"};

/// A directory under the system temp dir, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "lk-micro-bench-XXXXXX");
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

SqliteOptions options_in(const TempDir& dir) {
  SqliteOptions o;
  o.path = dir.file("lightkeeper.db");
  o.prune_interval = 24h;  // no retention run inside a benchmark
  return o;
}

// Durations from counters (chrono's operator* with a std::size_t would make unsigned ones).
std::int64_t n(std::size_t count) {
  return static_cast<std::int64_t>(count);
}

std::string check_name(std::size_t i) {
  return "shop-" + std::to_string(i) + ".example.com";
}

// A judged HTTP result; latencies vary so that histograms have several buckets.
Result http_result(std::string check, const std::string& location, TimePoint started_at,
                   std::size_t salt) {
  const auto latency = std::chrono::microseconds{n((40 + (salt * 37) % 400) * 1000 + salt % 1000)};
  Result r;
  r.check = std::move(check);
  r.location = location;
  r.started_at = started_at;
  r.duration = latency;
  r.status = salt % 97 == 0 ? Status::fail : Status::ok;
  r.message = r.status == Status::ok
                  ? "HTTP 200 in " + std::to_string(latency.count() / 1000) + " ms"
                  : "connect to 203.0.113.7:443 refused";
  r.timings.dns = 2ms;
  r.timings.connect = 9ms;
  r.timings.first_byte = latency - 1ms;
  r.timings.total = latency;
  return r;
}

// The results of `rounds` rounds of every check at every location, one round a minute.
std::vector<Result> append_batch(TimePoint first_round, std::size_t rounds) {
  std::vector<Result> batch;
  batch.reserve(kAppendChecks * kAppendLocations * rounds);
  for (std::size_t round = 0; round < rounds; ++round)
    for (std::size_t c = 0; c < kAppendChecks; ++c)
      for (std::size_t l = 0; l < kAppendLocations; ++l)
        batch.push_back(http_result(check_name(c), kLocations[l],
                                    first_round + n(round) * 1min + n(c) * 20ms, batch.size()));
  return batch;
}

void throw_unless(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void BM_Reference_SqliteRawInsert(benchmark::State& bm) {
  TempDir dir;
  sqlite3* db = nullptr;
  throw_unless(sqlite3_open(dir.file("raw.db").c_str(), &db), db, "open");
  throw_unless(sqlite3_exec(db,
                            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                            "CREATE TABLE results (check_id INTEGER NOT NULL, location_id "
                            "INTEGER NOT NULL, started_at INTEGER NOT NULL, duration_us INTEGER "
                            "NOT NULL, status INTEGER NOT NULL, message TEXT NOT NULL, dns_us "
                            "INTEGER, connect_us INTEGER, tls_us INTEGER, first_byte_us INTEGER, "
                            "total_us INTEGER, metrics TEXT, cert_not_after INTEGER);"
                            "CREATE INDEX results_by_check_time ON results (check_id, started_at);",
                            nullptr, nullptr, nullptr),
               db, "schema");
  sqlite3_stmt* insert = nullptr;
  throw_unless(sqlite3_prepare_v2(db,
                                  "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, "
                                  "?, NULL, NULL)",
                                  -1, &insert, nullptr),
               db, "prepare");
  auto us = [](Duration d) {
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  };

  TimePoint round = TimePoint{std::chrono::seconds{1'800'000'000}};
  double elapsed_ns = 0;
  for (auto _ : bm) {
    bm.PauseTiming();
    const std::vector<Result> batch = append_batch(round, kAppendRounds);
    round += n(kAppendRounds) * 1min;
    bm.ResumeTiming();
    bench::Stopwatch watch(bench::Stopwatch::Kind::wall);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (i % 5000 == 0) sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
      const Result& r = batch[i];
      sqlite3_bind_int64(insert, 1, n(i / kAppendLocations % kAppendChecks));
      sqlite3_bind_int64(insert, 2, n(i % kAppendLocations));
      sqlite3_bind_int64(
          insert, 3,
          std::chrono::duration_cast<std::chrono::milliseconds>(r.started_at.time_since_epoch())
              .count());
      sqlite3_bind_int64(insert, 4, us(r.duration));
      sqlite3_bind_int(insert, 5, static_cast<int>(r.status));
      sqlite3_bind_text(insert, 6, r.message.data(), static_cast<int>(r.message.size()),
                        SQLITE_STATIC);
      sqlite3_bind_int64(insert, 7, us(*r.timings.dns));
      sqlite3_bind_int64(insert, 8, us(*r.timings.connect));
      sqlite3_bind_int64(insert, 9, us(*r.timings.first_byte));
      sqlite3_bind_int64(insert, 10, us(*r.timings.total));
      throw_unless(sqlite3_step(insert), db, "insert");
      sqlite3_reset(insert);
      if (i % 5000 == 4999 || i + 1 == batch.size())
        throw_unless(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    }
    elapsed_ns += watch.elapsed_ns();
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  const auto results =
      static_cast<double>(static_cast<std::uint64_t>(bm.iterations()) * kResultsPerIteration);
  bench::record_reference("store.raw_insert", elapsed_ns, results);
  bm.SetItemsProcessed(static_cast<std::int64_t>(results));
}

// Each iteration appends 30,000 results (5 rounds of 2,000 checks at 3 locations) and flushes;
// building the Results is not timed, moving them into append() is.
void BM_StoreAppend(benchmark::State& bm) {
  TempDir dir;
  ManualClock clock;
  auto store = open_sqlite(options_in(dir), clock);
  TimePoint round = clock.now();
  double elapsed_ns = 0;
  for (auto _ : bm) {
    bm.PauseTiming();
    std::vector<Result> batch = append_batch(round, kAppendRounds);
    round += n(kAppendRounds) * 1min;
    bm.ResumeTiming();
    bench::Stopwatch watch(bench::Stopwatch::Kind::wall);
    for (Result& r : batch) store->append(std::move(r));
    store->flush();
    elapsed_ns += watch.elapsed_ns();
  }
  const Stats stats = store->stats();
  const auto written = static_cast<std::uint64_t>(bm.iterations()) * kResultsPerIteration;
  const auto results = static_cast<double>(written);
  bm.SetItemsProcessed(n(written));  // results/s, with rollups
  const double rate = results / (elapsed_ns / 1e9);
  bm.counters["vs_target"] = rate / kTargetResultsPerSecond;
  bm.counters["batches"] = static_cast<double>(stats.batches_written);
  bm.counters["max_batch_ms"] = stats.max_batch_ms;
  bench::report_ratio(bm, "vs_raw_insert", "store.raw_insert", elapsed_ns, results);
  if (stats.results_written != written) bm.SkipWithError("not every result was written");
}

// 1,000 checks with 90 days of results (2 a day, 12 h apart, one location), written once for
// all runs of the read benchmark: 180,000 results, 90,000 day rollups. Two results a day keep
// the setup near 10 s; a day rollup's histogram then has 1-2 buckets instead of the ~10 of a
// check run every minute, which the read's p95 step (finish_rollup) would decode.
struct NinetyDays {
  static constexpr std::size_t kChecks = 1000;
  static constexpr std::size_t kDays = 90;
  static constexpr std::size_t kPerDay = 2;

  TempDir dir;  // before the stores: removed after they are closed
  ManualClock clock;
  std::unique_ptr<Store> store;
  std::unique_ptr<Store> uncached;  ///< the same file, rollup cache off (opened when first used)
  TimePoint from;                   ///< start of the first day
  TimePoint to;                     ///< end of the last day
  double setup_s = 0;

  NinetyDays() {
    bench::Stopwatch watch(bench::Stopwatch::Kind::wall);
    SqliteOptions options = options_in(dir);
    options.raw_retention = 24h * 365;  // keep everything this fixture wrote
    store = open_sqlite(options, clock);
    const auto today = std::chrono::floor<std::chrono::days>(clock.now());
    from = today - std::chrono::days{kDays};
    to = today;
    std::size_t salt = 0;
    for (std::size_t day = 0; day < kDays; ++day) {
      for (std::size_t k = 0; k < kPerDay; ++k)
        for (std::size_t c = 0; c < kChecks; ++c)
          store->append(http_result(check_name(c), "local",
                                    from + n(day) * std::chrono::days{1} + n(k) * 12h + n(c) * 50ms,
                                    salt++));
      store->flush();  // a day at a time, so batches stay the size they have in service
    }
    setup_s = watch.elapsed_ns() / 1e9;
  }

  Store& without_cache() {
    if (!uncached) {
      SqliteOptions options = options_in(dir);
      options.raw_retention = 24h * 365;
      options.rollup_cache_bytes = 0;
      uncached = open_sqlite(options, clock);
    }
    return *uncached;
  }

  static NinetyDays& get() {
    static NinetyDays fixture;
    return fixture;
  }
};

void BM_StoreRollups90Days1kChecks(benchmark::State& bm) {
  NinetyDays& fixture = NinetyDays::get();
  std::vector<std::string> checks;
  for (std::size_t c = 0; c < NinetyDays::kChecks; ++c) checks.push_back(check_name(c));
  std::size_t rows = 0;
  double elapsed_ns = 0;
  for (auto _ : bm) {
    bench::Stopwatch watch(bench::Stopwatch::Kind::wall);
    rows = 0;
    for (const auto& check : checks)
      rows += fixture.store->rollups(check, Resolution::day, fixture.from, fixture.to).size();
    elapsed_ns += watch.elapsed_ns();
  }
  if (rows != NinetyDays::kChecks * NinetyDays::kDays)
    bm.SkipWithError("expected 90 day rollups per check");
  const double ms_per_read = elapsed_ns / 1e6 / static_cast<double>(bm.iterations());
  bm.SetItemsProcessed(bm.iterations() * static_cast<std::int64_t>(rows));  // rows/s
  bm.counters["ms_per_read"] = ms_per_read;
  bm.counters["vs_target"] = kTargetReadMs / ms_per_read;
  bm.counters["fixture_setup_s"] = fixture.setup_s;
}

// The same read as one rollups_many() call, as GET /api/v1/rollups makes it. Arg 0: the
// rollup cache off (every row from SQL, every p95 from its histogram); arg 1: on, after a first
// call filled it (only today's rows, none in this fixture, come from SQL).
void BM_StoreRollupsMany90Days1kChecks(benchmark::State& bm) {
  NinetyDays& fixture = NinetyDays::get();
  const bool cached = bm.range(0) != 0;
  Store& store = cached ? *fixture.store : fixture.without_cache();
  std::vector<std::string> names;
  for (std::size_t c = 0; c < NinetyDays::kChecks; ++c) names.push_back(check_name(c));
  const std::vector<std::string_view> checks(names.begin(), names.end());
  std::size_t rows = 0;
  double latency_sum = 0;  // keeps the visitor's reads from being optimised away
  const auto read = [&] {
    rows = 0;
    store.rollups_many(checks, Resolution::day, fixture.from, fixture.to,
                       [&](std::size_t, const Rollup& rollup) {
                         ++rows;
                         latency_sum += rollup.latency_p95_ms;
                       });
  };
  bench::Stopwatch first(bench::Stopwatch::Kind::wall);
  read();  // fills the cache when there is one
  const double first_ms = first.elapsed_ns() / 1e6;
  double elapsed_ns = 0;
  for (auto _ : bm) {
    bench::Stopwatch watch(bench::Stopwatch::Kind::wall);
    read();
    elapsed_ns += watch.elapsed_ns();
  }
  benchmark::DoNotOptimize(latency_sum);
  if (rows != NinetyDays::kChecks * NinetyDays::kDays)
    bm.SkipWithError("expected 90 day rollups per check");
  const double ms_per_read = elapsed_ns / 1e6 / static_cast<double>(bm.iterations());
  bm.SetItemsProcessed(bm.iterations() * static_cast<std::int64_t>(rows));  // rows/s
  bm.counters["ms_per_read"] = ms_per_read;
  bm.counters["first_read_ms"] = first_ms;
  bm.counters["vs_target"] = kTargetReadMs / ms_per_read;
}

BENCHMARK(BM_Reference_SqliteRawInsert)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(5);
BENCHMARK(BM_StoreAppend)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_StoreRollups90Days1kChecks)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(20);
BENCHMARK(BM_StoreRollupsMany90Days1kChecks)
    ->ArgName("cache")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(20);

}  // namespace
}  // namespace lk::store
