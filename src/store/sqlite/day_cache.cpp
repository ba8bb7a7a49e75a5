#include "store/sqlite/day_cache.hpp"

#include <algorithm>
#include <limits>

#include "store/sqlite/codec.hpp"

namespace lk::store::sqlite {

namespace {

// What an entry costs beyond its own object, name and rows: a list node and a node in each of
// the two indexes, with their share of the bucket arrays.
constexpr std::size_t kEntryOverhead = 128;

std::int64_t day_start_ms(const DayRollupCache::Row& row) {
  return std::int64_t{row.day} * DayRollupCache::kDayMs;
}

// The same arithmetic as the rollup upsert in batch_writer.cpp, in the same order, so that a
// tracked row stays equal to the stored one to the last bit.
void merge(DayRollupCache::OpenRow& row, const RollupDelta& delta) {
  StoredRollup& s = row.stored;
  s.count += delta.count;
  s.failures += delta.failures;
  s.warnings += delta.warnings;
  s.latency_min_ms = std::min(s.latency_min_ms, delta.latency_min_ms);
  s.latency_sum_ms += delta.latency_sum_ms;
  s.latency_max_ms = std::max(s.latency_max_ms, delta.latency_max_ms);
  row.histogram.merge(delta.histogram);
}

}  // namespace

DayRollupCache::DayRollupCache(std::size_t max_bytes)
    : max_bytes_(max_bytes), sealed_before_ms_(std::numeric_limits<std::int64_t>::min()) {}

DayRollupCache::Fill DayRollupCache::start_fill(std::int64_t today_ms) {
  // Only ever raised: a clock stepping back must not un-seal days the cache may hold, or the
  // writer would stop reporting changes to them.
  std::int64_t seen = sealed_before_ms_.load();
  while (seen < today_ms && !sealed_before_ms_.compare_exchange_weak(seen, today_ms)) {
  }
  std::lock_guard lock(mutex_);
  return Fill{generation_};
}

std::optional<DayRollupCache::Held> DayRollupCache::get(std::string_view check,
                                                        std::int64_t from_ms, std::int64_t to_ms,
                                                        std::int64_t today_ms,
                                                        std::vector<Row>& out) {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto found = by_name_.find(check);
  if (found == by_name_.end()) return std::nullopt;
  Entry& entry = *found->second;
  if (entry.from_ms > from_ms) return std::nullopt;  // it does not reach back far enough
  lru_.splice(lru_.begin(), lru_, found->second);
  if (entry.today_ms && *entry.today_ms != today_ms) {
    // The tracked day is over: the caller reads it from SQL, and it joins the completed days.
    entry.today_ms.reset();
    entry.today = {};
    --tracking_;
    recharge(entry);
  }

  const std::int64_t end_ms = std::min(to_ms, entry.to_ms);
  auto first =
      std::lower_bound(entry.rows.begin(), entry.rows.end(), from_ms,
                       [](const Row& row, std::int64_t ms) { return day_start_ms(row) < ms; });
  for (; first != entry.rows.end() && day_start_ms(*first) < end_ms; ++first) out.push_back(*first);
  if (!entry.today_ms || entry.to_ms != today_ms) return Held{entry.to_ms, false};

  if (today_ms >= from_ms && today_ms < to_ms) {
    const std::size_t before = out.size();
    for (const OpenRow& open : entry.today) {
      if (!fits(today_ms, open.location_id,
                std::max({open.stored.count, open.stored.failures, open.stored.warnings}))) {
        out.resize(before);  // let SQL give today's rows
        return Held{entry.to_ms, false};
      }
      Rollup r;
      finish_rollup(open.stored, &open.histogram, r);
      out.push_back(Row{static_cast<std::int32_t>(today_ms / kDayMs),
                        static_cast<std::int32_t>(open.location_id),
                        static_cast<std::uint32_t>(r.count), static_cast<std::uint32_t>(r.failures),
                        static_cast<std::uint32_t>(r.warnings), r.latency_min_ms, r.latency_avg_ms,
                        r.latency_max_ms, r.latency_p95_ms});
    }
  }
  return Held{today_ms + kDayMs, true};
}

void DayRollupCache::put(std::string_view check, std::int64_t check_id, std::int64_t from_ms,
                         std::int64_t to_ms, std::int64_t keep_from_ms, std::vector<Row> rows,
                         const Fill& fill) {
  if (!enabled() || from_ms >= to_ms) return;
  std::lock_guard lock(mutex_);
  if (fill.generation != generation_) return;  // a day may have changed after the snapshot
  Lru::iterator it;
  if (const auto found = by_name_.find(check); found != by_name_.end()) {
    it = found->second;
    lru_.splice(lru_.begin(), lru_, it);
    if (it->check_id == check_id && it->to_ms == from_ms) {
      // The day(s) since the entry was filled: append them, and let go of the days before
      // what readers now ask for, so a daily reader does not grow the entry forever.
      const auto keep =
          std::lower_bound(it->rows.begin(), it->rows.end(), keep_from_ms,
                           [](const Row& row, std::int64_t ms) { return day_start_ms(row) < ms; });
      std::vector<Row> joined;
      joined.reserve(static_cast<std::size_t>(it->rows.end() - keep) + rows.size());
      joined.insert(joined.end(), keep, it->rows.end());
      joined.insert(joined.end(), rows.begin(), rows.end());
      it->rows = std::move(joined);
      it->from_ms = std::max(it->from_ms, keep_from_ms);
    } else {
      if (it->check_id != check_id) {
        by_id_.erase(it->check_id);
        by_id_[check_id] = it;
        it->check_id = check_id;
      }
      rows.shrink_to_fit();
      it->rows = std::move(rows);
      it->from_ms = from_ms;
    }
    it->to_ms = to_ms;
    if (it->today_ms && *it->today_ms < to_ms) {  // now among the completed days
      it->today_ms.reset();
      it->today = {};
      --tracking_;
    }
  } else {
    rows.shrink_to_fit();
    Entry entry;
    entry.name = std::string(check);
    entry.check_id = check_id;
    entry.from_ms = from_ms;
    entry.to_ms = to_ms;
    entry.rows = std::move(rows);
    lru_.push_front(std::move(entry));
    it = lru_.begin();
    by_name_.emplace(it->name, it);
    by_id_[check_id] = it;
  }
  recharge(*it);
  evict_to_fit();
}

void DayRollupCache::track_today(std::string_view check, std::int64_t today_ms,
                                 std::vector<OpenRow> rows, std::uint64_t snapshot_seq) {
  if (!enabled()) return;
  std::lock_guard lock(mutex_);
  if (finished_seq_ > snapshot_seq) return;  // its delta is not in `rows` and no longer at hand
  const auto found = by_name_.find(check);
  if (found == by_name_.end()) return;
  Entry& entry = *found->second;
  if (entry.to_ms != today_ms) return;  // today must follow the completed days held
  if (!entry.today_ms) ++tracking_;
  entry.today_ms = today_ms;
  entry.today_seq = snapshot_seq;
  rows.shrink_to_fit();
  entry.today = std::move(rows);
  recharge(entry);
  evict_to_fit();
}

void DayRollupCache::write_finished(std::uint64_t seq, const RollupBatch& batch) {
  std::lock_guard lock(mutex_);
  finished_seq_ = std::max(finished_seq_, seq);
  constexpr int kDay = resolution_code(Resolution::day);
  const std::int64_t sealed_before = sealed_before_ms_.load();
  for (const auto& [key, delta] : batch.deltas()) {
    if (key.resolution != kDay) continue;
    if (key.bucket_ms < sealed_before) {
      // Even when the check is not cached: a reader may be about to put what it read before.
      drop(key.check_id);
      continue;
    }
    if (tracking_ == 0) continue;
    const auto found = by_id_.find(key.check_id);
    if (found == by_id_.end()) continue;
    Entry& entry = *found->second;
    // A write the tracked rows were read with is in them already.
    if (entry.today_ms != key.bucket_ms || seq <= entry.today_seq) continue;
    auto row = std::lower_bound(
        entry.today.begin(), entry.today.end(), key.location_id,
        [](const OpenRow& open, std::int64_t id) { return open.location_id < id; });
    if (row != entry.today.end() && row->location_id == key.location_id) {
      merge(*row, delta);
    } else {  // the first result of the day from this location
      OpenRow added{key.location_id,
                    StoredRollup{delta.count,
                                 delta.failures,
                                 delta.warnings,
                                 delta.latency_min_ms,
                                 delta.latency_sum_ms,
                                 delta.latency_max_ms,
                                 {}},
                    delta.histogram};
      entry.today.insert(row, added);
      recharge(entry);
    }
  }
  evict_to_fit();
}

void DayRollupCache::drop(std::int64_t check_id) {
  ++generation_;
  if (const auto found = by_id_.find(check_id); found != by_id_.end()) erase(found->second);
}

void DayRollupCache::erase(Lru::iterator it) {
  bytes_ -= it->bytes;
  if (it->today_ms) --tracking_;
  by_name_.erase(it->name);
  by_id_.erase(it->check_id);
  lru_.erase(it);
}

void DayRollupCache::recharge(Entry& entry) {
  bytes_ -= entry.bytes;
  entry.bytes = charge(entry);
  bytes_ += entry.bytes;
}

void DayRollupCache::evict_to_fit() {
  while (bytes_ > max_bytes_ && !lru_.empty()) erase(std::prev(lru_.end()));
}

std::size_t DayRollupCache::charge(const Entry& entry) {
  return sizeof(Entry) + kEntryOverhead + entry.name.capacity() +
         entry.rows.capacity() * sizeof(Row) + entry.today.capacity() * sizeof(OpenRow);
}

bool DayRollupCache::fits(std::int64_t bucket_ms, std::int64_t location_id, std::int64_t count) {
  constexpr std::int64_t kMax32 = std::numeric_limits<std::int32_t>::max();
  return bucket_ms % kDayMs == 0 && bucket_ms / kDayMs >= -kMax32 && bucket_ms / kDayMs <= kMax32 &&
         location_id >= 0 && location_id <= kMax32 && count >= 0 &&
         count <= std::int64_t{std::numeric_limits<std::uint32_t>::max()};
}

std::size_t DayRollupCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t DayRollupCache::checks() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

std::size_t DayRollupCache::checks_tracking_today() const {
  std::lock_guard lock(mutex_);
  return tracking_;
}

}  // namespace lk::store::sqlite
