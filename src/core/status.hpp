#pragma once
// The result vocabulary every module shares.

#include <cstdint>
#include <optional>
#include <string_view>

namespace lk {

/// Outcome of one check run (the Nagios plugin convention, in its order of exit codes).
enum class Status : std::uint8_t { ok = 0, warn = 1, fail = 2, unknown = 3 };

/// State of a check (or of a check at one location) as the state engine sees it.
enum class State : std::uint8_t { pending, ok, warn, fail, unknown };

std::string_view to_string(Status s);
std::string_view to_string(State s);
std::optional<Status> parse_status(std::string_view s);
std::optional<State> parse_state(std::string_view s);

/// The state a hard status maps to.
constexpr State to_state(Status s) {
  switch (s) {
    case Status::ok:
      return State::ok;
    case Status::warn:
      return State::warn;
    case Status::fail:
      return State::fail;
    case Status::unknown:
      return State::unknown;
  }
  return State::unknown;
}

/// Nagios exit code for a status: 0 ok, 1 warning, 2 critical, 3 unknown.
constexpr int exit_code(Status s) {
  return static_cast<int>(s);
}

/// Severity order used to pick the worst of several states: ok < pending < unknown < warn < fail.
constexpr int severity(State s) {
  switch (s) {
    case State::ok:
      return 0;
    case State::pending:
      return 1;
    case State::unknown:
      return 2;
    case State::warn:
      return 3;
    case State::fail:
      return 4;
  }
  return 4;
}

}  // namespace lk
