#include "store/sqlite/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace lk::store::sqlite {

namespace {

constexpr unsigned char kFormatVersion = 1;

// lower bound of each bucket; bucket 0 starts at 0.
constexpr std::array<double, LatencyHistogram::kBuckets> make_lower_bounds() {
  std::array<double, LatencyHistogram::kBuckets> bounds{};
  double bound = LatencyHistogram::kFirstBoundMs;
  for (std::size_t i = 1; i < bounds.size(); ++i) {
    bounds[i] = bound;
    bound *= LatencyHistogram::kGrowth;
  }
  return bounds;
}
constexpr auto kLowerBounds = make_lower_bounds();

void append_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::optional<std::uint64_t> read_varint(std::string_view& in) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

}  // namespace

std::size_t LatencyHistogram::bucket_of(double latency_ms) {
  // NaN and negatives land in bucket 0 rather than poisoning the histogram.
  if (!(latency_ms >= kFirstBoundMs)) return 0;
  const auto above = std::upper_bound(kLowerBounds.begin() + 1, kLowerBounds.end(), latency_ms);
  return static_cast<std::size_t>(above - kLowerBounds.begin()) - 1;
}

double LatencyHistogram::lower_bound_ms(std::size_t bucket) {
  return kLowerBounds[bucket];
}

double LatencyHistogram::upper_bound_ms(std::size_t bucket) {
  if (bucket + 1 < kBuckets) return kLowerBounds[bucket + 1];
  return kLowerBounds[bucket] * kGrowth;
}

void LatencyHistogram::add(double latency_ms, std::uint64_t count) {
  counts_[bucket_of(latency_ms)] += count;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
}

std::uint64_t LatencyHistogram::total() const {
  std::uint64_t sum = 0;
  for (const auto count : counts_) sum += count;
  return sum;
}

double LatencyHistogram::percentile(double q) const {
  const std::uint64_t all = total();
  if (all == 0) return 0;
  const double rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(all);
  double below = 0;  // results in the buckets before bucket i
  for (std::size_t i = 0; i < kBuckets; ++i) {
    if (counts_[i] == 0) continue;
    const double here = static_cast<double>(counts_[i]);
    if (below + here >= rank) {
      // Assume the results spread evenly across the bucket.
      const double fraction = std::max(0.0, rank - below) / here;
      return lower_bound_ms(i) + fraction * (upper_bound_ms(i) - lower_bound_ms(i));
    }
    below += here;
  }
  return upper_bound_ms(kBuckets - 1);
}

std::string LatencyHistogram::encode() const {
  std::string blob(1, static_cast<char>(kFormatVersion));
  for (std::size_t i = 0; i < kBuckets; ++i) {
    if (counts_[i] == 0) continue;
    blob.push_back(static_cast<char>(i));
    append_varint(blob, counts_[i]);
  }
  return blob;
}

std::optional<LatencyHistogram> LatencyHistogram::decode(std::string_view blob) {
  if (blob.empty() || static_cast<unsigned char>(blob.front()) != kFormatVersion)
    return std::nullopt;
  blob.remove_prefix(1);
  LatencyHistogram histogram;
  while (!blob.empty()) {
    const auto bucket = static_cast<unsigned char>(blob.front());
    blob.remove_prefix(1);
    const auto count = read_varint(blob);
    if (bucket >= kBuckets || !count) return std::nullopt;
    histogram.counts_[bucket] += *count;
  }
  return histogram;
}

std::string merge_encoded_histograms(std::string_view a, std::string_view b) {
  LatencyHistogram merged = LatencyHistogram::decode(a).value_or(LatencyHistogram{});
  merged.merge(LatencyHistogram::decode(b).value_or(LatencyHistogram{}));
  return merged.encode();
}

}  // namespace lk::store::sqlite
