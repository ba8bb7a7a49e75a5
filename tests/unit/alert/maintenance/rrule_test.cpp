// RRULE text: what parses into what, what each mistake is called, and the text back.

#include <gtest/gtest.h>

#include "support.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::alert::maintenance;
using namespace lk::alert::maintenance::testing;

namespace {

TEST(RRule, ParsesTheSecondTuesdayOfEachMonth) {
  const Recurrence r = rrule("RRULE:FREQ=MONTHLY;BYDAY=2TU");
  EXPECT_EQ(r.frequency, Frequency::monthly);
  EXPECT_EQ(r.interval, 1u);
  EXPECT_EQ(r.by_day, (std::vector<WeekdayRule>{{Tuesday, 2}}));
  EXPECT_FALSE(r.count);
}

TEST(RRule, ParsesEveryPartOfTheSubset) {
  const Recurrence r = rrule(
      "FREQ=YEARLY;INTERVAL=2;BYMONTH=1,7;BYMONTHDAY=1,15,-1;BYDAY=MO,-1FR,+2WE;WKST=SU;"
      "COUNT=10");
  EXPECT_EQ(r.frequency, Frequency::yearly);
  EXPECT_EQ(r.interval, 2u);
  EXPECT_EQ(r.by_month, (std::vector<unsigned>{1, 7}));
  EXPECT_EQ(r.by_month_day, (std::vector<int>{1, 15, -1}));
  EXPECT_EQ(r.by_day, (std::vector<WeekdayRule>{{Monday, 0}, {Friday, -1}, {Wednesday, 2}}));
  EXPECT_EQ(r.week_start, Sunday);
  EXPECT_EQ(r.count, 10u);
}

TEST(RRule, NamesAndValuesAreCaseInsensitiveAndATrailingSemicolonIsAccepted) {
  EXPECT_EQ(rrule(" rrule:freq=weekly;byday=mo,we; "), rrule("FREQ=WEEKLY;BYDAY=MO,WE"));
}

TEST(RRule, UntilIsADateOrAUtcTime) {
  EXPECT_EQ(rrule("FREQ=DAILY;UNTIL=20270630").until_date, 2027y / 6 / 30);
  EXPECT_EQ(rrule("FREQ=DAILY;UNTIL=20270630").until, std::nullopt);
  EXPECT_EQ(rrule("FREQ=DAILY;UNTIL=20270630T235959Z").until, at("2027-06-30T23:59:59Z"));
  EXPECT_EQ(rrule("FREQ=DAILY;UNTIL=20270630T235959Z").until_date, std::nullopt);
}

TEST(RRule, FormatsBackToTextThatParsesToTheSameRule) {
  for (std::string_view text : {
           "FREQ=MONTHLY;BYDAY=2TU",
           "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=SU;COUNT=4",
           "FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1,-1",
           "FREQ=DAILY;UNTIL=20270630",
           "FREQ=DAILY;UNTIL=20270630T020500Z",
       }) {
    EXPECT_EQ(format_rrule(rrule(text)), text);
  }
  EXPECT_EQ(format_rrule(rrule("RRULE:freq=monthly;byday=+2tu")), "FREQ=MONTHLY;BYDAY=2TU");
}

// Every message parse_rrule gives, each naming the part at fault.
TEST(RRule, EveryMistakeIsNamed) {
  const std::string until_format = " is not a date YYYYMMDD or a UTC time YYYYMMDDTHHMMSSZ";
  const std::vector<std::pair<std::string_view, std::string>> cases = {
      {"", "FREQ is required"},
      {"RRULE:", "FREQ is required"},
      {"INTERVAL=2", "FREQ is required"},
      {"FREQ", "\"FREQ\" is not NAME=VALUE"},
      {"FREQ=", "FREQ: no value"},
      {"FREQ=HOURLY", "FREQ: \"HOURLY\" is not one of DAILY, WEEKLY, MONTHLY, YEARLY"},
      {"FREQ=FORTNIGHTLY", "FREQ: \"FORTNIGHTLY\" is not one of DAILY, WEEKLY, MONTHLY, YEARLY"},
      {"FREQ=DAILY;FREQ=WEEKLY", "FREQ is given twice"},
      {"FREQ=DAILY;COLOR=RED", "unknown part \"COLOR\""},
      {"FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
       "BYSETPOS is not supported (use FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT, UNTIL, "
       "WKST)"},
      {"FREQ=DAILY;BYHOUR=2",
       "BYHOUR is not supported (use FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT, UNTIL, "
       "WKST)"},
      {"FREQ=DAILY;INTERVAL=two", "INTERVAL: \"two\" is not a whole number"},
      {"FREQ=DAILY;INTERVAL=0", "INTERVAL must be 1 or more"},
      {"FREQ=DAILY;COUNT=-1", "COUNT: \"-1\" is not a whole number"},
      {"FREQ=DAILY;COUNT=0", "COUNT must be 1 or more"},
      {"FREQ=WEEKLY;BYDAY=TX", "BYDAY: unknown weekday \"TX\""},
      {"FREQ=MONTHLY;BYDAY=2TX", "BYDAY: unknown weekday \"TX\""},
      {"FREQ=WEEKLY;BYDAY=M", "BYDAY: \"M\" is not a weekday such as MO, 2TU or -1FR"},
      {"FREQ=MONTHLY;BYDAY=xMO", "BYDAY: \"xMO\" is not a weekday such as MO, 2TU or -1FR"},
      {"FREQ=MONTHLY;BYDAY=0MO", "BYDAY: \"0MO\": the ordinal cannot be 0"},
      {"FREQ=WEEKLY;BYDAY=MO,,TU", "BYDAY: empty list item"},
      {"FREQ=WEEKLY;BYDAY=2TU", "BYDAY: 2TU: an ordinal needs FREQ=MONTHLY or FREQ=YEARLY"},
      {"FREQ=DAILY;BYDAY=-1FR", "BYDAY: -1FR: an ordinal needs FREQ=MONTHLY or FREQ=YEARLY"},
      {"FREQ=MONTHLY;BYDAY=6TU",
       "BYDAY: 6TU: the ordinal must be 1 to 5 or -1 to -5 within a month"},
      {"FREQ=YEARLY;BYMONTH=3;BYDAY=-6TU",
       "BYDAY: -6TU: the ordinal must be 1 to 5 or -1 to -5 within a month"},
      {"FREQ=YEARLY;BYDAY=54TU", "BYDAY: 54TU: the ordinal must be 1 to 53 or -1 to -53"},
      {"FREQ=MONTHLY;BYMONTHDAY=first", "BYMONTHDAY: \"first\" is not a number"},
      {"FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY: 32 is not 1 to 31 or -1 to -31"},
      {"FREQ=MONTHLY;BYMONTHDAY=1,0", "BYMONTHDAY: 0 is not 1 to 31 or -1 to -31"},
      {"FREQ=MONTHLY;BYMONTHDAY=-32", "BYMONTHDAY: -32 is not 1 to 31 or -1 to -31"},
      {"FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY cannot be used with FREQ=WEEKLY"},
      {"FREQ=YEARLY;BYMONTH=jan", "BYMONTH: \"jan\" is not a month number"},
      {"FREQ=YEARLY;BYMONTH=13", "BYMONTH: 13 is not 1 to 12"},
      {"FREQ=YEARLY;BYMONTH=0", "BYMONTH: 0 is not 1 to 12"},
      {"FREQ=DAILY;UNTIL=2027-06-30", "UNTIL: \"2027-06-30\"" + until_format},
      {"FREQ=DAILY;UNTIL=20270230", "UNTIL: \"20270230\"" + until_format},
      {"FREQ=DAILY;UNTIL=20270630T120000", "UNTIL: \"20270630T120000\"" + until_format},
      {"FREQ=DAILY;UNTIL=20270630T250000Z", "UNTIL: \"20270630T250000Z\"" + until_format},
      {"FREQ=DAILY;COUNT=3;UNTIL=20270630", "COUNT and UNTIL cannot both be given"},
      {"FREQ=WEEKLY;WKST=XX", "WKST: unknown weekday \"XX\""},
  };
  for (const auto& [text, error] : cases) EXPECT_EQ(rrule_error(text), error) << text;
}

TEST(RRule, HandBuiltRulesAreCheckedWithTheSameWords) {
  Recurrence r;
  r.interval = 0;
  r.count = 0;
  r.until_date = 2027y / 2 / 30;
  r.until = at("2027-01-01T00:00:00Z");
  r.by_day = {{weekday{9}, 0}};
  EXPECT_EQ(problems(r), (std::vector<std::string>{
                             "INTERVAL must be 1 or more",
                             "COUNT must be 1 or more",
                             "COUNT and UNTIL cannot both be given",
                             "UNTIL is either a date or a UTC time",
                             "UNTIL: invalid date",
                             "BYDAY: 9: invalid weekday",
                         }));
  EXPECT_EQ(problems(rrule("FREQ=MONTHLY;BYDAY=-1FR")), std::vector<std::string>{});
}

}  // namespace
