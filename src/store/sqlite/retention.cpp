#include "store/sqlite/retention.hpp"

#include <memory>
#include <vector>

#include "store/sqlite/codec.hpp"
#include "store/store.hpp"

namespace lk::store::sqlite {

namespace {

// Rows per transaction: a few milliseconds of work, so queued state changes wait at most that.
constexpr std::int64_t kChunkRows = 5000;

// A run of write transactions that commits whenever kChunkRows rows have been deleted.
class ChunkedTransactions {
 public:
  ChunkedTransactions(Database& db, const std::function<void()>& between_chunks)
      : db_(db), between_chunks_(between_chunks) {}

  /// Rows the current transaction may still delete (opening one if needed).
  std::int64_t room() {
    if (!transaction_) transaction_ = std::make_unique<Transaction>(db_);
    return kChunkRows - rows_;
  }
  void deleted(std::int64_t rows) {
    rows_ += rows;
    if (rows_ >= kChunkRows) finish_chunk();
  }
  void finish() {
    if (transaction_) finish_chunk();
  }

 private:
  void finish_chunk() {
    transaction_->commit();
    transaction_.reset();
    rows_ = 0;
    if (between_chunks_) between_chunks_();
  }

  Database& db_;
  const std::function<void()>& between_chunks_;
  std::unique_ptr<Transaction> transaction_;
  std::int64_t rows_ = 0;
};

}  // namespace

Retention::Retention(Database& db)
    : db_(db),
      check_ids_(db, "SELECT id FROM checks ORDER BY id"),
      // Goes through the (check_id, started_at) index; a rowid sub-select because DELETE ...
      // LIMIT needs a compile-time option that distributions do not enable.
      delete_results_(db, R"(
        DELETE FROM results WHERE rowid IN (
          SELECT rowid FROM results WHERE check_id = ? AND started_at < ? LIMIT ?))"),
      // Rollups are few per check and prune run (one per minute or hour since the last run), so
      // they are deleted per check without a row limit.
      delete_rollups_(db,
                      "DELETE FROM rollups WHERE check_id = ? AND resolution = ? AND bucket < ?") {}

PruneReport Retention::prune(TimePoint now, const RetentionPolicy& policy,
                             const std::function<void()>& between_chunks) {
  std::vector<std::int64_t> check_ids;
  {
    auto q = check_ids_.use();
    while (q->step()) check_ids.push_back(q->int64(0));
  }
  const std::int64_t raw_cutoff = to_epoch_ms(now - policy.raw_results);
  const std::int64_t minute_cutoff = to_epoch_ms(now - policy.minute_rollups);
  const std::int64_t hour_cutoff = to_epoch_ms(now - policy.hour_rollups);

  PruneReport report;
  ChunkedTransactions chunks(db_, between_chunks);
  // Runs one delete and counts its rows into the current chunk; the statement is reset before
  // the chunk may commit.
  const auto run_delete = [&](Statement& statement, std::int64_t check_id, auto... more_params) {
    chunks.room();
    {
      auto q = statement.use();
      q->bind_all(check_id, more_params...);
      q->run();
    }
    const std::int64_t rows = db_.changes();
    chunks.deleted(rows);
    return rows;
  };
  for (const std::int64_t check_id : check_ids) {
    // One check may have far more than a chunk of old results (e.g. after a long downtime).
    for (bool more = true; more;) {
      const std::int64_t room = chunks.room();
      const std::int64_t rows = run_delete(delete_results_, check_id, raw_cutoff, room);
      report.raw_results += static_cast<std::uint64_t>(rows);
      more = rows == room;
    }
    report.minute_rollups += static_cast<std::uint64_t>(
        run_delete(delete_rollups_, check_id, resolution_code(Resolution::minute), minute_cutoff));
    report.hour_rollups += static_cast<std::uint64_t>(
        run_delete(delete_rollups_, check_id, resolution_code(Resolution::hour), hour_cutoff));
  }
  chunks.finish();
  return report;
}

}  // namespace lk::store::sqlite
