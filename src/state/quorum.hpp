#pragma once
// The check-level state: what the locations agree on.

#include "state/check_state.hpp"

namespace lk::state {

/// How many locations must be at least as bad as the check state: `quorum` when set (at most
/// the reporting ones), otherwise a majority of the reporting locations.
int locations_needed(int reporting, int quorum);

/// The check-level state over its locations. Only locations with a confirmed (non-pending)
/// hard state report; with none the check is pending. The result is the `needed`-th worst
/// reporting state in severity order, so one location in three seeing an outage is a glitch
/// of that location and the check stays ok, while two of three make it an outage.
State quorum_state(const LocationMap& locations, int quorum);

}  // namespace lk::state
