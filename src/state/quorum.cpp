#include "state/quorum.hpp"

#include <algorithm>
#include <vector>

namespace lk::state {

int locations_needed(int reporting, int quorum) {
  if (quorum > 0) return std::min(quorum, reporting);
  return reporting / 2 + 1;
}

State quorum_state(const std::map<std::string, LocationState, std::less<>>& locations, int quorum) {
  std::vector<State> reporting;
  reporting.reserve(locations.size());
  for (const auto& [name, location] : locations) {
    if (location.hard != State::pending) reporting.push_back(location.hard);
  }
  if (reporting.empty()) return State::pending;

  std::sort(reporting.begin(), reporting.end(),
            [](State a, State b) { return severity(a) > severity(b); });
  const int needed = locations_needed(int(reporting.size()), quorum);
  return reporting[std::size_t(needed - 1)];
}

}  // namespace lk::state
