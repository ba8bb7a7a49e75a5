#pragma once
// The value types of the state engine: policies in, per-location and per-check state kept,
// transitions and incidents out. Plain data, shared by every aspect of the engine.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/incident.hpp"
#include "core/result.hpp"
#include "state/flat_name_map.hpp"
#include "state/shared_text.hpp"
#include "state/state_history.hpp"

namespace lk::state {

/// The numbers of a check's policy: when results confirm a state at a location, how many
/// locations make the state of the check, and when a location is flapping.
struct Thresholds {
  int failure_threshold = 2;   ///< consecutive non-ok results before a hard failure
  int recovery_threshold = 2;  ///< consecutive ok results before a hard recovery
  int quorum = 0;              ///< locations that must be hard-down; 0 = majority of reporting
  double flap_high = 0.5;      ///< flapping starts above this share of state changes
  double flap_low = 0.25;      ///< and stops below this one
};

/// How one check turns results into state. Built from config by app/. The engine keeps only
/// the Thresholds part per check; the name it already has in CheckState::check.
struct CheckPolicy : Thresholds {
  std::string check;
};

/// State of a check at one location. Fields ordered to leave no padding (48 bytes).
struct LocationState {
  State hard = State::pending;  ///< confirmed state
  State soft = State::pending;  ///< latest result's state (may not be confirmed yet)
  bool flapping = false;        ///< changing state too often to be trusted (see flapping.hpp)
  int consecutive_bad = 0;      ///< consecutive non-ok results
  int consecutive_good = 0;     ///< consecutive ok results
  StateHistory history;         ///< latest result states, newest last, for flap detection
  TimePoint since{};            ///< when `hard` last changed
  TimePoint last_result{};
  SharedText last_message;  ///< shared with CheckState::last_message when it came from here
};

/// The locations of a check by name, in name order; iterates like a std::map (`.first` is the
/// name, `.second` the LocationState).
using LocationMap = FlatNameMap<LocationState>;

/// State of a check as a whole (after quorum over locations).
struct CheckState {
  std::string check;
  State state = State::pending;
  bool flapping = false;  ///< any location is flapping
  TimePoint since{};
  std::optional<std::int64_t> open_incident;  ///< id of the open incident, if any
  SharedText last_message;                    ///< of the latest result, from any location
  LocationMap locations;
};

/// Everything that changed because of one call.
struct Transitions {
  std::vector<Transition> changes;          ///< soft and hard, location- and check-level
  std::vector<Incident> opened;             ///< incidents opened by this call
  std::vector<Incident> updated;            ///< open incidents whose severity or message changed
  std::vector<Incident> closed;             ///< incidents closed by this call
  std::vector<std::string> changed_checks;  ///< checks whose CheckState changed (to persist)
  bool empty() const {
    return changes.empty() && opened.empty() && updated.empty() && closed.empty();
  }
};

/// Persisted form of the engine, restored on restart so nothing is reopened or repeated.
struct Snapshot {
  std::vector<CheckState> checks;
  std::vector<Incident> open_incidents;
  std::int64_t next_incident_id = 1;
};

}  // namespace lk::state
