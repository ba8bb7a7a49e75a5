// Rotations on their own: weekly and daily hand-offs, DST in London and New York, custom lengths.

#include <gtest/gtest.h>

#include "support.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::alert::oncall;
using namespace lk::alert::oncall::testing;

namespace {

Schedule one_layer(Rotation r, bool paired = false) {
  std::vector<std::string> names = r.members;
  return schedule_of(names, {Layer{"primary", std::move(r), {}, paired}});
}

TEST(Rotation, WeeklyHandsOffEveryMondayAtTheHandoffTimeAndWrapsAround) {
  // 2026-01-05 is a Monday.
  auto s = one_layer(rotation({"ana", "ben", "cleo"}, weekly, "UTC", 9h, 2026y / 1 / 5));
  EXPECT_EQ(primary_at(s, "2026-01-05T08:59:59Z"), "nobody");  // not started yet
  EXPECT_EQ(primary_at(s, "2026-01-05T09:00:00Z"), "ana");
  EXPECT_EQ(primary_at(s, "2026-01-12T08:59:59Z"), "ana");
  EXPECT_EQ(primary_at(s, "2026-01-12T09:00:00Z"), "ben");
  EXPECT_EQ(primary_at(s, "2026-01-19T09:00:00Z"), "cleo");
  EXPECT_EQ(primary_at(s, "2026-01-26T09:00:00Z"), "ana");
  EXPECT_EQ(who_is_on(s, at("2026-01-20T00:00:00Z")).decided_by, "primary");
}

TEST(Rotation, WeeklyHandoffsAreListedWithTheirTimes) {
  auto s = one_layer(rotation({"ana", "ben", "cleo"}, weekly, "UTC", 9h, 2026y / 1 / 5));
  EXPECT_EQ(handoffs(s, "2026-01-01T00:00:00Z", 4),
            (std::vector<std::string>{"2026-01-05T09:00:00Z ana", "2026-01-12T09:00:00Z ben",
                                      "2026-01-19T09:00:00Z cleo", "2026-01-26T09:00:00Z ana"}));
}

TEST(Rotation, DailyLondonHandoffStaysAtNineLocalAcrossTheMarchChange) {
  // Europe/London goes from GMT to BST at 2026-03-29 01:00 UTC.
  auto s = one_layer(
      rotation({"ana", "ben", "cleo", "dev"}, daily, "Europe/London", 9h, 2026y / 3 / 27));
  EXPECT_EQ(primary_at(s, "2026-03-28T09:00:00Z"), "ben");  // 09:00 GMT
  EXPECT_EQ(primary_at(s, "2026-03-29T07:59:59Z"), "ben");
  EXPECT_EQ(primary_at(s, "2026-03-29T08:00:00Z"), "cleo");  // 09:00 BST: one step, not two
  EXPECT_EQ(handoffs(s, "2026-03-27T12:00:00Z", 4),
            (std::vector<std::string>{"2026-03-28T09:00:00Z ben", "2026-03-29T08:00:00Z cleo",
                                      "2026-03-30T08:00:00Z dev", "2026-03-31T08:00:00Z ana"}));
}

TEST(Rotation, DailyLondonHandoffStaysAtNineLocalAcrossTheOctoberChange) {
  // Europe/London goes from BST back to GMT at 2026-10-25 01:00 UTC.
  auto s = one_layer(rotation({"ana", "ben"}, daily, "Europe/London", 9h, 2026y / 10 / 24));
  EXPECT_EQ(handoffs(s, "2026-10-23T12:00:00Z", 3),
            (std::vector<std::string>{"2026-10-24T08:00:00Z ana", "2026-10-25T09:00:00Z ben",
                                      "2026-10-26T09:00:00Z ana"}));
  EXPECT_EQ(primary_at(s, "2026-10-25T08:30:00Z"), "ana");  // 08:30 GMT: still the 24th's shift
}

TEST(Rotation, DailyNewYorkRotationTakesOneStepOnTheSpringForwardDay) {
  // America/New_York skips 02:00-03:00 local on 2026-03-08. A 02:30 hand-off that day happens
  // at the end of the gap (03:00 EDT = 07:00 UTC); the day is still exactly one step.
  auto s =
      one_layer(rotation({"ana", "ben", "cleo"}, daily, "America/New_York", 150min, 2026y / 3 / 6));
  EXPECT_EQ(handoffs(s, "2026-03-06T12:00:00Z", 3),
            (std::vector<std::string>{"2026-03-07T07:30:00Z ben", "2026-03-08T07:00:00Z cleo",
                                      "2026-03-09T06:30:00Z ana"}));
  EXPECT_EQ(primary_at(s, "2026-03-07T18:00:00Z"), "ben");
  EXPECT_EQ(primary_at(s, "2026-03-08T18:00:00Z"), "cleo");
  EXPECT_EQ(primary_at(s, "2026-03-09T18:00:00Z"), "ana");
}

TEST(Rotation, DailyNewYorkHandoffInTheRepeatedHourHappensOnce) {
  // 01:30 happens twice on 2026-11-01 in New York (EDT, then EST); the hand-off is the first.
  auto s = one_layer(rotation({"ana", "ben"}, daily, "America/New_York", 90min, 2026y / 11 / 1));
  EXPECT_EQ(handoffs(s, "2026-10-31T12:00:00Z", 2),
            (std::vector<std::string>{"2026-11-01T05:30:00Z ana", "2026-11-02T06:30:00Z ben"}));
  EXPECT_EQ(primary_at(s, "2026-11-01T06:30:00Z"), "ana");  // the second 01:30 changes nothing
}

TEST(Rotation, DailyNewYorkHandoffAtNineLocalAcrossBothChanges) {
  auto s = one_layer(rotation({"ana", "ben"}, daily, "America/New_York", 9h, 2026y / 3 / 7));
  EXPECT_EQ(handoffs(s, "2026-03-07T00:00:00Z", 2),
            (std::vector<std::string>{"2026-03-07T14:00:00Z ana", "2026-03-08T13:00:00Z ben"}));
  s.layers[0].rotation.start_date = 2026y / 10 / 31;
  EXPECT_EQ(handoffs(s, "2026-10-31T00:00:00Z", 2),
            (std::vector<std::string>{"2026-10-31T13:00:00Z ana", "2026-11-01T14:00:00Z ben"}));
}

TEST(Rotation, TwoWeekLengthCountsCalendarDays) {
  auto s = one_layer(rotation({"ana", "ben"}, days{14}, "Europe/London", 9h, 2026y / 3 / 16));
  // 14 local days later is after the March change: 09:00 BST.
  EXPECT_EQ(handoffs(s, "2026-03-17T00:00:00Z", 1),
            (std::vector<std::string>{"2026-03-30T08:00:00Z ben"}));
}

TEST(Rotation, CustomTwelveHourShiftsAreFixedSpansOfElapsedTime) {
  auto s = one_layer(rotation({"ana", "ben"}, 12h, "Europe/London", 8h, 2026y / 3 / 28));
  // First hand-off 08:00 GMT; then every 12 hours of elapsed time, DST or not.
  EXPECT_EQ(handoffs(s, "2026-03-28T00:00:00Z", 4),
            (std::vector<std::string>{"2026-03-28T08:00:00Z ana", "2026-03-28T20:00:00Z ben",
                                      "2026-03-29T08:00:00Z ana", "2026-03-29T20:00:00Z ben"}));
}

TEST(Rotation, AOneMemberRotationHasNoHandoffsToReport) {
  auto s = one_layer(rotation({"ana"}, daily, "UTC", 9h, 2026y / 1 / 1));
  EXPECT_EQ(handoffs(s, "2026-01-02T00:00:00Z", 3), std::vector<std::string>{});
}

TEST(Schedule, ProblemsNameEveryMistake) {
  Schedule s;
  s.people = {{"ana", {"sms"}}};
  s.layers = {Layer{"l",
                    rotation({"ana", "zed"}, 0h, "Mars/Olympus", 25h, 2026y / 2 / 30),
                    {TimeWindow{every_day, 10h, 9h}}}};
  s.overrides = {Override{"ana", at("2026-01-02T00:00:00Z"), at("2026-01-01T00:00:00Z")}};
  EXPECT_EQ(problems(s), (std::vector<std::string>{
                             "layer \"l\": unknown time zone \"Mars/Olympus\"",
                             "layer \"l\": rotation length must be positive",
                             "layer \"l\": invalid start date",
                             "layer \"l\": hand-off time must be within the day",
                             "layer \"l\": unknown person \"zed\"",
                             "layer \"l\": a window must have days and 00:00 <= from < to <= 24:00",
                             "override of \"ana\": must end after it starts",
                         }));
}

TEST(Schedule, AnEmptyScheduleHasNobodyOnAndNoHandoffs) {
  Schedule s;
  EXPECT_EQ(who_is_on(s, at("2026-01-01T00:00:00Z")).decided_by, "");
  EXPECT_EQ(handoffs(s, "2026-01-01T00:00:00Z", 3), std::vector<std::string>{});
}

}  // namespace
