#include "state/quorum.hpp"

#include <algorithm>
#include <array>

namespace lk::state {

namespace {

// The states a reporting location can be in, worst first.
constexpr std::array<State, 4> kWorstFirst = {State::fail, State::warn, State::unknown, State::ok};
static_assert(severity(State::fail) > severity(State::warn) &&
                  severity(State::warn) > severity(State::unknown) &&
                  severity(State::unknown) > severity(State::ok),
              "kWorstFirst must follow severity()");

}  // namespace

int locations_needed(int reporting, int quorum) {
  if (quorum > 0) return std::min(quorum, reporting);
  return reporting / 2 + 1;
}

State quorum_state(const LocationMap& locations, int quorum) {
  // Counting per state finds the `needed`-th worst without sorting or allocating; each
  // severity belongs to one state, so this is the same as sorting by severity.
  std::array<int, kWorstFirst.size()> at_state{};
  int reporting = 0;
  for (const auto& [name, location] : locations) {
    if (location.hard == State::pending) continue;
    for (std::size_t i = 0; i < kWorstFirst.size(); ++i) {
      if (kWorstFirst[i] == location.hard) ++at_state[i];
    }
    ++reporting;
  }
  if (reporting == 0) return State::pending;

  const int needed = locations_needed(reporting, quorum);
  int at_least_as_bad = 0;
  for (std::size_t i = 0; i < kWorstFirst.size(); ++i) {
    at_least_as_bad += at_state[i];
    if (at_least_as_bad >= needed) return kWorstFirst[i];
  }
  return State::ok;  // not reached: needed <= reporting
}

}  // namespace lk::state
