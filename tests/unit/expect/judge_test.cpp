// judge(): transport failures, the default 2xx rule, expect before warn, and the ok summary.

#include <gtest/gtest.h>

#include <vector>

#include "expect/expect.hpp"
#include "test_support.hpp"

namespace lk::expect {
namespace {

using namespace std::chrono_literals;
using testing::http_answer;
using testing::kNow;
using testing::must_parse;

std::vector<Condition> conditions(std::initializer_list<const char*> texts) {
  std::vector<Condition> out;
  for (const char* text : texts) out.push_back(must_parse(text));
  return out;
}

TEST(ExpectJudge, TransportFailureWinsOverConditions) {
  Observation o;
  o.failed_at = Layer::connect;
  o.error = "connect to 10.0.0.5:443 refused";
  auto expect = conditions({"status == 200"});
  auto warn = conditions({"latency < 1ms"});
  Judgement judgement = judge(o, expect, warn, kNow);
  EXPECT_EQ(judgement.status, Status::fail);
  EXPECT_EQ(judgement.message, "connect to 10.0.0.5:443 refused");
}

TEST(ExpectJudge, TransportFailureWithoutMessageNamesTheLayer) {
  Observation o;
  o.failed_at = Layer::tls;
  Judgement judgement = judge(o, {}, {}, kNow);
  EXPECT_EQ(judgement.status, Status::fail);
  EXPECT_EQ(judgement.message, "tls failed");
}

TEST(ExpectJudge, WithoutConditionsAnHttpAnswerMustBe2xx) {
  struct Case {
    int status_code;
    Status status;
    const char* message;
  };
  const Case cases[] = {
      {200, Status::ok, "HTTP 200 in 12ms"},
      {204, Status::ok, "HTTP 204 in 12ms"},
      {299, Status::ok, "HTTP 299 in 12ms"},
      {301, Status::fail, "status was 301 (expected 2xx)"},
      {404, Status::fail, "status was 404 (expected 2xx)"},
      {503, Status::fail, "status was 503 (expected 2xx)"},
  };
  for (const auto& c : cases) {
    Judgement judgement = judge(http_answer(c.status_code), {}, {}, kNow);
    EXPECT_EQ(judgement.status, c.status) << c.status_code;
    EXPECT_EQ(judgement.message, c.message) << c.status_code;
  }
}

TEST(ExpectJudge, ExplicitConditionsReplaceTheDefault2xxRule) {
  auto expect = conditions({"status == 503"});
  Judgement judgement = judge(http_answer(503), expect, {}, kNow);
  EXPECT_EQ(judgement.status, Status::ok);
  EXPECT_EQ(judgement.message, "HTTP 503 in 12ms");
}

TEST(ExpectJudge, WarnConditionsStillApplyUnderTheDefaultRule) {
  auto warn = conditions({"latency < 10ms"});
  Judgement judgement = judge(http_answer(200), {}, warn, kNow);
  EXPECT_EQ(judgement.status, Status::warn);
  EXPECT_EQ(judgement.message, "latency was 12ms (expected latency < 10ms)");
}

TEST(ExpectJudge, FirstFailingExpectationIsTheMessage) {
  auto expect = conditions({"status == 200", "latency < 10ms", "body contains \"ok\""});
  Judgement judgement = judge(http_answer(200, "nope"), expect, {}, kNow);
  EXPECT_EQ(judgement.status, Status::fail);
  EXPECT_EQ(judgement.message, "latency was 12ms (expected latency < 10ms)");
}

TEST(ExpectJudge, FailingExpectationOutranksFailingWarning) {
  auto expect = conditions({"body contains \"ok\""});
  auto warn = conditions({"latency < 10ms"});
  Judgement judgement = judge(http_answer(200, "nope"), expect, warn, kNow);
  EXPECT_EQ(judgement.status, Status::fail);
  EXPECT_EQ(judgement.message, "body does not contain \"ok\"");
}

TEST(ExpectJudge, FirstFailingWarningIsTheMessage) {
  auto expect = conditions({"status == 200"});
  auto warn = conditions({"latency < 1s", "json.queue < 100", "json.lag < 5"});
  Judgement judgement = judge(http_answer(200, R"({"queue":250,"lag":9})"), expect, warn, kNow);
  EXPECT_EQ(judgement.status, Status::warn);
  EXPECT_EQ(judgement.message, "json.queue was 250 (expected json.queue < 100)");
}

TEST(ExpectJudge, AllConditionsHoldingIsOkWithASummary) {
  auto expect = conditions({"status == 200", "json.status == \"up\"", "json.count > 0"});
  auto warn = conditions({"latency < 800ms", "json.count < 10"});
  Judgement judgement = judge(http_answer(200, R"({"status":"up","count":3})"), expect, warn, kNow);
  EXPECT_EQ(judgement.status, Status::ok);
  EXPECT_EQ(judgement.message, "HTTP 200 in 12ms");
}

TEST(ExpectJudge, SummaryWithoutHttpStatusSaysOkAndAReadableDuration) {
  struct Case {
    Duration latency;
    const char* message;
  };
  const Case cases[] = {
      {3ms, "ok in 3ms"},     {412us, "ok in 412us"}, {12345us, "ok in 12ms"},
      {1200ms, "ok in 1.2s"}, {0ms, "ok in 0s"},
  };
  for (const auto& c : cases) {
    Observation o;
    o.timings.total = c.latency;
    Judgement judgement = judge(o, {}, {}, kNow);
    EXPECT_EQ(judgement.status, Status::ok);
    EXPECT_EQ(judgement.message, c.message);
  }
}

}  // namespace
}  // namespace lk::expect
