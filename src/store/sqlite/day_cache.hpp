#pragma once
// The day rollups of recently read checks, kept in memory for Store::rollups_many(), so that
// a dashboard of 90 days of many checks reads nothing from SQLite once warm:
//
// - completed days: a day that is over stops changing, and the p95 of each is computed from
//   its histogram once, not on every read;
// - today: the rows as of the read that started tracking them, plus every batch the writer
//   committed since (the writer's running totals), so they are exactly what SQL would return.
//
// Bounded in bytes; the least recently read check is evicted first.
//
// A completed day can still change: a result that started before midnight is committed after
// it, and a remote probe that was cut off delivers hours-old results. The writer reports every
// committed batch (write_finished()); a change to a day the cache may hold as completed drops
// that check. What a read fills in stays consistent with the writes that raced it:
//
//   reader: start_fill() -> get() -> SQL snapshot (reads the write sequence number S) ->
//           put() / track_today(S)
//   writer: BEGIN ... (meta.write_seq = n) COMMIT -> write_finished(n)
//
// - completed days: every drop bumps a generation, and put() stores nothing if it moved since
//   start_fill(), so rows read before a change cannot be stored after the change was reported;
// - today: the snapshot holds exactly the writes numbered up to S. track_today(S) starts
//   tracking only if no write after S has finished yet (its delta would be lost), and the
//   writer then merges only writes numbered above S (those up to S are in the rows already).
//
// Once write_finished() has returned (flush() waits for it), every later read sees the change.

#include <atomic>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sqlite/histogram.hpp"
#include "store/sqlite/rollup_math.hpp"

namespace lk::store::sqlite {

class DayRollupCache {
 public:
  /// One day rollup of one location, with the derived values (average, p95) computed. Compact
  /// (56 bytes): 90 days of a check at one location take about 5 KB.
  struct Row {
    std::int32_t day = 0;  ///< days since the epoch (UTC)
    std::int32_t location_id = 0;
    std::uint32_t count = 0;
    std::uint32_t failures = 0;
    std::uint32_t warnings = 0;
    double latency_min_ms = 0;
    double latency_avg_ms = 0;
    double latency_max_ms = 0;
    double latency_p95_ms = 0;
  };

  /// A row of today as stored (sums and histogram), so that batches can be merged into it.
  struct OpenRow {
    std::int64_t location_id = 0;
    StoredRollup stored;  ///< histogram view unused: see `histogram`
    LatencyHistogram histogram;
  };

  /// What start_fill() saw, to hand back to put().
  struct Fill {
    std::uint64_t generation = 0;
  };

  /// Where the cache's rows of a check end, and whether today's are among them.
  struct Held {
    std::int64_t to_ms = 0;  ///< the caller reads from here on from SQL
    bool today = false;      ///< the rows include today's (then to_ms is the end of today)
  };

  static constexpr std::int64_t kDayMs = 24 * 3600 * 1000;

  /// `max_bytes` 0 disables the cache (every call is then a cheap no-op or a miss).
  explicit DayRollupCache(std::size_t max_bytes);

  bool enabled() const { return max_bytes_ > 0; }

  /// Reader, before it takes its SQL snapshot: days that start before `today_ms` may be
  /// cached as completed from now on.
  Fill start_fill(std::int64_t today_ms);

  /// Reader: when the cache has every row of `check` from `from_ms` on, appends those of the
  /// days that start in [from_ms, to_ms) to `out`, by day then location, and says where they
  /// end. std::nullopt on a miss.
  std::optional<Held> get(std::string_view check, std::int64_t from_ms, std::int64_t to_ms,
                          std::int64_t today_ms, std::vector<Row>& out);

  /// Reader: stores `rows`, every row there is of `check` for the completed days in
  /// [from_ms, to_ms), unless a check was dropped since start_fill(). Extends the entry that
  /// ends at from_ms (dropping its days before `keep_from_ms`), else replaces it.
  void put(std::string_view check, std::int64_t check_id, std::int64_t from_ms, std::int64_t to_ms,
           std::int64_t keep_from_ms, std::vector<Row> rows, const Fill& fill);

  /// Reader: `rows` are every row of day `today_ms` of `check` (which has an entry) in a
  /// snapshot holding the writes numbered up to `snapshot_seq`; from now on the writer keeps
  /// them current, unless a later write has already finished (then nothing changes).
  void track_today(std::string_view check, std::int64_t today_ms, std::vector<OpenRow> rows,
                   std::uint64_t snapshot_seq);

  /// Writer, after committing write number `seq` (numbers only grow): the batch's day deltas
  /// are merged into the checks whose today is tracked; a completed day changed drops its check.
  void write_finished(std::uint64_t seq, const RollupBatch& batch);

  /// Whether a stored rollup fits a Row (counts below 2^32, ids and days within 32 bits).
  static bool fits(std::int64_t bucket_ms, std::int64_t location_id, std::int64_t count);

  std::size_t bytes() const;
  std::size_t max_bytes() const { return max_bytes_; }
  std::size_t checks() const;
  /// Checks whose today is tracked.
  std::size_t checks_tracking_today() const;

 private:
  struct Entry {
    std::string name;
    std::int64_t check_id = 0;
    std::int64_t from_ms = 0;  ///< `rows` are every rollup of the days in [from_ms, to_ms)
    std::int64_t to_ms = 0;
    std::vector<Row> rows;                 ///< by day, then location id (as SQL returns them)
    std::optional<std::int64_t> today_ms;  ///< the day `today` holds, when tracked
    std::uint64_t today_seq = 0;           ///< `today` holds the writes numbered up to this
    std::vector<OpenRow> today;            ///< by location id
    std::size_t bytes = 0;                 ///< what this entry is charged, see charge()
  };
  using Lru = std::list<Entry>;  // most recently read first

  void drop(std::int64_t check_id);  // with the lock held
  void erase(Lru::iterator it);
  void recharge(Entry& entry);
  void evict_to_fit();
  static std::size_t charge(const Entry& entry);

  const std::size_t max_bytes_;
  std::atomic<std::int64_t> sealed_before_ms_;

  mutable std::mutex mutex_;
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> by_name_;  // views into Entry::name
  std::unordered_map<std::int64_t, Lru::iterator> by_id_;
  std::uint64_t generation_ = 0;
  std::uint64_t finished_seq_ = 0;  ///< the latest write reported
  std::size_t bytes_ = 0;
  std::size_t tracking_ = 0;
};

}  // namespace lk::store::sqlite
