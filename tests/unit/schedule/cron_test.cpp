#include "schedule/cron.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace std::chrono;
using namespace lk;
using namespace lk::schedule;

namespace {

CronSchedule cron(std::string_view expression, std::string_view zone = "UTC") {
  auto parsed = CronSchedule::parse(expression, zone);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << expression << ": " << *error;
    return std::get<CronSchedule>(CronSchedule::parse("* * * * *"));
  }
  return std::get<CronSchedule>(parsed);
}

std::string error_of(std::string_view expression, std::string_view zone = "UTC") {
  auto parsed = CronSchedule::parse(expression, zone);
  auto* error = std::get_if<std::string>(&parsed);
  return error ? *error : std::string("(parsed)");
}

TimePoint at(std::string_view rfc3339) {
  auto t = parse_time(rfc3339);
  EXPECT_TRUE(t) << rfc3339;
  return t.value_or(TimePoint{});
}

std::string next(const CronSchedule& c, std::string_view after) {
  auto t = c.next_after(at(after));
  return t ? format_time(*t) : "none";
}

std::string previous(const CronSchedule& c, std::string_view before) {
  auto t = c.previous_at_or_before(at(before));
  return t ? format_time(*t) : "none";
}

/// The next `n` fire times after `from`.
std::vector<std::string> fires(const CronSchedule& c, std::string_view from, int n) {
  std::vector<std::string> out;
  TimePoint t = at(from);
  for (int i = 0; i < n; ++i) {
    auto f = c.next_after(t);
    if (!f) break;
    out.push_back(format_time(*f));
    t = *f;
  }
  return out;
}

TEST(Cron, DailyAtThreeFiresAtThreeUtc) {
  auto c = cron("0 3 * * *");
  EXPECT_EQ(next(c, "2026-05-10T01:00:00Z"), "2026-05-10T03:00:00.000Z");
  EXPECT_EQ(next(c, "2026-05-10T03:00:00Z"), "2026-05-11T03:00:00.000Z");
  EXPECT_EQ(previous(c, "2026-05-10T03:00:00Z"), "2026-05-10T03:00:00.000Z");
  EXPECT_EQ(previous(c, "2026-05-10T02:59:59Z"), "2026-05-09T03:00:00.000Z");
}

TEST(Cron, ListsRangesAndStepsCombine) {
  auto c = cron("*/20 9-10,17 * * *");
  EXPECT_EQ(fires(c, "2026-05-10T08:59:00Z", 7),
            (std::vector<std::string>{"2026-05-10T09:00:00.000Z", "2026-05-10T09:20:00.000Z",
                                      "2026-05-10T09:40:00.000Z", "2026-05-10T10:00:00.000Z",
                                      "2026-05-10T10:20:00.000Z", "2026-05-10T10:40:00.000Z",
                                      "2026-05-10T17:00:00.000Z"}));
  EXPECT_EQ(next(cron("5/15 * * * *"), "2026-05-10T08:51:00Z"), "2026-05-10T09:05:00.000Z");
  EXPECT_EQ(next(cron("10-30/10 * * * *"), "2026-05-10T08:31:00Z"), "2026-05-10T09:10:00.000Z");
}

TEST(Cron, MonthAndWeekdayNamesAreCaseInsensitive) {
  // 2026-05-10 is a Sunday.
  auto c = cron("30 6 * * MON-fri");
  EXPECT_EQ(next(c, "2026-05-09T00:00:00Z"), "2026-05-11T06:30:00.000Z");
  EXPECT_EQ(next(cron("0 0 1 jun *"), "2026-05-10T00:00:00Z"), "2026-06-01T00:00:00.000Z");
  EXPECT_EQ(next(cron("0 12 * * 7"), "2026-05-10T13:00:00Z"), "2026-05-17T12:00:00.000Z");
}

TEST(Cron, RestrictedDayOfMonthAndWeekdayMatchEitherLikeVixieCron) {
  // The 13th or any Friday: 2026-05-13 is a Wednesday, 2026-05-15 a Friday.
  auto c = cron("0 0 13 * fri");
  EXPECT_EQ(fires(c, "2026-05-12T00:00:00Z", 2),
            (std::vector<std::string>{"2026-05-13T00:00:00.000Z", "2026-05-15T00:00:00.000Z"}));
  // A '*'-step day of month counts as unrestricted: both must match.
  EXPECT_EQ(next(cron("0 0 */2 * fri"), "2026-05-12T00:00:00Z"), "2026-05-15T00:00:00.000Z");
}

TEST(Cron, ShorthandsExpand) {
  EXPECT_EQ(next(cron("@hourly"), "2026-05-10T08:30:00Z"), "2026-05-10T09:00:00.000Z");
  EXPECT_EQ(next(cron("@daily"), "2026-05-10T08:30:00Z"), "2026-05-11T00:00:00.000Z");
  EXPECT_EQ(next(cron("@weekly"), "2026-05-10T08:30:00Z"), "2026-05-17T00:00:00.000Z");
  EXPECT_EQ(next(cron("@monthly"), "2026-05-10T08:30:00Z"), "2026-06-01T00:00:00.000Z");
  EXPECT_EQ(next(cron("@yearly"), "2026-05-10T08:30:00Z"), "2027-01-01T00:00:00.000Z");
}

TEST(Cron, LeapDayIsFoundYearsAhead) {
  EXPECT_EQ(next(cron("0 0 29 2 *"), "2025-03-01T00:00:00Z"), "2028-02-29T00:00:00.000Z");
  EXPECT_EQ(previous(cron("0 0 29 2 *"), "2027-03-01T00:00:00Z"), "2024-02-29T00:00:00.000Z");
}

TEST(Cron, FollowsTheTimeZone) {
  // 03:00 in New York is 07:00Z in summer (EDT) and 08:00Z in winter (EST).
  auto c = cron("0 3 * * *", "America/New_York");
  EXPECT_EQ(next(c, "2026-07-01T00:00:00Z"), "2026-07-01T07:00:00.000Z");
  EXPECT_EQ(next(c, "2026-01-10T00:00:00Z"), "2026-01-10T08:00:00.000Z");
}

TEST(Cron, FixedTimeInTheSpringForwardGapRunsOnceWhenTheGapEnds) {
  // Europe/London 2026-03-29: 01:00 GMT jumps to 02:00 BST; 01:30 local does not exist.
  auto london = cron("30 1 * * *", "Europe/London");
  EXPECT_EQ(fires(london, "2026-03-28T00:00:00Z", 3),
            (std::vector<std::string>{"2026-03-28T01:30:00.000Z", "2026-03-29T01:00:00.000Z",
                                      "2026-03-30T00:30:00.000Z"}));
  // America/New_York 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 runs at 03:00 EDT.
  auto ny = cron("30 2 * * *", "America/New_York");
  EXPECT_EQ(fires(ny, "2026-03-07T00:00:00Z", 3),
            (std::vector<std::string>{"2026-03-07T07:30:00.000Z", "2026-03-08T07:00:00.000Z",
                                      "2026-03-09T06:30:00.000Z"}));
  EXPECT_EQ(previous(ny, "2026-03-08T08:00:00Z"), "2026-03-08T07:00:00.000Z");
}

TEST(Cron, FixedTimeInTheFallBackOverlapRunsOnce) {
  // America/New_York 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
  auto ny = cron("30 1 * * *", "America/New_York");
  EXPECT_EQ(fires(ny, "2026-10-31T12:00:00Z", 2),
            (std::vector<std::string>{"2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"}));
  // Europe/London 2026-10-25: 02:00 BST falls back to 01:00 GMT.
  auto london = cron("30 1 * * *", "Europe/London");
  EXPECT_EQ(fires(london, "2026-10-24T12:00:00Z", 2),
            (std::vector<std::string>{"2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"}));
}

TEST(Cron, WildcardJobsFollowTheWallClockThroughDstChanges) {
  // Every 30 minutes in London across the spring-forward gap: 01:00 and 01:30 local do not
  // exist, so the runs stay 30 real minutes apart.
  auto spring = cron("*/30 * * * *", "Europe/London");
  EXPECT_EQ(fires(spring, "2026-03-29T00:00:00Z", 3),
            (std::vector<std::string>{"2026-03-29T00:30:00.000Z", "2026-03-29T01:00:00.000Z",
                                      "2026-03-29T01:30:00.000Z"}));
  // On fall-back the repeated hour runs twice, again 30 real minutes apart.
  auto autumn = cron("*/30 * * * *", "Europe/London");
  EXPECT_EQ(fires(autumn, "2026-10-24T23:45:00Z", 4),
            (std::vector<std::string>{"2026-10-25T00:00:00.000Z", "2026-10-25T00:30:00.000Z",
                                      "2026-10-25T01:00:00.000Z", "2026-10-25T01:30:00.000Z"}));
  // An hourly job on the New York spring-forward day skips the missing 02:30.
  auto hourly = cron("30 * * * *", "America/New_York");
  EXPECT_EQ(fires(hourly, "2026-03-08T06:00:00Z", 2),
            (std::vector<std::string>{"2026-03-08T06:30:00.000Z", "2026-03-08T07:30:00.000Z"}));
}

TEST(Cron, ErrorsNameTheFieldAndTheProblem) {
  EXPECT_EQ(error_of("0 3 * *"),
            "expected 5 fields (minute hour day-of-month month day-of-week) or a shorthand such "
            "as @daily, got 4 field(s)");
  EXPECT_EQ(error_of("61 3 * * *"), "minute field \"61\": 61 is not in 0-59");
  EXPECT_EQ(error_of("0 3 * foo *"), "month field \"foo\": \"foo\" is not a number or a name");
  EXPECT_EQ(error_of("0 5-3 * * *"), "hour field \"5-3\": range 5-3 ends before it starts");
  EXPECT_EQ(error_of("*/0 * * * *"),
            "minute field \"*/0\": step \"0\" must be a number from 1 to 60");
  EXPECT_EQ(error_of("0 0 1,,2 * *"), "day-of-month field \"1,,2\": empty list item");
  EXPECT_EQ(error_of("@reboot"),
            "unknown shorthand \"@reboot\"; use @hourly, @daily, @weekly, @monthly or @yearly");
  EXPECT_EQ(error_of("0 0 30 2 *"), "\"0 0 30 2 *\" never fires (no such day, e.g. 30 February)");
  EXPECT_EQ(error_of("0 3 * * *", "Mars/Olympus"),
            "unknown time zone \"Mars/Olympus\"; use an IANA name such as UTC, Europe/London or "
            "America/New_York");
}

}  // namespace
