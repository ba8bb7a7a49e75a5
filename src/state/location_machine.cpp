#include "state/location_machine.hpp"

#include <algorithm>
#include <string>

#include "state/flapping.hpp"

namespace lk::state {

namespace {

// A threshold of 0 or less in a policy would confirm before any result; one result is the
// least that can confirm anything.
int at_least_one(int threshold) {
  return std::max(1, threshold);
}

void count_result(LocationState& loc, State result_state) {
  if (result_state == State::ok) {
    ++loc.consecutive_good;
    loc.consecutive_bad = 0;
  } else {
    ++loc.consecutive_bad;
    loc.consecutive_good = 0;
  }
}

void remember_for_flapping(LocationState& loc, State result_state) {
  loc.history.push_back(result_state);
  while (loc.history.size() > kFlapHistorySize) loc.history.pop_front();
}

Transition location_transition(std::string_view check, std::string_view location, State from,
                               State to, bool hard, TimePoint now, const std::string& message) {
  return Transition{std::string(check), std::string(location), from, to, hard, now, message};
}

}  // namespace

State next_hard_state(const LocationState& loc, const Thresholds& policy) {
  const State latest = loc.soft;
  const bool confirmed_bad = loc.consecutive_bad >= at_least_one(policy.failure_threshold);
  const bool confirmed_good = loc.consecutive_good >= at_least_one(policy.recovery_threshold);

  if (loc.hard == State::pending) {
    // A new check that answers ok is up. Making it wait for recovery_threshold results would
    // only show a healthy service as pending for longer; a failure still needs confirming.
    if (latest == State::ok) return State::ok;
    return confirmed_bad ? latest : loc.hard;
  }
  if (loc.hard == State::ok) {
    return latest != State::ok && confirmed_bad ? latest : loc.hard;
  }
  // The location is confirmed down. Recovery needs a run of oks, so that one lucky answer
  // from a struggling service does not close an incident only to reopen it a minute later.
  if (latest == State::ok) return confirmed_good ? State::ok : loc.hard;
  // A different problem state (fail -> warn, warn -> fail, fail -> unknown) is the same
  // outage changing severity, not a new one; it needs no fresh confirmation.
  return latest;
}

bool advance_location(std::string_view check, std::string_view location, LocationState& loc,
                      const Result& result, const Thresholds& policy, TimePoint now,
                      std::vector<Transition>& out) {
  const State result_state = to_state(result.status);
  const State soft_before = loc.soft;
  const State hard_before = loc.hard;
  const bool flapping_before = loc.flapping;

  count_result(loc, result_state);
  loc.soft = result_state;
  loc.last_result = now;
  loc.last_message = result.message;
  if (loc.soft != soft_before) {
    out.push_back(
        location_transition(check, location, soft_before, loc.soft, false, now, result.message));
  }

  loc.hard = next_hard_state(loc, policy);
  if (loc.hard != hard_before) {
    loc.since = now;
    out.push_back(
        location_transition(check, location, hard_before, loc.hard, true, now, result.message));
  }

  remember_for_flapping(loc, result_state);
  loc.flapping = flapping_after(loc.flapping, loc.history, policy.flap_high, policy.flap_low);

  return loc.soft != soft_before || loc.hard != hard_before || loc.flapping != flapping_before;
}

}  // namespace lk::state
