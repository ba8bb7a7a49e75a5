#pragma once
// The write side of the SQLite store: one transaction per batch inserts the raw results,
// merges the batch into the minute, hour and day rollups, and applies the state changes, the
// outbox writes and the status-report writes.
// Used by the writer thread only.

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>

#include "store/sqlite/database.hpp"
#include "store/sqlite/day_cache.hpp"
#include "store/sqlite/outbox_writer.hpp"
#include "store/sqlite/report_writer.hpp"
#include "store/sqlite/rollup_math.hpp"
#include "store/store.hpp"

namespace lk::store::sqlite {

class BatchWriter {
 public:
  /// Prepares its statements on `db`, which must be migrated already. Every write is numbered
  /// (meta.write_seq, in the same transaction); after each commit it tells `cache` which day
  /// rollups changed.
  BatchWriter(Database& db, DayRollupCache& cache);

  /// Writes everything in one transaction: all of it or, on an Error, none of it. Sets the
  /// outbox requests' `id` and `found` and the report requests' `outcome`; the caller fulfils
  /// their promises once this returns.
  void write(std::span<const Result> results, std::span<const StateChange> changes,
             std::span<EnqueueRequest> enqueues = {}, std::span<AttemptRequest> attempts = {},
             std::span<ReportRequest> reports = {});

 private:
  // A name table (checks, locations) with its ids cached: ids never change once committed.
  struct NameTable {
    Statement select;
    Statement insert;
    std::unordered_map<std::string, std::int64_t> ids;
  };
  NameTable name_table(std::string_view table);
  std::int64_t id_of(NameTable& table, const std::string& name);

  void insert_result(const Result& r, std::int64_t check_id, std::int64_t location_id);
  void merge_rollups();
  void apply(const StateChange& change);

  Database& db_;
  DayRollupCache& cache_;
  NameTable checks_;
  NameTable locations_;
  Statement insert_result_;
  Statement upsert_rollup_;
  Statement upsert_incident_;
  Statement insert_transition_;
  Statement upsert_check_state_;
  Statement delete_check_state_;
  Statement set_next_incident_id_;
  Statement set_meta_;
  Statement set_write_seq_;
  OutboxWriter outbox_;
  ReportWriter reports_;
  std::uint64_t write_seq_;  ///< number of the latest committed write (meta.write_seq)
  RollupBatch rollups_;
};

}  // namespace lk::store::sqlite
