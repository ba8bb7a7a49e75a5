#pragma once
// The latest result states of a location, for flap detection.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>

#include "core/status.hpp"

namespace lk::state {

/// The latest result states of a location, oldest first: a fixed queue of 21 states packed in
/// 3 bits each, 9 bytes with no alignment, instead of a std::deque (whose first block alone is
/// 512 bytes per location).
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
    store(load() | std::uint64_t(s) << (kBits * size_));
    ++size_;
  }
  void pop_front() {
    if (size_ == 0) return;
    store(load() >> kBits);
    --size_;
  }
  void clear() {
    store(0);
    size_ = 0;
  }
  State operator[](std::size_t i) const { return State((load() >> (kBits * i)) & kMask); }

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

  // The bits above the last state are always zero, so equal histories have equal bits.
  friend bool operator==(const StateHistory& a, const StateHistory& b) {
    return a.size_ == b.size_ && a.load() == b.load();
  }

 private:
  static constexpr unsigned kBits = 3;
  static constexpr std::uint64_t kMask = (1u << kBits) - 1;
  static_assert(kBits * kCapacity <= 64, "the states must fit in 64 bits");
  static_assert(std::uint64_t(State::unknown) <= kMask, "every State must fit in kBits");

  // Bytes rather than a std::uint64_t, so that the history does not force 8-byte alignment
  // and padding on the LocationState around it.
  std::uint64_t load() const {
    std::uint64_t bits;
    std::memcpy(&bits, bits_, sizeof bits);
    return bits;
  }
  void store(std::uint64_t bits) { std::memcpy(bits_, &bits, sizeof bits); }

  unsigned char bits_[8] = {};  ///< state i (0 = oldest) in bits [3i, 3i + 3)
  std::uint8_t size_ = 0;
};

}  // namespace lk::state
