#pragma once
// Rollup arithmetic: which bucket a result falls in, how a batch of results is summed per
// rollup row before the writer merges it into the table, and how a stored row becomes the
// public Rollup (average and p95 are derived at read time, never stored).

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"
#include "store/sqlite/histogram.hpp"
#include "store/store.hpp"

namespace lk::store::sqlite {

inline constexpr std::array<Resolution, 3> kAllResolutions = {Resolution::minute, Resolution::hour,
                                                              Resolution::day};

/// Length of one bucket (days are UTC days).
Duration bucket_length(Resolution r);
/// Start of the bucket of resolution `r` that holds `t`.
TimePoint bucket_start(TimePoint t, Resolution r);

/// The latency a rollup counts: the probe's measured total when it has one, else the duration
/// of the run. Failed runs count too: a timeout is what a visitor would have waited.
double rollup_latency_ms(const Result& r);

/// What one batch adds to one rollup row.
struct RollupDelta {
  std::int64_t count = 0;
  std::int64_t failures = 0;
  std::int64_t warnings = 0;
  double latency_min_ms = std::numeric_limits<double>::infinity();
  double latency_sum_ms = 0;
  double latency_max_ms = -std::numeric_limits<double>::infinity();
  LatencyHistogram histogram;

  void add(Status status, double latency_ms);
};

/// Identity of a rollup row, in the order of the table's primary key.
struct RollupKey {
  std::int64_t check_id = 0;
  int resolution = 0;
  std::int64_t bucket_ms = 0;
  std::int64_t location_id = 0;
  bool operator==(const RollupKey&) const = default;
};

struct RollupKeyHash {
  std::size_t operator()(const RollupKey& k) const;
};

/// Sums a batch of results per rollup row (all three resolutions), so the writer touches each
/// row once per batch however many results fell into it.
class RollupBatch {
 public:
  void add(std::int64_t check_id, std::int64_t location_id, const Result& result);
  const std::unordered_map<RollupKey, RollupDelta, RollupKeyHash>& deltas() const {
    return deltas_;
  }
  /// Empties the batch, keeping the allocated table for the next one.
  void clear() { deltas_.clear(); }

 private:
  std::unordered_map<RollupKey, RollupDelta, RollupKeyHash> deltas_;
};

/// A rollup row as stored, before the derived values are computed.
struct StoredRollup {
  std::int64_t count = 0;
  std::int64_t failures = 0;
  std::int64_t warnings = 0;
  double latency_min_ms = 0;
  double latency_sum_ms = 0;
  double latency_max_ms = 0;
  std::string_view histogram;  ///< encoded LatencyHistogram
};

/// Fills the counts and latencies of `out` from a stored row: the average from the sum, the p95
/// from the histogram, kept within the row's exact min and max.
void finish_rollup(const StoredRollup& row, Rollup& out);
/// The same with the histogram already decoded (nullptr: the row's blob was unreadable).
void finish_rollup(const StoredRollup& row, const LatencyHistogram* histogram, Rollup& out);

}  // namespace lk::store::sqlite
