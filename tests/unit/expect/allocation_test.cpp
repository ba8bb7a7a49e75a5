// The hot conditions run tens of thousands of times a second: they must not allocate.
// Counting needs the global operator new replaced; it only counts while a test asks it to.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "expect/expect.hpp"
#include "test_support.hpp"

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

// g++ 12 flags free() in a replacement operator delete as mismatched with the replaced
// operator new once both are inlined; they do match (both are malloc-based).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace lk::expect {
namespace {

using namespace std::chrono_literals;

long allocations_while(const std::function<void()>& work) {
  allocations = 0;
  counting = true;
  work();
  counting = false;
  return allocations.load();
}

TEST(ExpectAllocation, PassingNumberAndDurationConditionsDoNotAllocate) {
  Observation o = testing::http_answer(200, "body", 120ms);
  o.timings.connect = 5ms;
  o.metrics = {{"rows", 3, ""}};
  for (const char* text :
       {"status == 200", "status in 200..299", "status in [200, 204]", "latency < 800ms",
        "latency.connect < 10ms", "body.size < 64KiB", "metric.rows > 0", "body contains \"od\""}) {
    Condition condition = testing::must_parse(text);
    long count = allocations_while([&] {
      for (int i = 0; i < 100; ++i) ASSERT_TRUE(evaluate(condition, o, testing::kNow).passed);
    });
    EXPECT_EQ(count, 0) << text;
  }
  // The counter itself works: explaining a failure does allocate.
  Condition failing = testing::must_parse("status == 500");
  EXPECT_GT(allocations_while([&] { (void)evaluate(failing, o, testing::kNow); }), 0);
}

TEST(ExpectAllocation, JudgingAnOkAnswerWithoutJsonOnlyAllocatesItsSummary) {
  Observation o = testing::http_answer(200, "ok", 12ms);
  std::vector<Condition> expect = {testing::must_parse("status == 200"),
                                   testing::must_parse("latency < 800ms")};
  Judgement judgement;
  long count = allocations_while([&] { judgement = judge(o, expect, {}, testing::kNow); });
  EXPECT_EQ(judgement.message, "HTTP 200 in 12ms");
  EXPECT_LE(count, 3);  // the summary string and its pieces
}

}  // namespace
}  // namespace lk::expect
