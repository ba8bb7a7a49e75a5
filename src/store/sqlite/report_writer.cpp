#include "store/sqlite/report_writer.hpp"

#include <ranges>
#include <variant>

#include "store/sqlite/codec.hpp"

namespace lk::store::sqlite {

namespace {

constexpr std::string_view kInsertReport = R"(
  INSERT INTO status_reports (kind, title, state, impact, automatic, created_at, updated_at,
                              resolved_at, starts_at, ends_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10))";

// The fields Store::save_report() replaces: kind and automatic say what the report is and who
// opened it, and stay as created.
constexpr std::string_view kReplaceReport = R"(
  UPDATE status_reports
  SET title = ?2, state = ?3, impact = ?4, created_at = ?5, updated_at = ?6, resolved_at = ?7,
      starts_at = ?8, ends_at = ?9
  WHERE id = ?1)";

constexpr std::string_view kSetState = R"(
  UPDATE status_reports SET state = ?2, updated_at = ?3, resolved_at = ?4 WHERE id = ?1)";

constexpr std::string_view kInsertComponent = R"(
  INSERT INTO status_report_components (report_id, position, component) VALUES (?1, ?2, ?3))";

constexpr std::string_view kInsertIncident = R"(
  INSERT INTO status_report_incidents (report_id, position, incident_id) VALUES (?1, ?2, ?3))";

constexpr std::string_view kInsertUpdate = R"(
  INSERT INTO status_report_updates (report_id, at, state, message, author)
  VALUES (?1, ?2, ?3, ?4, ?5))";

constexpr std::string_view kUpsertPause = R"(
  INSERT INTO check_pauses (check_name, at, author, reason) VALUES (?1, ?2, ?3, ?4)
  ON CONFLICT (check_name) DO UPDATE SET at = excluded.at, author = excluded.author,
                                         reason = excluded.reason)";

}  // namespace

ReportWriter::ReportWriter(Database& db)
    : db_(db),
      insert_report_(db, kInsertReport),
      replace_report_(db, kReplaceReport),
      set_state_(db, kSetState),
      insert_component_(db, kInsertComponent),
      insert_incident_(db, kInsertIncident),
      insert_update_(db, kInsertUpdate),
      delete_components_(db, "DELETE FROM status_report_components WHERE report_id = ?1"),
      delete_incidents_(db, "DELETE FROM status_report_incidents WHERE report_id = ?1"),
      delete_updates_(db, "DELETE FROM status_report_updates WHERE report_id = ?1"),
      delete_report_(db, "DELETE FROM status_reports WHERE id = ?1"),
      upsert_pause_(db, kUpsertPause),
      delete_pause_(db, "DELETE FROM check_pauses WHERE check_name = ?1"),
      stored_(db) {}

void ReportWriter::apply(ReportRequest& request) {
  request.outcome = std::visit([this](const auto& write) { return perform(write); }, request.write);
}

ReportOutcome ReportWriter::perform(const SaveReport& write) {
  const StatusReport& report = write.report;
  std::int64_t id = report.id;
  if (id == 0) {
    {
      auto q = insert_report_.use();
      q->bind_all(to_string(report.kind), report.title, to_string(report.state),
                  to_string(report.impact), report.automatic ? 1 : 0,
                  to_epoch_ms(report.created_at), to_epoch_ms(report.updated_at),
                  to_epoch_ms(report.resolved_at), to_epoch_ms(report.starts_at),
                  to_epoch_ms(report.ends_at));
      q->run();
    }
    id = db_.last_insert_rowid();
    // `updates` are newest first; the oldest gets the lowest id, as if appended one by one.
    for (const ReportUpdate& update : std::views::reverse(report.updates))
      insert_update(id, update);
  } else {
    {
      auto q = replace_report_.use();
      q->bind_all(id, report.title, to_string(report.state), to_string(report.impact),
                  to_epoch_ms(report.created_at), to_epoch_ms(report.updated_at),
                  to_epoch_ms(report.resolved_at), to_epoch_ms(report.starts_at),
                  to_epoch_ms(report.ends_at));
      q->run();
    }
    if (db_.changes() == 0) return ReportOutcome{};
    run_for_report(delete_components_, id);
    run_for_report(delete_incidents_, id);
  }
  insert_components_and_incidents(id, report);
  return ReportOutcome{true, stored_.get(id)};
}

ReportOutcome ReportWriter::perform(const AddReportUpdate& write) {
  const ReportUpdate& update = write.update;
  {
    auto q = set_state_.use();
    q->bind_all(write.report_id, to_string(update.state), to_epoch_ms(update.at));
    // A report reopened after it was resolved is no longer resolved.
    if (is_closed(update.state))
      q->bind(4, to_epoch_ms(update.at));
    else
      q->bind(4, std::nullopt);
    q->run();
  }
  if (db_.changes() == 0) return ReportOutcome{};
  insert_update(write.report_id, update);
  return ReportOutcome{true, stored_.get(write.report_id)};
}

ReportOutcome ReportWriter::perform(const DeleteReport& write) {
  run_for_report(delete_report_, write.report_id);
  if (db_.changes() == 0) return ReportOutcome{};
  run_for_report(delete_components_, write.report_id);
  run_for_report(delete_incidents_, write.report_id);
  run_for_report(delete_updates_, write.report_id);
  return ReportOutcome{true, std::nullopt};
}

ReportOutcome ReportWriter::perform(const PauseCheck& write) {
  const CheckPause& pause = write.pause;
  auto q = upsert_pause_.use();
  q->bind_all(pause.check, to_epoch_ms(pause.at), pause.author, pause.reason);
  q->run();
  return ReportOutcome{true, std::nullopt};
}

ReportOutcome ReportWriter::perform(const ResumeCheck& write) {
  {
    auto q = delete_pause_.use();
    q->bind(1, write.check);
    q->run();
  }
  return ReportOutcome{db_.changes() == 1, std::nullopt};
}

void ReportWriter::insert_components_and_incidents(std::int64_t report_id,
                                                   const StatusReport& report) {
  std::int64_t position = 0;
  for (const std::string& component : report.components) {
    auto q = insert_component_.use();
    q->bind_all(report_id, position++, component);
    q->run();
  }
  position = 0;
  for (const std::int64_t incident : report.incidents) {
    auto q = insert_incident_.use();
    q->bind_all(report_id, position++, incident);
    q->run();
  }
}

void ReportWriter::insert_update(std::int64_t report_id, const ReportUpdate& update) {
  auto q = insert_update_.use();
  q->bind_all(report_id, to_epoch_ms(update.at), to_string(update.state), update.message,
              update.author);
  q->run();
}

void ReportWriter::run_for_report(Statement& statement, std::int64_t report_id) {
  auto q = statement.use();
  q->bind(1, report_id);
  q->run();
}

}  // namespace lk::store::sqlite
