// What a window says about itself: describe() for people, problems() for the config loader.

#include <gtest/gtest.h>

#include "support.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::alert::maintenance;
using namespace lk::alert::maintenance::testing;

namespace {

struct DescribeCase {
  std::string_view rule;
  std::string zone;
  year_month_day start;
  minutes time;
  Duration duration;
  std::string text;
};

TEST(DescribeWindow, RecurringWindowsReadAsEnglish) {
  const std::vector<DescribeCase> cases = {
      {"FREQ=MONTHLY;BYDAY=2TU", "Europe/London", 2027y / 1 / 1, 2h, 2h,
       "every month on the 2nd Tuesday, 02:00–04:00 Europe/London"},
      {"FREQ=WEEKLY;BYDAY=SU", "America/New_York", 2027y / 1 / 1, 1h, 3h,
       "every Sunday, 01:00–04:00 America/New_York"},
      {"FREQ=DAILY", "UTC", 2027y / 1 / 1, 3h, 30min, "every day, 03:00–03:30 UTC"},
      {"FREQ=DAILY;INTERVAL=3", "UTC", 2027y / 1 / 1, 3h, 30min,
       "every 3 days, 03:00–03:30 UTC, from 2027-01-01"},
      {"FREQ=MONTHLY;BYDAY=-1FR", "UTC", 2027y / 1 / 1, 18h, 1h,
       "every month on the last Friday, 18:00–19:00 UTC"},
      {"FREQ=MONTHLY;BYDAY=-2FR,1MO", "UTC", 2027y / 1 / 1, 18h, 1h,
       "every month on the 2nd-to-last Friday and the 1st Monday, 18:00–19:00 UTC"},
      {"FREQ=MONTHLY;BYMONTHDAY=1,15", "UTC", 2027y / 1 / 1, 3h, 1h,
       "every month on the 1st and 15th, 03:00–04:00 UTC"},
      {"FREQ=MONTHLY;BYMONTHDAY=-1", "UTC", 2027y / 1 / 1, 22h, 1h,
       "every month on the last day, 22:00–23:00 UTC"},
      {"FREQ=MONTHLY;BYMONTHDAY=2,22,-2", "UTC", 2027y / 1 / 1, 22h, 1h,
       "every month on the 2nd, 22nd and 2nd-to-last day, 22:00–23:00 UTC"},
      {"FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR", "UTC", 2027y / 1 / 1, 13h, 1h,
       "every month on the 13th when it is a Friday, 13:00–14:00 UTC"},
      {"FREQ=MONTHLY;INTERVAL=2", "UTC", 2027y / 1 / 31, 3h, 1h,
       "every 2 months on the 31st, 03:00–04:00 UTC, from 2027-01-31"},
      {"FREQ=MONTHLY;BYDAY=MO", "UTC", 2027y / 1 / 1, 3h, 1h,
       "every month on every Monday, 03:00–04:00 UTC"},
      {"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", "UTC", 2027y / 1 / 6, 4h, 30min,
       "every 2 weeks on Monday and Wednesday, 04:00–04:30 UTC, from 2027-01-06"},
      {"FREQ=WEEKLY", "UTC", 2027y / 1 / 6, 4h, 1h, "every Wednesday, 04:00–05:00 UTC"},
      {"FREQ=WEEKLY;BYDAY=FR", "UTC", 2027y / 1 / 1, 22h, 4h, "every Friday, 22:00–02:00 UTC"},
      {"FREQ=MONTHLY;BYDAY=-1FR", "UTC", 2027y / 1 / 1, 18h, 60h,
       "every month on the last Friday, 18:00 for 2d12h UTC"},
      {"FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYMONTH=12", "UTC", 2027y / 1 / 1, 3h, 1h,
       "every day on Monday, Tuesday, Wednesday, Thursday and Friday in December, 03:00–04:00 "
       "UTC"},
      {"FREQ=DAILY;BYMONTHDAY=1,-1", "UTC", 2027y / 1 / 1, 3h, 1h,
       "every day on the 1st and last day, 03:00–04:00 UTC"},
      {"FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1;COUNT=3", "UTC", 2027y / 1 / 1, 0h, 6h,
       "every year in January and July on the 1st, 00:00–06:00 UTC, 3 times from 2027-01-01"},
      {"FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "UTC", 2027y / 1 / 1, 2h, 1h,
       "every year in March on the 2nd Sunday, 02:00–03:00 UTC"},
      {"FREQ=YEARLY;BYDAY=20MO", "UTC", 1997y / 5 / 19, 9h, 1h,
       "every year on the 20th Monday of the year, 09:00–10:00 UTC"},
      {"FREQ=YEARLY;BYMONTHDAY=1", "UTC", 2027y / 1 / 1, 9h, 1h,
       "every year on the 1st of every month, 09:00–10:00 UTC"},
      {"FREQ=YEARLY", "UTC", 2028y / 2 / 29, 1h, 1h,
       "every year in February on the 29th, 01:00–02:00 UTC"},
      {"FREQ=DAILY;COUNT=1", "UTC", 2027y / 1 / 1, 1h, 1h,
       "every day, 01:00–02:00 UTC, once from 2027-01-01"},
      {"FREQ=WEEKLY;BYDAY=SU;UNTIL=20270124", "America/New_York", 2027y / 1 / 1, 23h, 1h,
       "every Sunday, 23:00–00:00 America/New_York, until 2027-01-24"},
      {"FREQ=DAILY;UNTIL=20270103T020000Z", "UTC", 2027y / 1 / 1, 2h, 1h,
       "every day, 02:00–03:00 UTC, until 2027-01-03 02:00 UTC"},
      {"FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630", "UTC", 2027y / 1 / 4, 2h, 1h,
       "every 2 weeks on Monday, 02:00–03:00 UTC, from 2027-01-04 until 2027-06-30"},
  };
  for (const DescribeCase& c : cases)
    EXPECT_EQ(describe(recurring(c.rule, c.zone, c.start, c.time, c.duration)), c.text) << c.rule;
}

TEST(DescribeWindow, OneOffWindowsShowTheirLocalTimes) {
  Window w;
  w.from = at("2026-12-24T22:00:00Z");
  w.to = at("2026-12-25T02:00:00Z");
  EXPECT_EQ(describe(w), "once, 2026-12-24 22:00 to 2026-12-25 02:00 UTC");
  w.zone = "Europe/Berlin";
  EXPECT_EQ(describe(w), "once, 2026-12-24 23:00 to 2026-12-25 03:00 Europe/Berlin");
  w.zone = "UTC";
  w.to = at("2026-12-24T23:30:00Z");
  EXPECT_EQ(describe(w), "once, 2026-12-24 22:00–23:30 UTC");
}

TEST(DescribeWindow, CronWindowsShowTheExpression) {
  Window w;
  w.cron = "30 1 * * 0";
  w.zone = "Europe/London";
  w.duration = 90min;
  EXPECT_EQ(describe(w), "when cron \"30 1 * * 0\" fires in Europe/London, for 1h30m");
}

TEST(WindowProblems, AUsableWindowHasNone) {
  EXPECT_EQ(problems(recurring("FREQ=MONTHLY;BYDAY=2TU", "Europe/London", 2027y / 1 / 1, 2h, 2h)),
            std::vector<std::string>{});
}

TEST(WindowProblems, AWindowMustBeOneOffOrRecurring) {
  EXPECT_EQ(
      problems(Window{}),
      (std::vector<std::string>{"neither one-off (from and to) nor recurring (rule or cron)"}));
  Window both;
  both.from = at("2027-01-01T00:00:00Z");
  both.to = at("2027-01-01T01:00:00Z");
  both.rule = rrule("FREQ=DAILY");
  both.start_date = 2027y / 1 / 1;
  both.duration = 1h;
  EXPECT_EQ(problems(both), (std::vector<std::string>{
                                "both one-off (from, to) and recurring (rule or cron); use one",
                                "a one-off window ends at `to`; leave duration unset",
                            }));
}

TEST(WindowProblems, OneOffWindowsNeedBothEndsInOrder) {
  Window w;
  w.from = at("2027-01-01T00:00:00Z");
  EXPECT_EQ(problems(w), (std::vector<std::string>{"a one-off window needs both from and to"}));
  w.to = w.from;
  EXPECT_EQ(problems(w), (std::vector<std::string>{"a one-off window must end after it starts"}));
  EXPECT_EQ(active(w, "2027-01-01T00:00:00Z"), "none");
  w.zone = "Mars/Olympus";
  w.to = at("2027-01-01T01:00:00Z");
  EXPECT_EQ(problems(w), (std::vector<std::string>{
                             "unknown time zone \"Mars/Olympus\"; use an IANA name such as UTC, "
                             "Europe/London or America/New_York"}));
}

TEST(WindowProblems, RecurringWindowsNameEveryMistake) {
  Window w;
  w.rule = rrule("FREQ=DAILY");
  w.cron = "0 2 * * *";
  w.zone = "Mars/Olympus";
  w.start_date = 2027y / 2 / 30;
  w.start_time = 25h;
  EXPECT_EQ(problems(w), (std::vector<std::string>{
                             "unknown time zone \"Mars/Olympus\"; use an IANA name such as UTC, "
                             "Europe/London or America/New_York",
                             "both rule and cron; use one",
                             "duration must be positive",
                             "invalid start date",
                             "start time must be within the day (00:00 to 23:59)",
                             "start time is not used with cron; put the time in the expression",
                         }));
  // Nothing is active, and nothing throws, on a window with problems.
  EXPECT_EQ(active(w, "2027-03-01T02:00:00Z"), "none");
  EXPECT_EQ(next(w, "2027-03-01T02:00:00Z"), "none");
}

TEST(WindowProblems, ARuleNeedsAStartDate) {
  Window w;
  w.rule = rrule("FREQ=MONTHLY;BYDAY=2TU");
  w.duration = 2h;
  EXPECT_EQ(problems(w), (std::vector<std::string>{
                             "a rule needs a start date (the local date its occurrences count "
                             "from)"}));
  EXPECT_EQ(next(w, "2027-01-01T00:00:00Z"), "none");
}

TEST(WindowProblems, ABadCronOrRuleIsReportedWithItsOwnMessage) {
  Window cron;
  cron.cron = "0 2 * *";
  cron.start_date = 2027y / 1 / 1;
  cron.duration = 1h;
  EXPECT_EQ(problems(cron), (std::vector<std::string>{
                                "cron: expected 5 fields (minute hour day-of-month month "
                                "day-of-week) or a shorthand such as @daily, got 4 field(s)"}));
  Window rule;
  rule.rule = Recurrence{};
  rule.rule->interval = 0;
  rule.start_date = 2027y / 1 / 1;
  rule.duration = 1h;
  EXPECT_EQ(problems(rule), (std::vector<std::string>{"rule: INTERVAL must be 1 or more"}));
  EXPECT_EQ(next(rule, "2027-01-01T00:00:00Z"), "none");
}

TEST(WindowProblems, ARuleThatNeverOccursIsAProblem) {
  Window w;
  w.rule = rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30");
  w.start_date = 2027y / 1 / 1;
  w.duration = 1h;
  EXPECT_EQ(problems(w),
            (std::vector<std::string>{"rule: no occurrence within 8 years of the start date"}));
  w.rule = rrule("FREQ=DAILY;UNTIL=20261231");
  EXPECT_EQ(problems(w),
            (std::vector<std::string>{"rule: no occurrence within 8 years of the start date"}));
  w.rule = rrule("FREQ=DAILY;UNTIL=20270101T000000Z");
  w.start_time = 1h;
  EXPECT_EQ(problems(w),
            (std::vector<std::string>{"rule: no occurrence within 8 years of the start date"}));
}

}  // namespace
