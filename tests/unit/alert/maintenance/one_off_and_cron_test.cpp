// One-off windows, and recurring windows on a cron expression instead of an RRULE.

#include <gtest/gtest.h>

#include "support.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::alert::maintenance;
using namespace lk::alert::maintenance::testing;

namespace {

Window christmas_eve() {
  Window w;
  w.name = "datacenter move";
  w.from = at("2026-12-24T22:00:00Z");
  w.to = at("2026-12-25T02:00:00Z");
  EXPECT_EQ(problems(w), std::vector<std::string>{});
  return w;
}

Window on_cron(std::string expression, std::string zone, year_month_day start, Duration d) {
  Window w;
  w.name = "cron";
  w.cron = std::move(expression);
  w.zone = std::move(zone);
  w.start_date = start;
  w.duration = d;
  EXPECT_EQ(problems(w), std::vector<std::string>{});
  return w;
}

TEST(OneOffWindow, IsActiveFromItsStartInclusiveToItsEndExclusive) {
  const Window w = christmas_eve();
  const std::string whole = "2026-12-24T22:00:00Z/2026-12-25T02:00:00Z";
  EXPECT_EQ(active(w, "2026-12-24T21:59:59Z"), "none");
  EXPECT_EQ(active(w, "2026-12-24T22:00:00Z"), whole);
  EXPECT_EQ(active(w, "2026-12-25T01:59:59Z"), whole);
  EXPECT_EQ(active(w, "2026-12-25T02:00:00Z"), "none");
}

TEST(OneOffWindow, IsNextOnlyUntilItStarts) {
  const Window w = christmas_eve();
  EXPECT_EQ(next(w, "2026-01-01T00:00:00Z"), "2026-12-24T22:00:00Z/2026-12-25T02:00:00Z");
  EXPECT_EQ(next(w, "2026-12-24T21:59:59Z"), "2026-12-24T22:00:00Z/2026-12-25T02:00:00Z");
  EXPECT_EQ(next(w, "2026-12-24T22:00:00Z"), "none");
}

TEST(OneOffWindow, OccursInRangesItOverlaps) {
  const Window w = christmas_eve();
  EXPECT_EQ(between(w, "2026-12-25T01:00:00Z", "2026-12-26T00:00:00Z"),
            (std::vector<std::string>{"2026-12-24T22:00:00Z/2026-12-25T02:00:00Z"}));
  EXPECT_EQ(between(w, "2026-12-01T00:00:00Z", "2026-12-24T22:00:00Z"), std::vector<std::string>{});
  EXPECT_EQ(between(w, "2026-12-25T02:00:00Z", "2026-12-26T00:00:00Z"), std::vector<std::string>{});
}

TEST(CronWindow, StartsWhenTheExpressionFiresAndAgreesWithTheSameRrule) {
  // Sundays at 01:30 in London, including the spring-forward Sunday (01:30 does not exist:
  // both start at 02:00 BST) and the fall-back Sunday (01:30 BST, the first of the two).
  const Window cron = on_cron("30 1 * * 0", "Europe/London", 2027y / 1 / 1, 1h);
  const Window rule = recurring("FREQ=WEEKLY;BYDAY=SU", "Europe/London", 2027y / 1 / 1, 90min, 1h);
  const auto year = occurrences(cron, at("2027-01-01T00:00:00Z"), at("2028-01-01T00:00:00Z"), 100);
  EXPECT_EQ(year.size(), 52u);
  EXPECT_EQ(spans(year),
            spans(occurrences(rule, at("2027-01-01T00:00:00Z"), at("2028-01-01T00:00:00Z"), 100)));
  EXPECT_EQ(next(cron, "2027-03-22T00:00:00Z"), "2027-03-28T01:00:00Z/2027-03-28T02:00:00Z");
  EXPECT_EQ(next(cron, "2027-10-25T00:00:00Z"), "2027-10-31T00:30:00Z/2027-10-31T01:30:00Z");
}

TEST(CronWindow, ContainsTimesAfterMidnightWhenItStartedTheDayBefore) {
  const Window w = on_cron("0 23 * * *", "UTC", 2027y / 1 / 1, 2h);
  EXPECT_EQ(active(w, "2027-01-05T00:30:00Z"), "2027-01-04T23:00:00Z/2027-01-05T01:00:00Z");
  EXPECT_EQ(active(w, "2027-01-05T01:00:00Z"), "none");
}

TEST(CronWindow, FiresBeforeTheStartDateDoNotCount) {
  const Window w = on_cron("0 23 * * *", "UTC", 2027y / 1 / 10, 2h);
  EXPECT_EQ(active(w, "2027-01-09T00:30:00Z"), "none");
  EXPECT_EQ(next(w, "2027-01-01T00:00:00Z"), "2027-01-10T23:00:00Z/2027-01-11T01:00:00Z");
  EXPECT_EQ(between(w, "2027-01-09T00:00:00Z", "2027-01-11T00:00:00Z"),
            (std::vector<std::string>{"2027-01-10T23:00:00Z/2027-01-11T01:00:00Z"}));
}

TEST(CronWindow, NeedsNoStartDate) {
  Window w;
  w.cron = "0 3 * * *";
  w.duration = 30min;
  EXPECT_EQ(problems(w), std::vector<std::string>{});
  EXPECT_EQ(active(w, "1999-06-01T03:10:00Z"), "1999-06-01T03:00:00Z/1999-06-01T03:30:00Z");
}

// Why n-th weekdays need an RRULE: cron ORs the day fields, so "days 8 to 14 on a Tuesday"
// fires on each of days 8 to 14 and on every Tuesday.
TEST(CronWindow, CronCannotSayTheSecondTuesday) {
  const Window w = on_cron("0 2 8-14 * 2", "UTC", 2027y / 1 / 1, 1h);
  EXPECT_EQ(starts(w, "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-05T02:00:00Z", "2027-01-08T02:00:00Z",
                                      "2027-01-09T02:00:00Z", "2027-01-10T02:00:00Z",
                                      "2027-01-11T02:00:00Z", "2027-01-12T02:00:00Z",
                                      "2027-01-13T02:00:00Z", "2027-01-14T02:00:00Z",
                                      "2027-01-19T02:00:00Z", "2027-01-26T02:00:00Z"}));
  const Window rule = recurring("FREQ=MONTHLY;BYDAY=2TU", "UTC", 2027y / 1 / 1, 2h, 1h);
  EXPECT_EQ(starts(rule, "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"),
            (std::vector<std::string>{"2027-01-12T02:00:00Z"}));
}

}  // namespace
