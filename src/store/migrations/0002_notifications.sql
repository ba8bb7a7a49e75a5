-- Lightkeeper store, schema version 2: the notification outbox (see store/outbox.hpp).
-- Every notification is committed here before it is sent, so a crash or a dead receiver never
-- loses one; the sender retries what is pending and records every attempt.

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  channel TEXT NOT NULL,            -- notifier name
  kind TEXT NOT NULL,               -- trigger, recovery, reminder, escalation, ...
  check_name TEXT NOT NULL,         -- empty when about no single check
  incident_id INTEGER,
  idempotency_key TEXT NOT NULL,
  payload TEXT NOT NULL,            -- written and read by the alert module only
  first_attempt_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,          -- NULL unless pending
  last_error TEXT NOT NULL DEFAULT '',
  sent_at INTEGER,
  UNIQUE (channel, idempotency_key)
);
-- "What is due now": only pending rows are indexed, so the index stays as small as the backlog.
CREATE INDEX notifications_due ON notifications (next_attempt_at, id) WHERE state = 'pending';
-- The API lists newest (highest id) first, optionally for one check or one channel.
CREATE INDEX notifications_by_check ON notifications (check_name, id);
CREATE INDEX notifications_by_channel ON notifications (channel, id);

CREATE TABLE notification_attempts (
  id INTEGER PRIMARY KEY,
  notification_id INTEGER NOT NULL REFERENCES notifications (id),
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL,            -- sent, retryable, permanent
  http_status INTEGER,
  error TEXT NOT NULL,
  duration_us INTEGER NOT NULL
);
CREATE INDEX notification_attempts_by_notification ON notification_attempts (notification_id, id);
