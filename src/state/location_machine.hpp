#pragma once
// The state of a check at one location: results are counted into a soft state, which is
// confirmed into a hard state when the policy's thresholds are met.

#include <string_view>
#include <vector>

#include "state/check_state.hpp"

namespace lk::state {

/// The hard state a location moves to now that its latest result is counted (`soft` and the
/// consecutive counters already updated), or `loc.hard` when it stays.
State next_hard_state(const LocationState& loc, const Thresholds& policy);

/// Feeds one result to the state of its check at its location: counts it, moves the soft
/// state, confirms the hard state when due, records the result for flap detection and
/// re-evaluates flapping. Appends the location-level transitions (soft, then hard) to `out`.
/// Returns true when something worth persisting changed (soft or hard state, flapping); the
/// counters alone are not worth a write, losing them on restart only delays a confirmation.
bool advance_location(std::string_view check, std::string_view location, LocationState& loc,
                      const Result& result, const Thresholds& policy, TimePoint now,
                      std::vector<Transition>& out);

}  // namespace lk::state
