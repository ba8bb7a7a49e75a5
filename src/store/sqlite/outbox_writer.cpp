#include "store/sqlite/outbox_writer.hpp"

#include "store/sqlite/codec.hpp"

namespace lk::store::sqlite {

namespace {

// A replayed enqueue (the alert module re-deriving its notifications after a restart) must
// not add a row: the unique (channel, idempotency_key) turns it into a no-op, and the id of
// the stored row is looked up instead.
constexpr std::string_view kInsert = R"(
  INSERT INTO notifications (created_at, channel, kind, check_name, incident_id, idempotency_key,
                             payload, first_attempt_at, next_attempt_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
  ON CONFLICT (channel, idempotency_key) DO NOTHING)";

constexpr std::string_view kFindByKey =
    "SELECT id FROM notifications WHERE channel = ?1 AND idempotency_key = ?2";

// ?2 is the new state, ?3 the next attempt (NULL unless pending), ?4 the attempt's error,
// ?5 the time it was sent (NULL unless sent).
constexpr std::string_view kUpdateAfterAttempt = R"(
  UPDATE notifications
  SET state = ?2, next_attempt_at = ?3, attempts = attempts + 1, last_error = ?4,
      sent_at = coalesce(sent_at, ?5)
  WHERE id = ?1)";

constexpr std::string_view kInsertAttempt = R"(
  INSERT INTO notification_attempts (notification_id, at, outcome, http_status, error,
                                     duration_us)
  VALUES (?, ?, ?, ?, ?, ?))";

NotificationState state_after(const Attempt& attempt,
                              const std::optional<TimePoint>& next_attempt_at) {
  if (attempt.outcome == AttemptOutcome::sent) return NotificationState::sent;
  return next_attempt_at ? NotificationState::pending : NotificationState::failed;
}

}  // namespace

OutboxWriter::OutboxWriter(Database& db)
    : db_(db),
      insert_(db, kInsert),
      find_by_key_(db, kFindByKey),
      update_after_attempt_(db, kUpdateAfterAttempt),
      insert_attempt_(db, kInsertAttempt) {}

void OutboxWriter::apply(EnqueueRequest& request) {
  const Outbound& n = request.notification;
  {
    auto q = insert_.use();
    q->bind_all(to_epoch_ms(n.created_at), n.channel, n.kind, n.check, n.incident_id,
                n.idempotency_key, n.payload, to_epoch_ms(n.next_attempt_at));
    q->run();
  }
  if (db_.changes() == 1) {
    request.id = db_.last_insert_rowid();
    return;
  }
  auto q = find_by_key_.use();
  q->bind_all(n.channel, n.idempotency_key);
  if (!q->step()) db_.fail(SQLITE_INTERNAL, "enqueue a notification: neither inserted nor found");
  request.id = q->int64(0);
}

void OutboxWriter::apply(AttemptRequest& request) {
  const Attempt& a = request.attempt;
  const NotificationState state = state_after(a, request.next_attempt_at);
  {
    auto q = update_after_attempt_.use();
    q->bind_all(request.notification_id, to_string(state));
    if (state == NotificationState::pending)
      q->bind(3, to_epoch_ms(*request.next_attempt_at));
    else
      q->bind(3, std::nullopt);
    q->bind(4, a.error);
    if (state == NotificationState::sent)
      q->bind(5, to_epoch_ms(a.at));
    else
      q->bind(5, std::nullopt);
    q->run();
  }
  request.found = db_.changes() == 1;
  if (!request.found) return;
  auto q = insert_attempt_.use();
  q->bind_all(request.notification_id, to_epoch_ms(a.at), to_string(a.outcome), a.http_status,
              a.error, to_us(a.duration));
  q->run();
}

}  // namespace lk::store::sqlite
