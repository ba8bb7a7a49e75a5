#pragma once
// The pure state machine: results in, transitions and incidents out. No I/O, no clock reads;
// the time is passed in, so it runs on simulated time in tests.
//
// The work is split by aspect: location_machine.hpp (soft/hard per location), flapping.hpp,
// quorum.hpp (check level over locations), incidents.hpp, and codec.cpp (persisted form).

#include <cstdint>
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

  /// The state of one configured check, or nullptr. The pointer is valid until the next
  /// configure() or restore().
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
  /// One check: its state and the numbers of its policy. Its name is kept once, in
  /// state.check.
  struct Entry {
    CheckState state;
    Thresholds policy;
  };

  Entry* find(std::string_view check);
  const Entry* find(std::string_view check) const;
  /// The engine's copy of a location name, which the checks seen from there share.
  SharedText location_name(std::string_view location);

  /// Re-evaluates a check's quorum state and its incident after its locations changed.
  /// Returns true when the persisted CheckState changed.
  bool settle_check(Entry& entry, std::string_view message, bool new_failing_message, TimePoint now,
                    Transitions& out);

  /// Every check, sorted by name: binary search, and name order for configure() and
  /// snapshot(). A vector costs nothing per check beyond the Entry itself, where a std::map
  /// node adds 32 bytes of links and malloc's header to every check.
  std::vector<Entry> checks_;
  /// False after restore() until configure(): restored checks have no policy yet, so results
  /// are ignored.
  bool configured_ = false;
  /// Every location name seen, shared by the LocationMaps of the checks seen from there.
  std::vector<SharedText> location_names_;
  IncidentLedger incidents_;
};

}  // namespace lk::state
