#pragma once
// Flap detection, after Nagios: a location whose results keep changing state is flapping,
// so its hard state is not to be trusted as news.

#include <cstddef>

#include "state/state_history.hpp"

namespace lk::state {

/// Result states kept per location: 21 states give 20 chances to change.
inline constexpr std::size_t kFlapHistorySize = StateHistory::kCapacity;
/// Fewer results than this say nothing about flapping yet.
inline constexpr std::size_t kMinFlapHistory = 10;

/// Weighted share of consecutive results whose state differs, from 0 (steady) to 1 (a change on
/// every result). Newer changes weigh more (1.2) than the oldest (0.8), so a location that has
/// calmed down stops flapping sooner than one that has just started.
double state_change_share(const StateHistory& history);

/// Whether a location is flapping given its history. Hysteresis: it starts above `flap_high`
/// and stops only below `flap_low`, so a share hovering near one threshold does not toggle.
bool flapping_after(bool was_flapping, const StateHistory& history, double flap_high,
                    double flap_low);

}  // namespace lk::state
