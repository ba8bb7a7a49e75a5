// Regexes on hostile input: bounded time, no crash, and safe to share between threads.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "expect/expect.hpp"
#include "test_support.hpp"

namespace lk::expect {
namespace {

using testing::http_answer;
using testing::kNow;
using testing::must_parse;

double seconds_to_evaluate(const Condition& condition, const Observation& o, Verdict* verdict) {
  auto start = std::chrono::steady_clock::now();
  *verdict = evaluate(condition, o, kNow);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(ExpectRegex, CatastrophicBacktrackingEndsQuicklyWithAFailedVerdict) {
  Observation o = http_answer(200, std::string(50'000, 'a') + "b");
  for (const char* text : {"body matches \"(a+)+$\"", "body matches \"(a|aa)+$\"",
                           "body matches \"^(a*)*(b)c\"", "body not matches \"(a+)+$\""}) {
    Verdict verdict;
    double took = seconds_to_evaluate(must_parse(text), o, &verdict);
    EXPECT_FALSE(verdict.passed) << text;
    EXPECT_FALSE(verdict.explanation.empty()) << text;
    EXPECT_LT(took, 2.0) << text << ": " << verdict.explanation;
  }
}

TEST(ExpectRegex, GivingUpIsReportedAsSuch) {
  Observation o = http_answer(200, std::string(50'000, 'a') + "b");
  Verdict verdict = evaluate(must_parse("body matches \"(a|aa)+$\""), o, kNow);
  EXPECT_FALSE(verdict.passed);
  EXPECT_TRUE(verdict.explanation.starts_with("body could not be matched: regex gave up: "))
      << verdict.explanation;
  EXPECT_TRUE(verdict.explanation.ends_with(" (expected body matches \"(a|aa)+$\")"))
      << verdict.explanation;
}

TEST(ExpectRegex, LargeBodiesDoNotOverflowTheStack) {
  Observation big = http_answer(200, std::string(8 << 20, 'x') + "end");
  for (const char* text : {"body matches \"end$\"", "body matches \"^x+end$\"",
                           "body matches \".*end\"", "body matches \"x{100}e\""})
    EXPECT_TRUE(evaluate(must_parse(text), big, kNow).passed) << text;
  // A repeated group remembers a backtracking point per repetition: beyond the JIT's small
  // stack, the interpreter takes over under its own limits.
  Observation medium = http_answer(200, std::string(20'000, 'x') + "end");
  EXPECT_TRUE(evaluate(must_parse("body matches \"^(x|y)*end$\""), medium, kNow).passed);
}

TEST(ExpectRegex, InvalidUtf8InTheBodyDoesNotPreventAMatch) {
  Observation o = http_answer(200, "\xff\xfe caf\xc3\xa9 \x80 ok");
  EXPECT_TRUE(evaluate(must_parse("body matches \"caf. \""), o, kNow).passed);
  EXPECT_TRUE(evaluate(must_parse("body matches \"ok$\""), o, kNow).passed);
}

TEST(ExpectRegex, ConditionsAreSafeToEvaluateFromManyThreads) {
  auto matches = must_parse("body matches \"^v[0-9]+\\.[0-9]+\"");
  auto json = must_parse("json.version == \"v1.2\"");
  auto status = must_parse("status in 200..299");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        bool good = i % 2 == 0;
        Observation o = http_answer(good ? 200 : 500, good ? "v1.2" : "down");
        bool expected_pass = good;
        if (evaluate(matches, o, kNow).passed != expected_pass) ++failures[t];
        if (evaluate(status, o, kNow).passed != expected_pass) ++failures[t];
        if (evaluate(json, o, kNow).passed) ++failures[t];  // "v1.2" alone is not JSON
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace lk::expect
