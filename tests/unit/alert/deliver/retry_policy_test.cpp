#include "alert/deliver/retry_policy.hpp"

#include <gtest/gtest.h>

namespace lk::alert::deliver {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 2027-01-15T08:05:00Z
const TimePoint kNow =
    TimePoint{std::chrono::sys_days{std::chrono::year{2027} / std::chrono::January / 15}} +
    hours{8} + minutes{5};

Attempt answer(int status, std::string retry_after = {}) {
  Attempt a;
  a.http_status = status;
  a.retry_after = std::move(retry_after);
  if (status < 200 || status > 299) a.error = "HTTP " + std::to_string(status);
  return a;
}

Attempt failure(FailedLayer layer) {
  Attempt a;
  a.failed_layer = layer;
  a.error = std::string(to_string(layer)) + ": failed";
  return a;
}

UniformRandom fixed(double value) {
  return [value] { return value; };
}

TEST(RetryPolicy, ClassifiesStatusCodes) {
  struct Case {
    int status;
    Verdict expected;
  };
  const Case cases[] = {
      {200, Verdict::sent},      {201, Verdict::sent},      {202, Verdict::sent},
      {204, Verdict::sent},      {299, Verdict::sent},      {400, Verdict::permanent},
      {401, Verdict::permanent}, {403, Verdict::permanent}, {404, Verdict::permanent},
      {410, Verdict::permanent}, {413, Verdict::permanent}, {422, Verdict::permanent},
      {408, Verdict::retry},     {425, Verdict::retry},     {429, Verdict::retry},
      {500, Verdict::retry},     {502, Verdict::retry},     {503, Verdict::retry},
      {504, Verdict::retry},     {599, Verdict::retry},     {100, Verdict::permanent},
      {600, Verdict::permanent},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(classify(answer(c.status)), c.expected) << "HTTP " << c.status;
  }
}

TEST(RetryPolicy, TransportFailuresAreRetriedButConfigurationErrorsAreNot) {
  for (auto layer : {FailedLayer::dns, FailedLayer::connect, FailedLayer::tls,
                     FailedLayer::connection, FailedLayer::timeout, FailedLayer::cancelled}) {
    EXPECT_EQ(classify(failure(layer)), Verdict::retry) << to_string(layer);
  }
  EXPECT_EQ(classify(failure(FailedLayer::redirect)), Verdict::permanent);
  EXPECT_EQ(classify(failure(FailedLayer::request)), Verdict::permanent);
}

TEST(RetryPolicy, AChannelMayOverrideTheGenericRules) {
  RetryOptions options;
  // e.g. a service that says "slow down" with a 400 and a particular body.
  options.override_classify = [](const Attempt& a) -> std::optional<Verdict> {
    if (a.http_status == 400 && a.response_start.find("Too Many") != std::string::npos) {
      return Verdict::retry;
    }
    return std::nullopt;
  };
  Attempt limited = answer(400);
  limited.response_start = R"({"description":"Too Many Requests"})";
  EXPECT_EQ(decide(options, limited, 1, kNow, kNow, fixed(0.5)).verdict, Verdict::retry);
  EXPECT_EQ(decide(options, answer(400), 1, kNow, kNow, fixed(0.5)).verdict, Verdict::permanent);
  EXPECT_EQ(decide(options, answer(200), 1, kNow, kNow, fixed(0.5)).verdict, Verdict::sent);
}

TEST(RetryPolicy, ParsesRetryAfterInSeconds) {
  EXPECT_EQ(parse_retry_after("120", kNow), seconds{120});
  EXPECT_EQ(parse_retry_after(" 0 ", kNow), seconds{0});
  EXPECT_EQ(parse_retry_after("99999999999999", kNow),
            std::chrono::duration_cast<Duration>(std::chrono::years{30}));
}

TEST(RetryPolicy, ParsesRetryAfterInAllThreeHttpDateForms) {
  EXPECT_EQ(parse_retry_after("Fri, 15 Jan 2027 08:07:30 GMT", kNow), seconds{150});
  EXPECT_EQ(parse_retry_after("Friday, 15-Jan-27 08:06:00 GMT", kNow), seconds{60});
  EXPECT_EQ(parse_retry_after("Fri Jan 15 09:05:00 2027", kNow), hours{1});
  EXPECT_EQ(parse_retry_after("Fri Jan  5 08:05:00 2027", kNow), Duration::zero());
}

TEST(RetryPolicy, ADateInThePastMeansNow) {
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kNow), Duration::zero());
}

TEST(RetryPolicy, RejectsGarbageRetryAfter) {
  for (std::string_view garbage :
       {"", "  ", "-5", "1.5", "soon", "120s", "Fri, 15 Jan 2027 08:07:30",
        "Fri, 32 Jan 2027 "
        "08:07:30 GMT",
        "Fri, 15 Foo 2027 08:07:30 GMT", "Fri, 15 Jan 2027 25:07:30 GMT",
        "Fri, 15 Jan 27 08:07:30 GMT", "2027-01-15T08:07:30Z"}) {
    EXPECT_EQ(parse_retry_after(garbage, kNow), std::nullopt) << '"' << garbage << '"';
  }
}

TEST(RetryPolicy, BackoffDoublesFromTenSecondsToAnHourCap) {
  RetryOptions options;
  EXPECT_EQ(backoff_ceiling(options, 1), seconds{10});
  EXPECT_EQ(backoff_ceiling(options, 2), seconds{20});
  EXPECT_EQ(backoff_ceiling(options, 3), seconds{40});
  EXPECT_EQ(backoff_ceiling(options, 9), seconds{2560});
  EXPECT_EQ(backoff_ceiling(options, 10), hours{1});
  EXPECT_EQ(backoff_ceiling(options, 1000), hours{1});
}

TEST(RetryPolicy, FullJitterStaysWithinZeroAndTheCeilingAboveTheFloor) {
  RetryOptions options;
  EXPECT_EQ(backoff_delay(options, 3, fixed(0.0)), seconds{1});  // floor
  EXPECT_EQ(backoff_delay(options, 3, fixed(0.5)), seconds{20});
  EXPECT_GT(backoff_delay(options, 3, fixed(0.999999)), seconds{39});
  EXPECT_LT(backoff_delay(options, 3, fixed(0.999999)), seconds{40});
  EXPECT_LE(backoff_delay(options, 3, fixed(1.0)), seconds{40});
  EXPECT_EQ(backoff_delay(options, 50, fixed(0.5)), minutes{30});
  // A misbehaving source cannot push the wait out of bounds.
  EXPECT_EQ(backoff_delay(options, 3, fixed(7.0)), seconds{40});
  EXPECT_EQ(backoff_delay(options, 3, fixed(-1.0)), seconds{1});
}

TEST(RetryPolicy, RetryIsScheduledAfterJitteredBackoff) {
  RetryOptions options;
  auto d = decide(options, answer(503), 2, kNow, kNow, fixed(0.5));
  EXPECT_EQ(d.verdict, Verdict::retry);
  EXPECT_EQ(d.next_attempt_at, kNow + seconds{10});
  EXPECT_NE(d.reason.find("HTTP 503"), std::string::npos) << d.reason;
}

TEST(RetryPolicy, RetryAfterWinsOverBackoffAndIsCappedAtAnHour) {
  RetryOptions options;
  EXPECT_EQ(decide(options, answer(429, "120"), 1, kNow, kNow, fixed(0.0)).next_attempt_at,
            kNow + seconds{120});
  EXPECT_EQ(decide(options, answer(429, "Fri, 15 Jan 2027 08:07:30 GMT"), 1, kNow, kNow, fixed(0.0))
                .next_attempt_at,
            kNow + seconds{150});
  EXPECT_EQ(decide(options, answer(503, "86400"), 1, kNow, kNow, fixed(0.0)).next_attempt_at,
            kNow + hours{1});
  EXPECT_EQ(decide(options, answer(429, "0"), 1, kNow, kNow, fixed(0.0)).next_attempt_at,
            kNow + seconds{1});
  // Garbage falls back to backoff.
  EXPECT_EQ(decide(options, answer(429, "later"), 1, kNow, kNow, fixed(0.5)).next_attempt_at,
            kNow + seconds{5});
}

TEST(RetryPolicy, SuccessAndPermanentFailureAreFinal) {
  RetryOptions options;
  EXPECT_EQ(decide(options, answer(204), 1, kNow, kNow, fixed(0.5)).verdict, Verdict::sent);
  auto d = decide(options, answer(401), 1, kNow, kNow, fixed(0.5));
  EXPECT_EQ(d.verdict, Verdict::permanent);
  EXPECT_EQ(d.reason, "HTTP 401");
}

TEST(RetryPolicy, GivesUpAfterMaxAttempts) {
  RetryOptions options;
  options.max_attempts = 5;
  EXPECT_EQ(decide(options, answer(500), 4, kNow, kNow, fixed(0.5)).verdict, Verdict::retry);
  auto d = decide(options, answer(500), 5, kNow, kNow, fixed(0.5));
  EXPECT_EQ(d.verdict, Verdict::permanent);
  EXPECT_EQ(d.reason.rfind("gave up after 5 attempts", 0), 0u) << d.reason;
}

TEST(RetryPolicy, GivesUpWhenTheNextTryWouldBeLaterThanADayAfterTheFirst) {
  RetryOptions options;
  const TimePoint first = kNow - hours{23} - minutes{50};
  // Ten minutes left: a 5-minute wait is still inside the window, a 30-minute one is not.
  EXPECT_EQ(decide(options, answer(500), 30, first, kNow, fixed(300.0 / 3600)).verdict,
            Verdict::retry);
  auto d = decide(options, answer(500), 30, first, kNow, fixed(0.5));
  EXPECT_EQ(d.verdict, Verdict::permanent);
  EXPECT_NE(d.reason.find("over 23h50m"), std::string::npos) << d.reason;
}

}  // namespace
}  // namespace lk::alert::deliver
