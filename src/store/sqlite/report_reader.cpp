#include "store/sqlite/report_reader.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "store/sqlite/codec.hpp"

namespace lk::store::sqlite {

namespace {

constexpr std::string_view kColumns = R"(
  SELECT id, kind, title, state, impact, automatic, created_at, updated_at, resolved_at,
         starts_at, ends_at
  FROM status_reports AS r )";

// Which filters of a ReportQuery are set (the key of ReportReader::lists_).
enum Filter : unsigned {
  kKind = 1u << 0,
  kOpen = 1u << 1,
  kClosed = 1u << 2,
  kComponent = 1u << 3,
  kIncident = 1u << 4,
  kSince = 1u << 5,
  kBefore = 1u << 6,
};

// The parameters keep their numbers whichever filters a statement has.
enum Parameter : int {
  kKindParam = 1,
  kComponentParam = 2,
  kIncidentParam = 3,
  kSinceParam = 4,
  kBeforeParam = 5,
  kLimitParam = 6,
};

unsigned filters_of(const ReportQuery& q) {
  unsigned filters = 0;
  if (q.kind) filters |= kKind;
  if (q.open) filters |= *q.open ? kOpen : kClosed;
  if (q.component) filters |= kComponent;
  if (q.incident) filters |= kIncident;
  if (q.since) filters |= kSince;
  if (q.before_id != 0) filters |= kBefore;
  return filters;
}

// The open condition is spelt exactly as in the partial index status_reports_open, which
// SQLite uses only when the query's condition matches it.
std::string list_sql(unsigned filters) {
  std::string sql(kColumns);
  sql += "WHERE 1";
  if (filters & kKind) sql += " AND r.kind = ?1";
  if (filters & kOpen) sql += " AND r.state NOT IN ('resolved', 'completed')";
  if (filters & kClosed) sql += " AND r.state IN ('resolved', 'completed')";
  // A report that lists no component concerns every one of them.
  if (filters & kComponent)
    sql +=
        " AND (r.id IN (SELECT report_id FROM status_report_components WHERE component = ?2)"
        " OR NOT EXISTS (SELECT 1 FROM status_report_components AS c WHERE c.report_id = r.id))";
  if (filters & kIncident)
    sql += " AND r.id IN (SELECT report_id FROM status_report_incidents WHERE incident_id = ?3)";
  if (filters & kSince) sql += " AND r.updated_at >= ?4";
  if (filters & kBefore) sql += " AND r.id < ?5";
  sql += " ORDER BY r.id DESC LIMIT ?6";
  return sql;
}

std::int64_t sql_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

// A text this binary does not know can only come from a hand edit (a newer schema is refused
// at open); it reads as the default rather than failing the whole page.
StatusReport report_from_row(const Statement& row) {
  StatusReport r;
  r.id = row.int64(0);
  r.kind = parse_report_kind(row.text(1)).value_or(ReportKind::incident);
  r.title = row.text(2);
  r.state = parse_report_state(row.text(3)).value_or(ReportState::investigating);
  r.impact = parse_impact(row.text(4)).value_or(Impact::minor);
  r.automatic = row.int64(5) != 0;
  r.created_at = from_epoch_ms(row.int64(6));
  r.updated_at = from_epoch_ms(row.int64(7));
  r.resolved_at = from_epoch_ms(row.optional_int64(8));
  r.starts_at = from_epoch_ms(row.optional_int64(9));
  r.ends_at = from_epoch_ms(row.optional_int64(10));
  return r;
}

}  // namespace

ReportReader::ReportReader(Database& db)
    : db_(db),
      by_id_(db, std::string(kColumns) + "WHERE id = ?1"),
      components_(db,
                  "SELECT component FROM status_report_components WHERE report_id = ?1 "
                  "ORDER BY position"),
      incidents_(db,
                 "SELECT incident_id FROM status_report_incidents WHERE report_id = ?1 "
                 "ORDER BY position"),
      updates_(db,
               "SELECT id, at, state, message, author FROM status_report_updates "
               "WHERE report_id = ?1 ORDER BY at DESC, id DESC"),
      pauses_(db, "SELECT check_name, at, author, reason FROM check_pauses ORDER BY check_name") {}

Statement& ReportReader::list_statement(unsigned filters) {
  auto found = lists_.find(filters);
  if (found == lists_.end()) found = lists_.try_emplace(filters, db_, list_sql(filters)).first;
  return found->second;
}

std::vector<StatusReport> ReportReader::list(const ReportQuery& query) {
  std::vector<StatusReport> out;
  {
    auto q = list_statement(filters_of(query)).use();
    if (query.kind) q->bind(kKindParam, to_string(*query.kind));
    if (query.component) q->bind(kComponentParam, *query.component);
    if (query.incident) q->bind(kIncidentParam, *query.incident);
    if (query.since) q->bind(kSinceParam, to_epoch_ms(*query.since));
    if (query.before_id != 0) q->bind(kBeforeParam, query.before_id);
    q->bind(kLimitParam, sql_limit(query.limit));
    while (q->step()) out.push_back(report_from_row(*q));
  }
  // Three indexed lookups per listed report: a page is at most a few dozen.
  for (StatusReport& r : out) add_children(r);
  return out;
}

std::optional<StatusReport> ReportReader::get(std::int64_t id) {
  std::optional<StatusReport> out;
  {
    auto q = by_id_.use();
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    out = report_from_row(*q);
  }
  add_children(*out);
  return out;
}

void ReportReader::add_children(StatusReport& r) {
  {
    auto q = components_.use();
    q->bind(1, r.id);
    while (q->step()) r.components.push_back(q->text(0));
  }
  {
    auto q = incidents_.use();
    q->bind(1, r.id);
    while (q->step()) r.incidents.push_back(q->int64(0));
  }
  auto q = updates_.use();
  q->bind(1, r.id);
  while (q->step()) {
    ReportUpdate& u = r.updates.emplace_back();
    u.id = q->int64(0);
    u.at = from_epoch_ms(q->int64(1));
    u.state = parse_report_state(q->text(2)).value_or(ReportState::investigating);
    u.message = q->text(3);
    u.author = q->text(4);
  }
}

std::vector<CheckPause> ReportReader::paused() {
  std::vector<CheckPause> out;
  auto q = pauses_.use();
  while (q->step()) {
    CheckPause& p = out.emplace_back();
    p.check = q->text(0);
    p.at = from_epoch_ms(q->int64(1));
    p.author = q->text(2);
    p.reason = q->text(3);
  }
  return out;
}

}  // namespace lk::store::sqlite
