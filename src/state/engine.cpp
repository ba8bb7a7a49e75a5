#include "state/engine.hpp"

#include <algorithm>

#include "state/location_machine.hpp"
#include "state/quorum.hpp"

namespace lk::state {

namespace {

constexpr std::string_view kCheckRemoved = "check removed";
constexpr std::string_view kPolicyChanged = "policy changed";

void mark_changed(Transitions& out, const std::string& check) {
  if (std::find(out.changed_checks.begin(), out.changed_checks.end(), check) ==
      out.changed_checks.end()) {
    out.changed_checks.push_back(check);
  }
}

bool any_location_flapping(const CheckState& check) {
  return std::any_of(check.locations.begin(), check.locations.end(),
                     [](const auto& entry) { return entry.second.flapping; });
}

}  // namespace

Transitions StateEngine::configure(const std::vector<CheckPolicy>& policies, TimePoint now) {
  Transitions out;
  std::map<std::string, CheckPolicy, std::less<>> next_policies;
  for (const auto& policy : policies) next_policies[policy.check] = policy;

  // A check is removed when it has state or an open incident but is no longer configured.
  std::vector<std::string> removed;
  for (const auto& [name, check] : states_) {
    if (!next_policies.contains(name)) removed.push_back(name);
  }
  for (const auto& name : incidents_.checks_with_open_incidents()) {
    if (!next_policies.contains(name) && !states_.contains(name)) removed.push_back(name);
  }
  // Removed, created and re-settled checks are disjoint sets of distinct names, so
  // changed_checks is appended to directly: a linear de-duplication here made configuring
  // 100,000 new checks quadratic (25 s).
  for (const auto& name : removed) {
    incidents_.close_all_of(name, kCheckRemoved, now, out);
    states_.erase(name);
    out.changed_checks.push_back(name);
  }

  policies_ = std::move(next_policies);
  for (const auto& [name, policy] : policies_) {
    auto [it, created] = states_.try_emplace(name);
    CheckState& check = it->second;
    if (created) {
      check.check = name;
      check.since = now;
      out.changed_checks.push_back(name);
      continue;
    }
    // The locations' hard states are already confirmed, so a new quorum applies at once;
    // new thresholds only matter from the next result on.
    if (settle_check(check, policy, kPolicyChanged, false, now, out))
      out.changed_checks.push_back(name);
  }
  return out;
}

Transitions StateEngine::apply(const Result& r, TimePoint now) {
  auto policy_it = policies_.find(r.check);
  if (policy_it == policies_.end()) return {};
  const CheckPolicy& policy = policy_it->second;
  CheckState& check = states_[policy.check];
  check.check = policy.check;

  const std::string_view location = r.location.empty() ? kLocalLocation : r.location;
  auto [location_it, first_result] = check.locations.try_emplace(std::string(location));
  if (first_result) location_it->second.since = now;

  LocationState& at_location = location_it->second;
  const bool new_failing_message =
      r.status != Status::ok && (first_result || at_location.last_message != r.message);

  Transitions out;
  bool changed = advance_location(check.check, location, at_location, r, policy, now, out.changes);

  const bool was_flapping = check.flapping;
  check.flapping = any_location_flapping(check);
  changed |= check.flapping != was_flapping;

  check.last_message = r.message;
  changed |= settle_check(check, policy, r.message, new_failing_message, now, out);

  if (changed) mark_changed(out, check.check);
  return out;
}

bool StateEngine::settle_check(CheckState& check, const CheckPolicy& policy,
                               std::string_view message, bool new_failing_message, TimePoint now,
                               Transitions& out) {
  const State before = check.state;
  const State after = quorum_state(check.locations, policy.quorum);
  bool changed = false;
  if (after != before) {
    check.state = after;
    check.since = now;
    out.changes.push_back(
        Transition{check.check, std::string(), before, after, true, now, std::string(message)});
    changed = true;
  }
  changed |= incidents_.follow(check, before, message, new_failing_message, now, out);
  return changed;
}

Transitions StateEngine::tick([[maybe_unused]] TimePoint now) {
  // The hook for time-driven state (missed heartbeats, maintenance windows starting and
  // ending). Plain checks only change when a result arrives.
  return {};
}

const CheckState* StateEngine::state(std::string_view check) const {
  auto it = states_.find(check);
  return it == states_.end() ? nullptr : &it->second;
}

const Incident* StateEngine::incident(std::int64_t id) const {
  return incidents_.find(id);
}

Snapshot StateEngine::snapshot() const {
  Snapshot s;
  s.checks.reserve(states_.size());
  for (const auto& [name, check] : states_) s.checks.push_back(check);
  s.open_incidents = incidents_.open_incidents();
  s.next_incident_id = incidents_.next_id();
  return s;
}

void StateEngine::restore(const Snapshot& s) {
  policies_.clear();
  states_.clear();
  for (const auto& check : s.checks) {
    if (!check.check.empty()) states_[check.check] = check;
  }
  incidents_.restore(s.open_incidents, s.next_incident_id);

  // Check states and incidents are persisted as separate rows; make them point at each other
  // again, so that a check still in an outage keeps its incident instead of opening another.
  for (auto& [name, check] : states_) {
    if (!check.open_incident) continue;
    const Incident* incident = incidents_.find(*check.open_incident);
    if (incident == nullptr || incident->check != name) check.open_incident.reset();
  }
  for (const auto& incident : incidents_.open_incidents()) {
    auto it = states_.find(incident.check);
    if (it != states_.end() && !it->second.open_incident) it->second.open_incident = incident.id;
  }
}

}  // namespace lk::state
