#pragma once
// A log-scale latency histogram, small enough to keep one per rollup row and exact enough for
// a p95 on a status page. Percentiles are computed at read time from the merged counts, which
// is what lets minute, hour and day rollups be built incrementally from batches.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lk::store::sqlite {

class LatencyHistogram {
 public:
  /// Bucket 0 holds [0, 0.1 ms); bucket i holds [0.1·1.35^(i-1), 0.1·1.35^i) ms; the last one
  /// is open-ended (from ~99 s). Each bucket is 35 % wider than the one before, so a
  /// percentile is known to within one bucket: ±35 % before interpolation, usually far better.
  static constexpr std::size_t kBuckets = 48;
  static constexpr double kFirstBoundMs = 0.1;
  static constexpr double kGrowth = 1.35;

  void add(double latency_ms, std::uint64_t count = 1);
  void merge(const LatencyHistogram& other);

  std::uint64_t total() const;
  std::uint64_t count_in(std::size_t bucket) const { return counts_[bucket]; }
  /// The q-quantile (0 < q <= 1) in ms, interpolated linearly inside its bucket; 0 when empty.
  double percentile(double q) const;

  static std::size_t bucket_of(double latency_ms);
  static double lower_bound_ms(std::size_t bucket);
  /// Upper bound; for the open-ended last bucket, one growth step above its lower bound.
  static double upper_bound_ms(std::size_t bucket);

  /// Compact blob: a format byte, then (bucket index, LEB128 count) for each non-empty bucket.
  std::string encode() const;
  /// std::nullopt for a blob this code did not write.
  static std::optional<LatencyHistogram> decode(std::string_view blob);

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
};

/// The merge of two encoded histograms, encoded (what the rollup upsert stores). An unreadable
/// side counts as empty, so one damaged row cannot wedge the writer.
std::string merge_encoded_histograms(std::string_view a, std::string_view b);

}  // namespace lk::store::sqlite
