#include "store/outbox.hpp"

namespace lk::store {

// The texts are stored in the database (notifications.state, notification_attempts.outcome):
// never rename one without a migration.

std::string_view to_string(NotificationState state) {
  switch (state) {
    case NotificationState::pending:
      return "pending";
    case NotificationState::sent:
      return "sent";
    case NotificationState::failed:
      return "failed";
  }
  return "failed";
}

std::string_view to_string(AttemptOutcome outcome) {
  switch (outcome) {
    case AttemptOutcome::sent:
      return "sent";
    case AttemptOutcome::retryable:
      return "retryable";
    case AttemptOutcome::permanent:
      return "permanent";
  }
  return "permanent";
}

NotificationState notification_state_from_text(std::string_view text) {
  if (text == "pending") return NotificationState::pending;
  if (text == "sent") return NotificationState::sent;
  return NotificationState::failed;
}

AttemptOutcome attempt_outcome_from_text(std::string_view text) {
  if (text == "sent") return AttemptOutcome::sent;
  if (text == "retryable") return AttemptOutcome::retryable;
  return AttemptOutcome::permanent;
}

}  // namespace lk::store
