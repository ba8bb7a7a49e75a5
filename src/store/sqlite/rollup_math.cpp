#include "store/sqlite/rollup_math.hpp"

#include <algorithm>
#include <chrono>
#include <functional>

#include "store/sqlite/codec.hpp"

namespace lk::store::sqlite {

Duration bucket_length(Resolution r) {
  using namespace std::chrono;
  switch (r) {
    case Resolution::minute:
      return minutes{1};
    case Resolution::hour:
      return hours{1};
    case Resolution::day:
      return hours{24};
  }
  return minutes{1};
}

TimePoint bucket_start(TimePoint t, Resolution r) {
  const auto length = std::chrono::duration_cast<TimePoint::duration>(bucket_length(r));
  const auto since_epoch = t.time_since_epoch();
  // Round towards the past also before 1970, so a bucket always starts at or before t.
  auto buckets = since_epoch / length;
  if (since_epoch < TimePoint::duration::zero() && since_epoch % length != since_epoch.zero())
    --buckets;
  return TimePoint{buckets * length};
}

double rollup_latency_ms(const Result& r) {
  return to_ms(r.timings.total.value_or(r.duration));
}

void RollupDelta::add(Status status, double latency_ms) {
  ++count;
  if (status == Status::fail) ++failures;
  if (status == Status::warn) ++warnings;
  latency_min_ms = std::min(latency_min_ms, latency_ms);
  latency_max_ms = std::max(latency_max_ms, latency_ms);
  latency_sum_ms += latency_ms;
  histogram.add(latency_ms);
}

std::size_t RollupKeyHash::operator()(const RollupKey& k) const {
  // Boost-style combine; the fields are small integers, a strong hash is not needed.
  std::size_t h = std::hash<std::int64_t>{}(k.check_id);
  const auto combine = [&h](std::size_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  };
  combine(std::hash<int>{}(k.resolution));
  combine(std::hash<std::int64_t>{}(k.bucket_ms));
  combine(std::hash<std::int64_t>{}(k.location_id));
  return h;
}

void RollupBatch::add(std::int64_t check_id, std::int64_t location_id, const Result& result) {
  const double latency_ms = rollup_latency_ms(result);
  for (const Resolution resolution : kAllResolutions) {
    const RollupKey key{check_id, resolution_code(resolution),
                        to_epoch_ms(bucket_start(result.started_at, resolution)), location_id};
    deltas_[key].add(result.status, latency_ms);
  }
}

void finish_rollup(const StoredRollup& row, Rollup& out) {
  const auto histogram = LatencyHistogram::decode(row.histogram);
  finish_rollup(row, histogram ? &*histogram : nullptr, out);
}

void finish_rollup(const StoredRollup& row, const LatencyHistogram* histogram, Rollup& out) {
  out.count = row.count;
  out.failures = row.failures;
  out.warnings = row.warnings;
  out.latency_min_ms = row.latency_min_ms;
  out.latency_max_ms = row.latency_max_ms;
  out.latency_avg_ms = row.count > 0 ? row.latency_sum_ms / static_cast<double>(row.count) : 0;
  const double p95 = histogram ? histogram->percentile(0.95) : out.latency_max_ms;
  // The histogram knows the p95 only to within a bucket; the true min and max are exact.
  out.latency_p95_ms = row.latency_min_ms <= row.latency_max_ms
                           ? std::clamp(p95, row.latency_min_ms, row.latency_max_ms)
                           : p95;
}

}  // namespace lk::store::sqlite
