#pragma once
// Test helpers: a check's life told as a story of results in, state out. Each step is one
// result arriving at a simulated time, with the check-level state and the events (transitions
// and incidents) the engine must report for it, written as describe() prints them:
//
//   "eu soft ok>fail"      the soft state at location eu changed
//   "eu hard ok>fail"      the hard (confirmed) state at location eu changed
//   "check ok>fail"        the check-level state (quorum over locations) changed
//   "open #1", "update #1", "close #1"   incidents

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "state/engine.hpp"

namespace lk::state::testing {

inline constexpr Status kOk = Status::ok;
inline constexpr Status kWarn = Status::warn;
inline constexpr Status kFail = Status::fail;
inline constexpr Status kUnknown = Status::unknown;

/// The simulated time every story starts at.
inline const TimePoint kStart = TimePoint{std::chrono::seconds{1'800'000'000}};
inline TimePoint at_second(int seconds) {
  return kStart + std::chrono::seconds{seconds};
}

/// One result arriving, and what the engine must make of it.
struct Step {
  int at_s;                  ///< seconds after kStart
  std::string location;      ///< where the result comes from
  Status status;             ///< the result's status
  std::string check_after;   ///< check-level state after the step, e.g. "fail"
  std::string events;        ///< describe() of what the step reported; "" for nothing
  std::string message = {};  ///< the result's message; "<status> from <location>" when empty
};

/// A policy with the thresholds a story needs; flapping thresholds at their defaults.
CheckPolicy policy(std::string check, int failure_threshold = 2, int recovery_threshold = 2,
                   int quorum = 0);

/// The result a step feeds to the engine.
Result result_for(std::string_view check, const Step& step);

/// One line naming every transition and incident in `t`, in the order reported.
std::string describe(const Transitions& t);

/// Feeds the steps in order and checks each one's events and check-level state.
void play(StateEngine& engine, std::string_view check, const std::vector<Step>& steps);

/// An engine configured with `policies` at kStart.
StateEngine engine_with(const std::vector<CheckPolicy>& policies);

}  // namespace lk::state::testing
