#include "core/status.hpp"

namespace lk {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::ok:
      return "ok";
    case Status::warn:
      return "warn";
    case Status::fail:
      return "fail";
    case Status::unknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view to_string(State s) {
  switch (s) {
    case State::pending:
      return "pending";
    case State::ok:
      return "ok";
    case State::warn:
      return "warn";
    case State::fail:
      return "fail";
    case State::unknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<Status> parse_status(std::string_view s) {
  if (s == "ok") return Status::ok;
  if (s == "warn") return Status::warn;
  if (s == "fail") return Status::fail;
  if (s == "unknown") return Status::unknown;
  return std::nullopt;
}

std::optional<State> parse_state(std::string_view s) {
  if (s == "pending") return State::pending;
  if (auto st = parse_status(s)) return to_state(*st);
  return std::nullopt;
}

}  // namespace lk
