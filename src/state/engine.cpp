#include "state/engine.hpp"

#include <algorithm>

#include "state/location_machine.hpp"
#include "state/quorum.hpp"

namespace lk::state {

namespace {

constexpr std::string_view kCheckRemoved = "check removed";
constexpr std::string_view kPolicyChanged = "policy changed";

bool any_location_flapping(const CheckState& check) {
  return std::any_of(check.locations.begin(), check.locations.end(),
                     [](const auto& entry) { return entry.second.flapping; });
}

/// Sorts `items` by name and keeps, of equal names, the one that came last (a map assignment
/// per item did the same before).
template <typename T, typename NameOf>
void sort_keeping_last(std::vector<T>& items, NameOf name_of) {
  // Rows restored from the store come sorted by name already; stable_sort would still take a
  // buffer of half their size.
  const auto out_of_order = std::adjacent_find(
      items.begin(), items.end(), [&](const T& a, const T& b) { return name_of(a) >= name_of(b); });
  if (out_of_order == items.end()) return;
  std::stable_sort(items.begin(), items.end(),
                   [&](const T& a, const T& b) { return name_of(a) < name_of(b); });
  auto kept = items.begin();
  for (auto it = items.begin(); it != items.end(); ++it) {
    const auto next = std::next(it);
    if (next != items.end() && name_of(*next) == name_of(*it)) continue;
    if (kept != it) *kept = std::move(*it);
    ++kept;
  }
  items.erase(kept, items.end());
}

}  // namespace

Transitions StateEngine::configure(const std::vector<CheckPolicy>& policies, TimePoint now) {
  Transitions out;
  std::vector<const CheckPolicy*> wanted;
  wanted.reserve(policies.size());
  for (const auto& policy : policies) wanted.push_back(&policy);
  sort_keeping_last(wanted, [](const CheckPolicy* p) -> std::string_view { return p->check; });
  auto is_wanted = [&](std::string_view name) {
    auto it =
        std::lower_bound(wanted.begin(), wanted.end(), name,
                         [](const CheckPolicy* p, std::string_view n) { return p->check < n; });
    return it != wanted.end() && (*it)->check == name;
  };

  // A check is removed when it has state or an open incident but is no longer configured.
  std::vector<std::string> removed;
  for (const auto& entry : checks_) {
    if (!is_wanted(entry.state.check)) removed.push_back(entry.state.check);
  }
  for (const auto& name : incidents_.checks_with_open_incidents()) {
    if (!is_wanted(name) && find(name) == nullptr) removed.push_back(name);
  }
  std::erase_if(checks_, [&](const Entry& entry) { return !is_wanted(entry.state.check); });
  // Removed, created and re-settled checks are disjoint sets of distinct names, so
  // changed_checks is appended to directly: a linear de-duplication here made configuring
  // 100,000 new checks quadratic (25 s).
  for (auto& name : removed) {
    incidents_.close_all_of(name, kCheckRemoved, now, out);
    out.changed_checks.push_back(std::move(name));
  }

  // Every remaining check is wanted, so with as many checks as policies there is no new one
  // and the checks are updated where they are. Otherwise the new ones are merged in, in name
  // order, into a vector of the exact size.
  const bool adding = checks_.size() != wanted.size();
  std::vector<Entry> merged;
  if (adding) merged.reserve(wanted.size());
  std::size_t next_existing = 0;
  for (const CheckPolicy* policy : wanted) {
    const bool created =
        next_existing == checks_.size() || checks_[next_existing].state.check != policy->check;
    Entry* entry = nullptr;
    if (!adding) {
      entry = &checks_[next_existing++];
    } else if (created) {
      entry = &merged.emplace_back();
      // A copy has exactly the name's length as capacity; assigning to the empty string would
      // reserve at least 30 characters, 16 bytes more per check for most names.
      entry->state.check = std::string(policy->check);
    } else {
      entry = &merged.emplace_back(std::move(checks_[next_existing++]));
    }
    entry->policy = static_cast<const Thresholds&>(*policy);
    if (created) {
      entry->state.since = now;
      out.changed_checks.push_back(policy->check);
      continue;
    }
    // The locations' hard states are already confirmed, so a new quorum applies at once;
    // new thresholds only matter from the next result on.
    if (settle_check(*entry, kPolicyChanged, false, now, out))
      out.changed_checks.push_back(policy->check);
  }
  if (adding) checks_ = std::move(merged);
  configured_ = true;
  return out;
}

Transitions StateEngine::apply(const Result& r, TimePoint now) {
  if (!configured_) return {};
  Entry* entry = find(r.check);
  if (entry == nullptr) return {};
  CheckState& check = entry->state;

  const std::string_view location = r.location.empty() ? kLocalLocation : r.location;
  auto location_it = check.locations.find(location);
  const bool first_result = location_it == check.locations.end();
  if (first_result) {
    location_it = check.locations.try_emplace(location_name(location)).first;
    location_it->second.since = now;
  }

  LocationState& at_location = location_it->second;
  const bool new_failing_message =
      r.status != Status::ok && (first_result || at_location.last_message != r.message);

  // The check's message is its latest location's, shared. Letting go of it first leaves the
  // location the only holder, so a changed message is written into the same buffer.
  check.last_message.clear();
  Transitions out;
  bool changed =
      advance_location(check.check, location, at_location, r, entry->policy, now, out.changes);
  check.last_message = at_location.last_message;

  const bool was_flapping = check.flapping;
  check.flapping = any_location_flapping(check);
  changed |= check.flapping != was_flapping;

  changed |= settle_check(*entry, r.message, new_failing_message, now, out);

  if (changed) out.changed_checks.push_back(check.check);
  return out;
}

bool StateEngine::settle_check(Entry& entry, std::string_view message, bool new_failing_message,
                               TimePoint now, Transitions& out) {
  CheckState& check = entry.state;
  const State before = check.state;
  const State after = quorum_state(check.locations, entry.policy.quorum);
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

StateEngine::Entry* StateEngine::find(std::string_view check) {
  auto it = std::lower_bound(
      checks_.begin(), checks_.end(), check,
      [](const Entry& entry, std::string_view name) { return entry.state.check < name; });
  return it != checks_.end() && it->state.check == check ? &*it : nullptr;
}

const StateEngine::Entry* StateEngine::find(std::string_view check) const {
  return const_cast<StateEngine*>(this)->find(check);
}

SharedText StateEngine::location_name(std::string_view location) {
  for (const auto& name : location_names_) {
    if (name == location) return name;
  }
  return location_names_.emplace_back(location);
}

const CheckState* StateEngine::state(std::string_view check) const {
  const Entry* entry = find(check);
  return entry == nullptr ? nullptr : &entry->state;
}

const Incident* StateEngine::incident(std::int64_t id) const {
  return incidents_.find(id);
}

Snapshot StateEngine::snapshot() const {
  Snapshot s;
  s.checks.reserve(checks_.size());
  for (const auto& entry : checks_) s.checks.push_back(entry.state);
  s.open_incidents = incidents_.open_incidents();
  s.next_incident_id = incidents_.next_id();
  return s;
}

void StateEngine::restore(const Snapshot& s) {
  configured_ = false;
  checks_.clear();
  checks_.reserve(s.checks.size());
  for (const auto& check : s.checks) {
    if (check.check.empty()) continue;
    Entry& entry = checks_.emplace_back(Entry{check, {}});
    // Decoded rows each bring their own copy of the location names; share the engine's.
    for (auto& [name, location] : entry.state.locations) name = location_name(name);
  }
  sort_keeping_last(checks_, [](const Entry& e) -> std::string_view { return e.state.check; });
  incidents_.restore(s.open_incidents, s.next_incident_id);

  // Check states and incidents are persisted as separate rows; make them point at each other
  // again, so that a check still in an outage keeps its incident instead of opening another.
  for (auto& entry : checks_) {
    CheckState& check = entry.state;
    if (!check.open_incident) continue;
    const Incident* incident = incidents_.find(*check.open_incident);
    if (incident == nullptr || incident->check != check.check) check.open_incident.reset();
  }
  for (const auto& incident : incidents_.open_incidents()) {
    Entry* entry = find(incident.check);
    if (entry != nullptr && !entry->state.open_incident) entry->state.open_incident = incident.id;
  }
}

}  // namespace lk::state
