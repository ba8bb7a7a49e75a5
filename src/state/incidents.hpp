#pragma once
// Incidents: an outage of a check as a whole, opened when the check-level state becomes fail
// and closed when it is ok again. The ledger holds the open ones and hands out ids.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "state/check_state.hpp"

namespace lk::state {

class IncidentLedger {
 public:
  /// Opens, updates or closes the check's incident now that its check-level state is settled
  /// (`before` is the check-level state before this step). `message` is the latest result's
  /// message; `new_failing_message` says that result was not ok and its message differs from
  /// the previous one at its location. Reports into `out`; returns true when
  /// `check.open_incident` changed.
  bool follow(CheckState& check, State before, std::string_view message, bool new_failing_message,
              TimePoint now, Transitions& out);

  /// Closes every open incident of `check` with `reason` as its last message.
  void close_all_of(std::string_view check, std::string_view reason, TimePoint now,
                    Transitions& out);

  /// An open incident by id, or nullptr.
  const Incident* find(std::int64_t id) const;
  /// The open incidents, oldest first.
  std::vector<Incident> open_incidents() const;
  /// Names of the checks that have an open incident (sorted, unique).
  std::vector<std::string> checks_with_open_incidents() const;
  std::int64_t next_id() const { return next_id_; }

  /// Replaces the ledger with persisted open incidents. The next id stays above every known id
  /// even if the persisted counter lags behind, so an id is never handed out twice.
  void restore(const std::vector<Incident>& open, std::int64_t next_id);

 private:
  void open_for(CheckState& check, std::string_view message, TimePoint now, Transitions& out);

  std::map<std::int64_t, Incident> open_;
  std::int64_t next_id_ = 1;
};

}  // namespace lk::state
