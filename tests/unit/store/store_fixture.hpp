#pragma once
// Shared by the store tests: a fresh temporary directory per test, a manual clock, helpers
// to build results and to wait for something the writer thread does on its own.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace lk::store::test {

using namespace std::chrono_literals;

/// A directory under the system temp dir, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "lk-store-test-XXXXXX");
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Polls `condition` until it holds or `timeout` passes (for work the writer does on its own).
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return condition();
}

class StoreTest : public ::testing::Test {
 protected:
  /// Options for the test's database; the writer waits an hour before flushing on its own, so
  /// a test sees only what it flushed unless it shortens this.
  SqliteOptions options() const {
    SqliteOptions o;
    o.path = (dir_.path() / "lightkeeper.db").string();
    o.flush_interval = 1h;
    return o;
  }
  std::unique_ptr<sqlite::SqliteStore> open(const SqliteOptions& o) {
    return std::make_unique<sqlite::SqliteStore>(o, clock_);
  }
  std::unique_ptr<sqlite::SqliteStore> open() { return open(options()); }

  /// A result of `check` at `location`, started `offset` after the clock's start.
  Result result(std::string check, Duration offset, double latency_ms, Status status = Status::ok,
                std::string location = "local") const {
    Result r;
    r.check = std::move(check);
    r.location = std::move(location);
    r.started_at = start_ + std::chrono::duration_cast<TimePoint::duration>(offset);
    r.duration = std::chrono::microseconds{static_cast<std::int64_t>(latency_ms * 1000)};
    r.status = status;
    r.message = std::string(to_string(status));
    return r;
  }

  TimePoint at(Duration offset) const {
    return start_ + std::chrono::duration_cast<TimePoint::duration>(offset);
  }

  TempDir dir_;
  ManualClock clock_;
  /// 2027-01-15T08:00:00Z: the start of a minute and of an hour, 8 hours into a UTC day.
  const TimePoint start_ = clock_.now();
};

}  // namespace lk::store::test
