#pragma once
// The pure state machine: results in, transitions and incidents out. No I/O, no clock reads;
// the time is passed in, so it runs on simulated time in tests.
//
// The work is split by aspect: location_machine.hpp (soft/hard per location), flapping.hpp,
// quorum.hpp (check level over locations), incidents.hpp, and codec.cpp (persisted form).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/check_state.hpp"
#include "state/incidents.hpp"

namespace lk::state {

class StateEngine {
 public:
  /// Sets the checks and their policies. New checks start pending; checks that remain keep
  /// their state (new thresholds apply from the next result, a new quorum at once); removed
  /// checks are dropped (their open incidents are closed with the message "check removed")
  /// and listed in changed_checks so that the caller deletes their rows.
  Transitions configure(const std::vector<CheckPolicy>& policies, TimePoint now);

  /// Feeds one result. Results for unknown checks are ignored (empty Transitions). A result
  /// without a location counts as coming from kLocalLocation.
  Transitions apply(const Result& r, TimePoint now);

  /// Time-driven changes (heartbeats, maintenance edges later). Nothing yet for plain checks.
  Transitions tick(TimePoint now);

  /// The state of one configured check, or nullptr.
  const CheckState* state(std::string_view check) const;
  /// An open incident by id, or nullptr (closed incidents live in the store, not here).
  const Incident* incident(std::int64_t id) const;

  Snapshot snapshot() const;
  /// Restores a snapshot taken earlier; call before configure().
  void restore(const Snapshot& s);

  /// One check's state as compact JSON (for the store; times in ns since the epoch) and back.
  /// decode() returns nullopt for anything it cannot read; it never throws.
  static std::string encode(const CheckState& s);
  static std::optional<CheckState> decode(std::string_view text);

 private:
  /// Re-evaluates a check's quorum state and its incident after its locations changed.
  /// Returns true when the persisted CheckState changed.
  bool settle_check(CheckState& check, const CheckPolicy& policy, std::string_view message,
                    bool new_failing_message, TimePoint now, Transitions& out);

  std::map<std::string, CheckPolicy, std::less<>> policies_;
  std::map<std::string, CheckState, std::less<>> states_;
  IncidentLedger incidents_;
};

}  // namespace lk::state
