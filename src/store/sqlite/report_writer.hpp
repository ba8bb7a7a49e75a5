#pragma once
// The write side of the status reports and check pauses: create, replace, append an update,
// delete, pause, resume. Runs inside BatchWriter's transaction, on the writer thread.

#include <cstdint>

#include "store/sqlite/database.hpp"
#include "store/sqlite/report_reader.hpp"
#include "store/sqlite/write_queue.hpp"

namespace lk::store::sqlite {

class ReportWriter {
 public:
  /// Prepares its statements on `db`, which must be migrated already.
  explicit ReportWriter(Database& db);

  /// Applies the write and sets `request.outcome`. Leaves `request.write` as it was, so that a
  /// failed transaction can apply it again.
  void apply(ReportRequest& request);

 private:
  // One per alternative of ReportWrite (std::visit fails to compile when one is missing).
  ReportOutcome perform(const SaveReport& write);
  ReportOutcome perform(const AddReportUpdate& write);
  ReportOutcome perform(const DeleteReport& write);
  ReportOutcome perform(const PauseCheck& write);
  ReportOutcome perform(const ResumeCheck& write);

  void insert_components_and_incidents(std::int64_t report_id, const StatusReport& report);
  void insert_update(std::int64_t report_id, const ReportUpdate& update);
  /// Runs `statement` (its sole parameter the report id); foreign keys are off on this
  /// connection, so a report's rows in the child tables are deleted explicitly.
  void run_for_report(Statement& statement, std::int64_t report_id);

  Database& db_;
  Statement insert_report_;
  Statement replace_report_;
  Statement set_state_;
  Statement insert_component_;
  Statement insert_incident_;
  Statement insert_update_;
  Statement delete_components_;
  Statement delete_incidents_;
  Statement delete_updates_;
  Statement delete_report_;
  Statement upsert_pause_;
  Statement delete_pause_;
  ReportReader stored_;  ///< reads back what the transaction wrote, for the caller
};

}  // namespace lk::store::sqlite
