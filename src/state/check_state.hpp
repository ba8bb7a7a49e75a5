#pragma once
// The value types of the state engine: policies in, per-location and per-check state kept,
// transitions and incidents out. Plain data, shared by every aspect of the engine.

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/incident.hpp"
#include "core/result.hpp"

namespace lk::state {

/// How one check turns results into state. Built from config by app/.
struct CheckPolicy {
  std::string check;
  int failure_threshold = 2;   ///< consecutive non-ok results before a hard failure
  int recovery_threshold = 2;  ///< consecutive ok results before a hard recovery
  int quorum = 0;              ///< locations that must be hard-down; 0 = majority of reporting
  double flap_high = 0.5;      ///< flapping starts above this share of state changes
  double flap_low = 0.25;      ///< and stops below this one
};

/// The latest result states of a location, oldest first, for flap detection: a fixed ring of
/// 21 bytes instead of a std::deque (whose first block alone is 512 bytes per location).
class StateHistory {
 public:
  static constexpr std::size_t kCapacity = 21;

  StateHistory() = default;
  StateHistory(std::initializer_list<State> states) {
    for (State s : states) push_back(s);
  }
  StateHistory(std::size_t count, State s) {
    for (std::size_t i = 0; i < count; ++i) push_back(s);
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// Appends; when full, the oldest state is dropped.
  void push_back(State s) {
    if (size_ == kCapacity) pop_front();
    states_[(head_ + size_) % kCapacity] = s;
    ++size_;
  }
  void pop_front() {
    if (size_ == 0) return;
    head_ = static_cast<std::uint8_t>((head_ + 1) % kCapacity);
    --size_;
  }
  void clear() { head_ = size_ = 0; }
  State operator[](std::size_t i) const { return states_[(head_ + i) % kCapacity]; }

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = State;
    using difference_type = std::ptrdiff_t;
    using pointer = const State*;
    using reference = State;
    iterator() = default;
    iterator(const StateHistory* h, std::size_t i) : h_(h), i_(i) {}
    State operator*() const { return (*h_)[i_]; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    iterator operator++(int) {
      auto old = *this;
      ++i_;
      return old;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    const StateHistory* h_ = nullptr;
    std::size_t i_ = 0;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size_}; }

  friend bool operator==(const StateHistory& a, const StateHistory& b) {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.size_; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }

 private:
  std::array<State, kCapacity> states_{};
  std::uint8_t head_ = 0;
  std::uint8_t size_ = 0;
};

/// State of a check at one location.
struct LocationState {
  State hard = State::pending;  ///< confirmed state
  State soft = State::pending;  ///< latest result's state (may not be confirmed yet)
  int consecutive_bad = 0;      ///< consecutive non-ok results
  int consecutive_good = 0;     ///< consecutive ok results
  TimePoint since{};            ///< when `hard` last changed
  TimePoint last_result{};
  std::string last_message;
  StateHistory history;   ///< latest result states, newest last, for flap detection
  bool flapping = false;  ///< changing state too often to be trusted (see flapping.hpp)
};

/// State of a check as a whole (after quorum over locations).
struct CheckState {
  std::string check;
  State state = State::pending;
  TimePoint since{};
  bool flapping = false;                      ///< any location is flapping
  std::optional<std::int64_t> open_incident;  ///< id of the open incident, if any
  std::string last_message;
  std::map<std::string, LocationState, std::less<>> locations;
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
