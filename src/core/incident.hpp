#pragma once
// State transitions and incidents: what the state engine emits and every downstream module
// (store, alerting, web) consumes.

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.hpp"
#include "core/time.hpp"

namespace lk {

/// A change of state, of a check at one location (`location` set) or of the check as a whole
/// (`location` empty, after quorum).
struct Transition {
  std::string check;
  std::string location;  ///< empty for the check-level (quorum) state
  State from = State::pending;
  State to = State::pending;
  bool hard = true;  ///< false for soft (not yet confirmed) changes
  TimePoint at{};
  std::string message;  ///< the result message that caused it
};

/// An outage of a check: opened on a hard transition to fail, closed on hard recovery.
struct Incident {
  std::int64_t id = 0;  ///< assigned by the state engine, unique and increasing
  std::string check;
  State severity = State::fail;  ///< worst state seen while open
  TimePoint opened_at{};
  std::optional<TimePoint> closed_at;
  std::string cause;         ///< message of the result that opened it
  std::string last_message;  ///< message of the latest failing result
  bool open() const { return !closed_at.has_value(); }
};

}  // namespace lk
