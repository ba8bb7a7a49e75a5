// Recurring windows on RRULEs: which instants they cover, in local time across DST changes,
// over midnight, bounded by COUNT and UNTIL. All on fixed instants; the clock is never read.

#include <gtest/gtest.h>

#include "support.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::alert::maintenance;
using namespace lk::alert::maintenance::testing;

namespace {

// Europe/London is on GMT (UTC+0) until 2027-03-28 01:00 UTC and from 2027-10-31 01:00 UTC, and
// on BST (UTC+1) in between.
Window patch_tuesday() {
  return recurring("FREQ=MONTHLY;BYDAY=2TU", "Europe/London", 2027y / 1 / 1, 2h, 2h);
}

TEST(RecurringWindow, SecondTuesdayInLondonIsTwoAmLocalInWinterAndSummer) {
  const Window w = patch_tuesday();
  EXPECT_EQ(next(w, "2027-03-01T00:00:00Z"), "2027-03-09T02:00:00Z/2027-03-09T04:00:00Z");  // GMT
  EXPECT_EQ(next(w, "2027-03-09T02:00:00Z"), "2027-04-13T01:00:00Z/2027-04-13T03:00:00Z");  // BST
  EXPECT_EQ(next(w, "2027-10-01T00:00:00Z"), "2027-10-12T01:00:00Z/2027-10-12T03:00:00Z");  // BST
  EXPECT_EQ(next(w, "2027-10-12T01:00:00Z"), "2027-11-09T02:00:00Z/2027-11-09T04:00:00Z");  // GMT
}

TEST(RecurringWindow, IsActiveFromItsStartInclusiveToItsEndExclusive) {
  const Window w = patch_tuesday();
  EXPECT_EQ(active(w, "2027-04-13T00:59:59Z"), "none");
  EXPECT_EQ(active(w, "2027-04-13T01:00:00Z"), "2027-04-13T01:00:00Z/2027-04-13T03:00:00Z");
  EXPECT_EQ(active(w, "2027-04-13T02:59:59Z"), "2027-04-13T01:00:00Z/2027-04-13T03:00:00Z");
  EXPECT_EQ(active(w, "2027-04-13T03:00:00Z"), "none");
  EXPECT_EQ(active(w, "2027-04-14T01:30:00Z"), "none");  // same time, the wrong day
  EXPECT_EQ(active(w, "2027-03-09T03:30:00Z"), "2027-03-09T02:00:00Z/2027-03-09T04:00:00Z");
}

TEST(RecurringWindow, ASecondTuesdayYearHasExactlyTwelveWindowsOnTheRightDates) {
  EXPECT_EQ(between(patch_tuesday(), "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"),
            (std::vector<std::string>{
                "2027-01-12T02:00:00Z/2027-01-12T04:00:00Z",
                "2027-02-09T02:00:00Z/2027-02-09T04:00:00Z",
                "2027-03-09T02:00:00Z/2027-03-09T04:00:00Z",
                "2027-04-13T01:00:00Z/2027-04-13T03:00:00Z",
                "2027-05-11T01:00:00Z/2027-05-11T03:00:00Z",
                "2027-06-08T01:00:00Z/2027-06-08T03:00:00Z",
                "2027-07-13T01:00:00Z/2027-07-13T03:00:00Z",
                "2027-08-10T01:00:00Z/2027-08-10T03:00:00Z",
                "2027-09-14T01:00:00Z/2027-09-14T03:00:00Z",
                "2027-10-12T01:00:00Z/2027-10-12T03:00:00Z",
                "2027-11-09T02:00:00Z/2027-11-09T04:00:00Z",
                "2027-12-14T02:00:00Z/2027-12-14T04:00:00Z",
            }));
}

TEST(RecurringWindow, OccurrencesIncludeOnesThatOverlapTheRangeEdgesAndStopAtTheLimit) {
  const Window w = patch_tuesday();
  // The range starts and ends inside occurrences: both count, as they overlap it.
  EXPECT_EQ(between(w, "2027-01-12T03:00:00Z", "2027-02-09T02:30:00Z"),
            (std::vector<std::string>{"2027-01-12T02:00:00Z/2027-01-12T04:00:00Z",
                                      "2027-02-09T02:00:00Z/2027-02-09T04:00:00Z"}));
  // Touching is not overlapping: [from, to) is half-open, and so are occurrences.
  EXPECT_EQ(between(w, "2027-01-12T04:00:00Z", "2027-02-09T02:00:00Z"), std::vector<std::string>{});
  EXPECT_EQ(spans(occurrences(w, at("2027-01-01T00:00:00Z"), at("2028-01-01T00:00:00Z"), 2)),
            (std::vector<std::string>{"2027-01-12T02:00:00Z/2027-01-12T04:00:00Z",
                                      "2027-02-09T02:00:00Z/2027-02-09T04:00:00Z"}));
  EXPECT_EQ(occurrences(w, at("2027-01-01T00:00:00Z"), at("2028-01-01T00:00:00Z"), 0).size(), 0u);
}

TEST(RecurringWindow, NothingHappensBeforeTheStartDate) {
  const Window w = recurring("FREQ=MONTHLY;BYDAY=2TU", "Europe/London", 2027y / 3 / 10, 2h, 2h);
  EXPECT_EQ(active(w, "2027-03-09T02:30:00Z"), "none");
  EXPECT_EQ(next(w, "2020-01-01T00:00:00Z"), "2027-04-13T01:00:00Z/2027-04-13T03:00:00Z");
}

TEST(RecurringWindow, LastFridayOfTheMonthIncludingMonthsWithFiveFridays) {
  // January 2027 has five Fridays (1, 8, 15, 22, 29); April 2027 too (2 ... 30).
  const Window w = recurring("FREQ=MONTHLY;BYDAY=-1FR", "UTC", 2027y / 1 / 1, 18h, 1h);
  EXPECT_EQ(starts(w, "2027-01-01T00:00:00Z", "2027-06-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-29T18:00:00Z", "2027-02-26T18:00:00Z",
                                      "2027-03-26T18:00:00Z", "2027-04-30T18:00:00Z",
                                      "2027-05-28T18:00:00Z"}));
}

TEST(RecurringWindow, FifthFridaySkipsMonthsThatHaveFour) {
  const Window w = recurring("FREQ=MONTHLY;BYDAY=5FR", "UTC", 2027y / 1 / 1, 18h, 1h);
  EXPECT_EQ(starts(w, "2027-01-01T00:00:00Z", "2027-08-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-29T18:00:00Z", "2027-04-30T18:00:00Z",
                                      "2027-07-30T18:00:00Z"}));
}

TEST(RecurringWindow, FirstAndFifteenthOfEachMonth) {
  const Window w = recurring("FREQ=MONTHLY;BYMONTHDAY=1,15", "UTC", 2027y / 1 / 1, 3h, 1h);
  EXPECT_EQ(starts(w, "2027-01-01T00:00:00Z", "2027-03-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-01T03:00:00Z", "2027-01-15T03:00:00Z",
                                      "2027-02-01T03:00:00Z", "2027-02-15T03:00:00Z"}));
}

TEST(RecurringWindow, LastDayOfTheMonthFollowsTheMonthsLengthAndLeapYears) {
  const Window w = recurring("FREQ=MONTHLY;BYMONTHDAY=-1", "UTC", 2027y / 1 / 1, 22h, 1h);
  EXPECT_EQ(starts(w, "2027-01-01T00:00:00Z", "2027-05-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-31T22:00:00Z", "2027-02-28T22:00:00Z",
                                      "2027-03-31T22:00:00Z", "2027-04-30T22:00:00Z"}));
  EXPECT_EQ(next(w, "2028-02-01T00:00:00Z"), "2028-02-29T22:00:00Z/2028-02-29T23:00:00Z");
}

TEST(RecurringWindow, TheThirtyFirstSkipsShorterMonthsRatherThanMovingToTheirLastDay) {
  const Window w = recurring("FREQ=MONTHLY", "UTC", 2027y / 1 / 31, 3h, 1h);
  EXPECT_EQ(starts(w, "2027-01-01T00:00:00Z", "2027-06-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-31T03:00:00Z", "2027-03-31T03:00:00Z",
                                      "2027-05-31T03:00:00Z"}));
}

TEST(RecurringWindow, EveryOtherWeekOnMondayAndWednesdayCountsWeeksFromTheStart) {
  // 2027-01-06 is a Wednesday; its week (from Monday 4 January) is the first. The Monday before
  // the start date does not count.
  const Window w = recurring("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", "UTC", 2027y / 1 / 6, 4h, 30min);
  EXPECT_EQ(starts(w, "2027-01-01T00:00:00Z", "2027-02-05T00:00:00Z"),
            (std::vector<std::string>{"2027-01-06T04:00:00Z", "2027-01-18T04:00:00Z",
                                      "2027-01-20T04:00:00Z", "2027-02-01T04:00:00Z",
                                      "2027-02-03T04:00:00Z"}));
  // Asked about far from the start date, it jumps there and keeps the same fortnights.
  EXPECT_EQ(next(w, "2030-01-01T00:00:00Z"), "2030-01-02T04:00:00Z/2030-01-02T04:30:00Z");
  EXPECT_EQ(active(w, "2030-01-07T04:10:00Z"), "none");  // the off week
}

TEST(RecurringWindow, WeekStartDecidesWhichWeeksAnIntervalKeeps) {
  // RFC 5545's own example (section 3.8.5.3): DTSTART 1997-08-05, a Tuesday.
  const Window monday_weeks =
      recurring("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", "UTC", 1997y / 8 / 5, 9h, 1h);
  EXPECT_EQ(starts(monday_weeks, "1997-08-01T00:00:00Z", "1998-01-01T00:00:00Z"),
            (std::vector<std::string>{"1997-08-05T09:00:00Z", "1997-08-10T09:00:00Z",
                                      "1997-08-19T09:00:00Z", "1997-08-24T09:00:00Z"}));
  const Window sunday_weeks =
      recurring("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", "UTC", 1997y / 8 / 5, 9h, 1h);
  EXPECT_EQ(starts(sunday_weeks, "1997-08-01T00:00:00Z", "1998-01-01T00:00:00Z"),
            (std::vector<std::string>{"1997-08-05T09:00:00Z", "1997-08-17T09:00:00Z",
                                      "1997-08-19T09:00:00Z", "1997-08-31T09:00:00Z"}));
}

TEST(RecurringWindow, WeeklyWithoutBydayRepeatsOnTheStartDatesWeekday) {
  const Window w = recurring("FREQ=WEEKLY", "UTC", 2027y / 1 / 6, 4h, 1h);
  EXPECT_EQ(starts(w, "2027-01-01T00:00:00Z", "2027-01-21T00:00:00Z"),
            (std::vector<std::string>{"2027-01-06T04:00:00Z", "2027-01-13T04:00:00Z",
                                      "2027-01-20T04:00:00Z"}));
}

TEST(RecurringWindow, DailyHalfHourStaysAtThreeLocalAcrossTheMarchChange) {
  const Window w = recurring("FREQ=DAILY", "Europe/London", 2027y / 3 / 26, 3h, 30min);
  EXPECT_EQ(between(w, "2027-03-26T00:00:00Z", "2027-03-30T00:00:00Z"),
            (std::vector<std::string>{"2027-03-26T03:00:00Z/2027-03-26T03:30:00Z",
                                      "2027-03-27T03:00:00Z/2027-03-27T03:30:00Z",
                                      "2027-03-28T02:00:00Z/2027-03-28T02:30:00Z",
                                      "2027-03-29T02:00:00Z/2027-03-29T02:30:00Z"}));
}

TEST(RecurringWindow, DailyWithBydayAndBymonthOnlyFilters) {
  const Window w =
      recurring("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYMONTH=12", "UTC", 2027y / 1 / 1, 3h, 1h);
  EXPECT_EQ(next(w, "2027-01-01T00:00:00Z"), "2027-12-01T03:00:00Z/2027-12-01T04:00:00Z");
  EXPECT_EQ(next(w, "2027-12-03T03:00:00Z"), "2027-12-06T03:00:00Z/2027-12-06T04:00:00Z");  // Mon
}

TEST(RecurringWindow, YearlyInTheGivenMonthsWithCount) {
  const Window w =
      recurring("FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1;COUNT=3", "UTC", 2027y / 1 / 1, 0h, 6h);
  EXPECT_EQ(starts(w, "2020-01-01T00:00:00Z", "2035-01-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-01T00:00:00Z", "2027-07-01T00:00:00Z",
                                      "2028-01-01T00:00:00Z"}));
  EXPECT_EQ(active(w, "2028-01-01T05:59:59Z"), "2028-01-01T00:00:00Z/2028-01-01T06:00:00Z");
  EXPECT_EQ(active(w, "2028-07-01T01:00:00Z"), "none");  // the fourth would be here
  EXPECT_EQ(next(w, "2028-01-01T00:00:00Z"), "none");
}

TEST(RecurringWindow, YearlyNthWeekdayOfAMonthAndOfTheYear) {
  // The second Sunday of March: 2027-03-14, 2028-03-12.
  const Window march = recurring("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "UTC", 2027y / 1 / 1, 2h, 1h);
  EXPECT_EQ(starts(march, "2027-01-01T00:00:00Z", "2029-01-01T00:00:00Z"),
            (std::vector<std::string>{"2027-03-14T02:00:00Z", "2028-03-12T02:00:00Z"}));
  // RFC 5545: FREQ=YEARLY;BYDAY=20MO from 1997-05-19 is the 20th Monday of each year.
  const Window twentieth = recurring("FREQ=YEARLY;BYDAY=20MO", "UTC", 1997y / 5 / 19, 9h, 1h);
  EXPECT_EQ(starts(twentieth, "1997-01-01T00:00:00Z", "2000-01-01T00:00:00Z"),
            (std::vector<std::string>{"1997-05-19T09:00:00Z", "1998-05-18T09:00:00Z",
                                      "1999-05-17T09:00:00Z"}));
}

TEST(RecurringWindow, YearlyOnTheLeapDayOccursOnlyInLeapYears) {
  const Window w = recurring("FREQ=YEARLY", "UTC", 2028y / 2 / 29, 1h, 1h);
  EXPECT_EQ(next(w, "2028-03-01T00:00:00Z"), "2032-02-29T01:00:00Z/2032-02-29T02:00:00Z");
}

TEST(RecurringWindow, NextAfterLooksFiveYearsPastTheQueryOrTheStartDate) {
  const Window w = recurring("FREQ=YEARLY;INTERVAL=8", "UTC", 2027y / 6 / 1, 1h, 1h);
  EXPECT_EQ(next(w, "2020-01-01T00:00:00Z"), "2027-06-01T01:00:00Z/2027-06-01T02:00:00Z");
  EXPECT_EQ(next(w, "2027-06-02T00:00:00Z"), "none");  // 2035 is more than five years away
  EXPECT_EQ(next(w, "2031-01-01T00:00:00Z"), "2035-06-01T01:00:00Z/2035-06-01T02:00:00Z");
}

TEST(RecurringWindow, CountStartsAtTheStartDateNotAtTheQuery) {
  // The start date is after January's second Tuesday, so the two are February and March.
  const Window w =
      recurring("FREQ=MONTHLY;BYDAY=2TU;COUNT=2", "Europe/London", 2027y / 1 / 13, 2h, 2h);
  EXPECT_EQ(starts(w, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"),
            (std::vector<std::string>{"2027-02-09T02:00:00Z", "2027-03-09T02:00:00Z"}));
  EXPECT_EQ(next(w, "2027-03-01T00:00:00Z"), "2027-03-09T02:00:00Z/2027-03-09T04:00:00Z");
  EXPECT_EQ(next(w, "2027-03-09T02:00:00Z"), "none");
}

TEST(RecurringWindow, DailyCountEndsAfterTheLastOccurrence) {
  const Window w = recurring("FREQ=DAILY;COUNT=3", "UTC", 2027y / 1 / 1, 23h, 2h);
  EXPECT_EQ(active(w, "2027-01-04T00:30:00Z"), "2027-01-03T23:00:00Z/2027-01-04T01:00:00Z");
  EXPECT_EQ(active(w, "2027-01-04T23:30:00Z"), "none");
  EXPECT_EQ(next(w, "2027-01-03T23:00:00Z"), "none");
}

TEST(RecurringWindow, UntilADateIncludesThatLocalDate) {
  const Window w =
      recurring("FREQ=WEEKLY;BYDAY=SU;UNTIL=20270124", "America/New_York", 2027y / 1 / 1, 23h, 1h);
  // 23:00 EST on Sunday the 24th is 04:00 UTC on the 25th: still the 24th locally.
  EXPECT_EQ(starts(w, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-04T04:00:00Z", "2027-01-11T04:00:00Z",
                                      "2027-01-18T04:00:00Z", "2027-01-25T04:00:00Z"}));
}

TEST(RecurringWindow, UntilAUtcTimeIsTheLastInstantAnOccurrenceMayStart) {
  const Window inclusive =
      recurring("FREQ=DAILY;UNTIL=20270103T020000Z", "UTC", 2027y / 1 / 1, 2h, 1h);
  EXPECT_EQ(starts(inclusive, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-01T02:00:00Z", "2027-01-02T02:00:00Z",
                                      "2027-01-03T02:00:00Z"}));
  const Window before =
      recurring("FREQ=DAILY;UNTIL=20270103T015959Z", "UTC", 2027y / 1 / 1, 2h, 1h);
  EXPECT_EQ(starts(before, "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-01T02:00:00Z", "2027-01-02T02:00:00Z"}));
  EXPECT_EQ(next(before, "2027-01-02T02:00:00Z"), "none");
}

TEST(RecurringWindow, AStartInsideTheSpringForwardGapStartsWhenTheGapEnds) {
  // London skips 01:00-02:00 local on 2027-03-28: 01:30 that day is 02:00 BST (01:00 UTC).
  const Window london = recurring("FREQ=DAILY", "Europe/London", 2027y / 3 / 27, 90min, 1h);
  EXPECT_EQ(between(london, "2027-03-27T00:00:00Z", "2027-03-30T00:00:00Z"),
            (std::vector<std::string>{"2027-03-27T01:30:00Z/2027-03-27T02:30:00Z",
                                      "2027-03-28T01:00:00Z/2027-03-28T02:00:00Z",
                                      "2027-03-29T00:30:00Z/2027-03-29T01:30:00Z"}));
  // New York skips 02:00-03:00 on 2027-03-14: 02:30 that day is 03:00 EDT (07:00 UTC).
  const Window new_york =
      recurring("FREQ=WEEKLY;BYDAY=SU", "America/New_York", 2027y / 3 / 1, 150min, 1h);
  EXPECT_EQ(next(new_york, "2027-03-13T00:00:00Z"), "2027-03-14T07:00:00Z/2027-03-14T08:00:00Z");
}

TEST(RecurringWindow, DurationIsElapsedTimeAcrossTheSpringForwardNight) {
  // Every Sunday 01:00 for 3h in New York. On 2027-03-14 the clocks skip an hour at 02:00, so
  // the wall clock shows 01:00 EST to 05:00 EDT; the window is still 3 hours long.
  const Window w = recurring("FREQ=WEEKLY;BYDAY=SU", "America/New_York", 2027y / 3 / 1, 1h, 3h);
  EXPECT_EQ(between(w, "2027-03-07T00:00:00Z", "2027-03-22T00:00:00Z"),
            (std::vector<std::string>{"2027-03-07T06:00:00Z/2027-03-07T09:00:00Z",
                                      "2027-03-14T06:00:00Z/2027-03-14T09:00:00Z",
                                      "2027-03-21T05:00:00Z/2027-03-21T08:00:00Z"}));
}

TEST(RecurringWindow, AStartInTheRepeatedFallBackHourIsTheFirstOfTheTwo) {
  // 01:00-02:00 happens twice in New York on 2027-11-07 (EDT, then EST).
  const Window w = recurring("FREQ=WEEKLY;BYDAY=SU", "America/New_York", 2027y / 10 / 1, 90min, 1h);
  EXPECT_EQ(between(w, "2027-10-31T00:00:00Z", "2027-11-15T00:00:00Z"),
            (std::vector<std::string>{"2027-10-31T05:30:00Z/2027-10-31T06:30:00Z",
                                      "2027-11-07T05:30:00Z/2027-11-07T06:30:00Z",
                                      "2027-11-14T06:30:00Z/2027-11-14T07:30:00Z"}));
  EXPECT_EQ(active(w, "2027-11-07T06:45:00Z"), "none");  // the second 01:45 is not in it
}

TEST(RecurringWindow, AnOccurrenceOverTheFallBackChangeLastsItsDuration) {
  // 00:30 BST on 2027-10-31 is 23:30 UTC on the 30th; three hours later it is 02:30 GMT.
  const Window w = recurring("FREQ=DAILY", "Europe/London", 2027y / 10 / 1, 30min, 3h);
  EXPECT_EQ(active(w, "2027-10-31T02:00:00Z"), "2027-10-30T23:30:00Z/2027-10-31T02:30:00Z");
}

TEST(RecurringWindow, AWindowOverMidnightContainsTimesOnTheNextDay) {
  // Every Friday 22:00 for 4 hours, UTC: Friday night into Saturday.
  const Window w = recurring("FREQ=WEEKLY;BYDAY=FR", "UTC", 2027y / 1 / 1, 22h, 4h);
  EXPECT_EQ(active(w, "2027-01-08T21:59:59Z"), "none");
  EXPECT_EQ(active(w, "2027-01-09T00:00:00Z"), "2027-01-08T22:00:00Z/2027-01-09T02:00:00Z");
  EXPECT_EQ(active(w, "2027-01-09T01:59:59Z"), "2027-01-08T22:00:00Z/2027-01-09T02:00:00Z");
  EXPECT_EQ(active(w, "2027-01-09T02:00:00Z"), "none");
  // A range that starts on Saturday still includes Friday night's window.
  EXPECT_EQ(between(w, "2027-01-09T01:00:00Z", "2027-01-10T00:00:00Z"),
            (std::vector<std::string>{"2027-01-08T22:00:00Z/2027-01-09T02:00:00Z"}));
}

TEST(RecurringWindow, AWindowLongerThanADayIsFoundFromLaterDays) {
  // The last Friday of the month at 18:00 for 60 hours: the whole weekend.
  const Window w = recurring("FREQ=MONTHLY;BYDAY=-1FR", "UTC", 2027y / 1 / 1, 18h, 60h);
  EXPECT_EQ(active(w, "2027-01-31T12:00:00Z"), "2027-01-29T18:00:00Z/2027-02-01T06:00:00Z");
  EXPECT_EQ(active(w, "2027-02-01T06:00:00Z"), "none");
}

TEST(RecurringWindow, OverlappingOccurrencesAreReportedOneByOne) {
  // Daily for 36 hours: each day's window overlaps the next.
  const Window w = recurring("FREQ=DAILY", "UTC", 2027y / 1 / 1, 0h, 36h);
  EXPECT_EQ(active(w, "2027-01-02T06:00:00Z"), "2027-01-02T00:00:00Z/2027-01-03T12:00:00Z");
  EXPECT_EQ(starts(w, "2027-01-02T06:00:00Z", "2027-01-02T07:00:00Z"),
            (std::vector<std::string>{"2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z"}));
}

}  // namespace
