#pragma once
// Counts heap allocations made by the calling thread, so a benchmark can report allocations
// per operation next to its rate (the replacement operator new lives in alloc_counter.cpp and
// is linked into lk_micro_bench only).

#include <cstdint>

namespace lk::bench {

/// Allocations (operator new calls) made by this thread so far.
std::uint64_t allocations_on_this_thread();

/// Allocations made by this thread between construction and per_item().
class AllocationScope {
 public:
  AllocationScope() : start_(allocations_on_this_thread()) {}
  /// Allocations since construction divided by `items` (0 when there were no items).
  double per_item(std::uint64_t items) const {
    if (items == 0) return 0;
    return static_cast<double>(allocations_on_this_thread() - start_) / static_cast<double>(items);
  }

 private:
  std::uint64_t start_;
};

}  // namespace lk::bench
