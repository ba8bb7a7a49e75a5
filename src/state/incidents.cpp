#include "state/incidents.hpp"

#include <algorithm>

namespace lk::state {

bool IncidentLedger::follow(CheckState& check, State before, std::string_view message,
                            bool new_failing_message, TimePoint now, Transitions& out) {
  bool check_changed = false;
  if (check.open_incident && !open_.contains(*check.open_incident)) {
    // A reference to an incident the ledger does not hold (an inconsistent restore) is
    // dropped, so that the check can open a real one below.
    check.open_incident.reset();
    check_changed = true;
  }

  if (!check.open_incident) {
    if (check.state != State::fail) return check_changed;
    open_for(check, message, now, out);
    return true;
  }

  auto it = open_.find(*check.open_incident);
  Incident& incident = it->second;
  if (check.state == State::ok) {
    incident.closed_at = now;
    out.closed.push_back(incident);
    open_.erase(it);
    check.open_incident.reset();
    return true;
  }

  // Still an outage. A move between fail, warn and unknown is the same outage changing
  // severity; the incident keeps the worst it has seen. Only a message that actually changed
  // at its location is news: repeating it, or locations that fail with different but steady
  // messages taking turns, would otherwise write one update per result.
  bool incident_changed = check.state != before;
  if (severity(check.state) > severity(incident.severity)) {
    incident.severity = check.state;
    incident_changed = true;
  }
  if (new_failing_message && incident.last_message != message) {
    incident.last_message = std::string(message);
    incident_changed = true;
  }
  if (incident_changed) out.updated.push_back(incident);
  return check_changed;
}

void IncidentLedger::open_for(CheckState& check, std::string_view message, TimePoint now,
                              Transitions& out) {
  Incident incident;
  incident.id = next_id_++;
  incident.check = check.check;
  incident.severity = State::fail;
  incident.opened_at = now;
  incident.cause = std::string(message);
  incident.last_message = std::string(message);
  open_.emplace(incident.id, incident);
  check.open_incident = incident.id;
  out.opened.push_back(std::move(incident));
}

void IncidentLedger::close_all_of(std::string_view check, std::string_view reason, TimePoint now,
                                  Transitions& out) {
  for (auto it = open_.begin(); it != open_.end();) {
    if (it->second.check != check) {
      ++it;
      continue;
    }
    it->second.closed_at = now;
    it->second.last_message = std::string(reason);
    out.closed.push_back(std::move(it->second));
    it = open_.erase(it);
  }
}

const Incident* IncidentLedger::find(std::int64_t id) const {
  auto it = open_.find(id);
  return it == open_.end() ? nullptr : &it->second;
}

std::vector<Incident> IncidentLedger::open_incidents() const {
  std::vector<Incident> incidents;
  incidents.reserve(open_.size());
  for (const auto& [id, incident] : open_) incidents.push_back(incident);
  return incidents;
}

std::vector<std::string> IncidentLedger::checks_with_open_incidents() const {
  std::vector<std::string> checks;
  for (const auto& [id, incident] : open_) checks.push_back(incident.check);
  std::sort(checks.begin(), checks.end());
  checks.erase(std::unique(checks.begin(), checks.end()), checks.end());
  return checks;
}

void IncidentLedger::restore(const std::vector<Incident>& open, std::int64_t next_id) {
  open_.clear();
  next_id_ = std::max<std::int64_t>(next_id, 1);
  for (const auto& incident : open) {
    if (!incident.open()) continue;
    open_[incident.id] = incident;
    next_id_ = std::max(next_id_, incident.id + 1);
  }
}

}  // namespace lk::state
