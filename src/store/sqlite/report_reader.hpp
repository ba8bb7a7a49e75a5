#pragma once
// The read side of the status reports and check pauses: the listing behind the status pages and
// GET /api/v1/reports, one report, the paused checks. Used by Reader, under its lock, on its
// read-only connection, and by ReportWriter, to return what its transaction stored.

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "store/sqlite/database.hpp"
#include "store/store.hpp"

namespace lk::store::sqlite {

class ReportReader {
 public:
  /// Prepares its statements on `db`, which must be migrated already.
  explicit ReportReader(Database& db);

  // Same meaning as Store::status_reports(), status_report() and paused_checks(). Run list()
  // and get() in a transaction (a ReadTransaction, or the writer's), so that a report's
  // components, incidents and updates belong to the snapshot its row came from.
  std::vector<StatusReport> list(const ReportQuery& query);
  std::optional<StatusReport> get(std::int64_t id);
  std::vector<CheckPause> paused();

 private:
  Statement& list_statement(unsigned filters);
  /// Reads the report's components, incidents and updates (newest first) into it.
  void add_children(StatusReport& r);

  Database& db_;
  Statement by_id_;
  Statement components_;
  Statement incidents_;
  Statement updates_;
  Statement pauses_;
  /// One statement per combination of the filters set (prepared when first used), each with
  /// only its own conditions, so that SQLite can use the index a filter has.
  std::map<unsigned, Statement> lists_;
};

}  // namespace lk::store::sqlite
