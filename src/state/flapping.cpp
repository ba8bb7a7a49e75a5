#include "state/flapping.hpp"

namespace lk::state {

namespace {

constexpr double kOldestChangeWeight = 0.8;
constexpr double kNewestChangeWeight = 1.2;

}  // namespace

double state_change_share(const StateHistory& history) {
  if (history.size() < 2) return 0.0;
  const std::size_t pairs = history.size() - 1;
  double weighted_changes = 0.0;
  double total_weight = 0.0;
  for (std::size_t i = 0; i < pairs; ++i) {
    const double position = pairs == 1 ? 1.0 : double(i) / double(pairs - 1);
    const double weight =
        kOldestChangeWeight + (kNewestChangeWeight - kOldestChangeWeight) * position;
    total_weight += weight;
    if (history[i] != history[i + 1]) weighted_changes += weight;
  }
  return weighted_changes / total_weight;
}

bool flapping_after(bool was_flapping, const StateHistory& history, double flap_high,
                    double flap_low) {
  if (history.size() < kMinFlapHistory) return was_flapping;
  const double share = state_change_share(history);
  if (was_flapping) return share >= flap_low;
  return share > flap_high;
}

}  // namespace lk::state
