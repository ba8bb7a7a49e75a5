#pragma once
// The notification outbox as the store keeps it: what the alert module asked to send, its
// state, and every delivery attempt. The store never sends anything and never looks inside the
// payload; deciding what to send, when to retry and what counts as permanent is src/alert/'s.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace lk::store {

enum class NotificationState {
  pending,  ///< waiting for its next attempt (next_attempt_at)
  sent,     ///< delivered; never attempted again
  failed,   ///< given up on (permanent error or out of attempts); never attempted again
};

enum class AttemptOutcome {
  sent,       ///< the receiver accepted it
  retryable,  ///< down, timed out, rate-limited, 5xx: worth another attempt
  permanent,  ///< rejected for good (bad credentials, 4xx other than 408/429, bad payload)
};

std::string_view to_string(NotificationState state);
std::string_view to_string(AttemptOutcome outcome);
/// The inverses; unknown text reads back as `failed` / `permanent`.
NotificationState notification_state_from_text(std::string_view text);
AttemptOutcome attempt_outcome_from_text(std::string_view text);

/// A notification to enqueue. `channel` and `idempotency_key` identify it: enqueueing the same
/// pair again (a replayed transition after a restart) yields the existing notification.
struct Outbound {
  TimePoint created_at{};
  std::string channel;  ///< notifier name from the config
  std::string kind;     ///< trigger, recovery, reminder, escalation, ... (for the API)
  std::string check;    ///< empty for a notification about no single check
  std::optional<std::int64_t> incident_id;
  std::string idempotency_key;  ///< unique per channel
  std::string payload;          ///< opaque to the store (the alert module's serialised message)
  TimePoint next_attempt_at{};  ///< when it is first due (usually created_at)
};

/// One delivery attempt, as recorded.
struct Attempt {
  TimePoint at{};
  AttemptOutcome outcome = AttemptOutcome::retryable;
  std::optional<int> http_status;  ///< when the channel speaks HTTP and got an answer
  std::string error;               ///< empty when sent
  Duration duration{};
};

/// A stored notification.
struct Notification {
  std::int64_t id = 0;
  Outbound outbound;  ///< outbound.next_attempt_at is the first due time, as enqueued
  NotificationState state = NotificationState::pending;
  std::int64_t attempt_count = 0;
  std::optional<TimePoint> next_attempt_at;  ///< set while pending
  std::string last_error;
  std::optional<TimePoint> sent_at;
  /// Every attempt, oldest first. Filled by notifications(); left empty by
  /// due_notifications(), which the sender calls often and which needs attempt_count only.
  std::vector<Attempt> attempts;
};

struct NotificationQuery {
  std::optional<std::string> check;
  std::optional<std::string> channel;
  std::optional<NotificationState> state;
  std::size_t limit = 100;
  std::int64_t before_id = 0;  ///< paging: only ids below this (0 = from the newest)
};

}  // namespace lk::store
