#include "store/sqlite/outbox_reader.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "store/sqlite/codec.hpp"

namespace lk::store::sqlite {

namespace {

constexpr std::string_view kColumns = R"(
  SELECT id, created_at, channel, kind, check_name, incident_id, idempotency_key, payload,
         first_attempt_at, state, attempts, next_attempt_at, last_error, sent_at
  FROM notifications )";

// The partial index notifications_due holds exactly the pending rows, in this order.
constexpr std::string_view kDue = R"(
  WHERE state = 'pending' AND next_attempt_at <= ?1
  ORDER BY next_attempt_at, id
  LIMIT ?2)";

// Optional filters are NULL or 0 when unset; newest first, stopping at the limit.
constexpr std::string_view kList = R"(
  WHERE (?1 IS NULL OR check_name = ?1)
    AND (?2 IS NULL OR channel = ?2)
    AND (?3 IS NULL OR state = ?3)
    AND (?4 = 0 OR id < ?4)
  ORDER BY id DESC
  LIMIT ?5)";

constexpr std::string_view kAttempts = R"(
  SELECT at, outcome, http_status, error, duration_us
  FROM notification_attempts
  WHERE notification_id = ?1
  ORDER BY id)";

std::int64_t sql_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

Notification notification_from_row(const Statement& row) {
  Notification n;
  n.id = row.int64(0);
  n.outbound.created_at = from_epoch_ms(row.int64(1));
  n.outbound.channel = row.text(2);
  n.outbound.kind = row.text(3);
  n.outbound.check = row.text(4);
  n.outbound.incident_id = row.optional_int64(5);
  n.outbound.idempotency_key = row.text(6);
  n.outbound.payload = row.text(7);
  n.outbound.next_attempt_at = from_epoch_ms(row.int64(8));
  n.state = notification_state_from_text(row.text(9));
  n.attempt_count = row.int64(10);
  n.next_attempt_at = from_epoch_ms(row.optional_int64(11));
  n.last_error = row.text(12);
  n.sent_at = from_epoch_ms(row.optional_int64(13));
  return n;
}

}  // namespace

OutboxReader::OutboxReader(Database& db)
    : due_(db, std::string(kColumns) + std::string(kDue)),
      list_(db, std::string(kColumns) + std::string(kList)),
      attempts_(db, kAttempts) {}

std::vector<Notification> OutboxReader::due(TimePoint now, std::size_t limit) {
  std::vector<Notification> out;
  auto q = due_.use();
  q->bind_all(to_epoch_ms(now), sql_limit(limit));
  while (q->step()) out.push_back(notification_from_row(*q));
  return out;
}

std::vector<Notification> OutboxReader::list(const NotificationQuery& query) {
  std::vector<Notification> out;
  {
    auto q = list_.use();
    const std::optional<std::string_view> state =
        query.state ? std::optional(to_string(*query.state)) : std::nullopt;
    q->bind_all(query.check, query.channel, state, query.before_id, sql_limit(query.limit));
    while (q->step()) out.push_back(notification_from_row(*q));
  }
  // One indexed lookup per listed notification: a page is at most a few hundred.
  for (Notification& n : out) {
    auto q = attempts_.use();
    q->bind(1, n.id);
    while (q->step()) {
      Attempt& a = n.attempts.emplace_back();
      a.at = from_epoch_ms(q->int64(0));
      a.outcome = attempt_outcome_from_text(q->text(1));
      if (const auto status = q->optional_int64(2)) a.http_status = static_cast<int>(*status);
      a.error = q->text(3);
      a.duration = from_us(q->int64(4));
    }
  }
  return out;
}

}  // namespace lk::store::sqlite
