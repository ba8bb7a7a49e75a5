#pragma once
// Ratios against a reference measured in the same run (see ARCHITECTURE.md, "Benchmarks").
//
// A reference benchmark (BM_Reference_*) records its time per item under a key; the
// benchmark of the product code that follows it in the same file reports its own time per item
// divided by that, as a counter named vs_<what>. A ratio of 1.3 means 30 % slower than the
// reference. Filtering the reference out (--benchmark_filter) drops the ratio, not the rate.

#include <benchmark/benchmark.h>

#include <time.h>

#include <map>
#include <string>

namespace lk::bench {

/// Time since construction: the calling thread's CPU time (the default, for the single-threaded
/// benchmarks, so that a neighbour stealing the core does not skew a ratio), or wall time (for
/// work done by other threads or waiting on the disk, such as the store's writer).
class Stopwatch {
 public:
  enum class Kind { thread_cpu, wall };
  explicit Stopwatch(Kind kind = Kind::thread_cpu) : kind_(kind), start_ns_(now_ns()) {}
  double elapsed_ns() const { return now_ns() - start_ns_; }

 private:
  double now_ns() const {
    timespec ts{};
    clock_gettime(kind_ == Kind::wall ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
  }
  Kind kind_;
  double start_ns_;
};

inline std::map<std::string, double>& reference_table() {
  static std::map<std::string, double> table;
  return table;
}

/// Records the reference's wall time per item under `key` (the last run wins).
inline void record_reference(const std::string& key, double elapsed_ns, double items) {
  if (items > 0) reference_table()[key] = elapsed_ns / items;
}

/// Adds counter `name` = (own time per item) / (reference time per item), when the reference ran.
inline void report_ratio(benchmark::State& bench, const std::string& name, const std::string& key,
                         double elapsed_ns, double items) {
  auto found = reference_table().find(key);
  if (found == reference_table().end() || found->second <= 0 || items <= 0) return;
  bench.counters[name] = (elapsed_ns / items) / found->second;
}

}  // namespace lk::bench
