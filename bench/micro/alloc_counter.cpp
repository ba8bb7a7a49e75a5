// Replacement global operator new/delete that count allocations per thread. libstdc++'s
// default array and nothrow forms call these, so they are counted too; the aligned forms are
// not (nothing on the measured paths uses over-aligned types).

#include "alloc_counter.hpp"

#include <cstdlib>
#include <new>

namespace {
// Trivially initialised, so it is usable from operator new at any point of a thread's life.
thread_local std::uint64_t allocations = 0;
}  // namespace

namespace lk::bench {
std::uint64_t allocations_on_this_thread() {
  return allocations;
}
}  // namespace lk::bench

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

void operator delete(void* p) noexcept {
  std::free(p);
}

void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
