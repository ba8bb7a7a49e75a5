// Layers: a later layer overrides an earlier one where it has someone; windows in local time;
// follow-the-sun across three zones.

#include <gtest/gtest.h>

#include <map>

#include "support.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::alert::oncall;
using namespace lk::alert::oncall::testing;

namespace {

// Three sites, each on shift 8 hours of its own day, every day. In January New York is on EST
// (UTC-5) and Sydney on AEDT (UTC+11), so the shifts tile the UTC day:
//   utc      05:00-13:00 UTC
//   new-york 08:00-16:00 EST  = 13:00-21:00 UTC
//   sydney   08:00-16:00 AEDT = 21:00-05:00 UTC (the next local day in Sydney)
Schedule follow_the_sun() {
  auto site = [](std::string name, std::string zone, std::vector<std::string> members) {
    return Layer{std::move(name),
                 rotation(std::move(members), weekly, std::move(zone), 8h, 2027y / 1 / 4),
                 {TimeWindow{every_day, 8h, 16h}}};
  };
  Layer utc = site("utc", "UTC", {"uma", "ugo"});
  utc.windows = {TimeWindow{every_day, 5h, 13h}};
  utc.rotation.handoff_time = 5h;
  return schedule_of({"uma", "ugo", "nina", "ned", "sam", "sia"},
                     {utc, site("new-york", "America/New_York", {"nina", "ned"}),
                      site("sydney", "Australia/Sydney", {"sam", "sia"})});
}

TEST(Layers, FollowTheSunCoversAFullWeekWithNoGapAndNoOverlap) {
  const Schedule s = follow_the_sun();
  const TimePoint begin = at("2027-01-11T00:00:00Z");
  std::map<std::string, minutes> covered;
  for (TimePoint t = begin; t < begin + weekly; t += 5min) {
    int on = 0;
    for (const Layer& layer : s.layers) {
      Schedule alone = s;
      alone.layers = {layer};
      if (who_is_on(alone, t).primary) ++on;
    }
    ASSERT_EQ(on, 1) << text(t);
    covered[who_is_on(s, t).decided_by] += 5min;
  }
  EXPECT_EQ(covered,
            (std::map<std::string, minutes>{{"new-york", 56h}, {"sydney", 56h}, {"utc", 56h}}));
}

TEST(Layers, FollowTheSunHandsOffAtEachSitesLocalHours) {
  const Schedule s = follow_the_sun();
  EXPECT_EQ(handoffs(s, "2027-01-12T00:00:00Z", 4),
            (std::vector<std::string>{"2027-01-12T05:00:00Z ugo", "2027-01-12T13:00:00Z ned",
                                      "2027-01-12T21:00:00Z sia", "2027-01-13T05:00:00Z ugo"}));
  EXPECT_EQ(who_is_on(s, at("2027-01-12T22:00:00Z")).decided_by, "sydney");
  // Each site's weekly rotation hands off at the start of its own Monday shift.
  EXPECT_EQ(primary_at(s, "2027-01-17T22:00:00Z"), "sam");   // Monday 09:00 in Sydney
  EXPECT_EQ(primary_at(s, "2027-01-18T14:00:00Z"), "nina");  // Monday 09:00 in New York
  EXPECT_EQ(primary_at(s, "2027-01-18T06:00:00Z"), "uma");
}

TEST(Layers, ALaterLayerDecidesOnlyInsideItsWindows) {
  Layer base{"base", rotation({"ana", "ben"}, weekly, "Europe/London", 9h, 2026y / 1 / 5), {}};
  Layer office{"office",
               rotation({"cleo"}, weekly, "Europe/London", 9h, 2026y / 1 / 5),
               {TimeWindow{monday_to_friday, 9h, 17h}}};
  auto s = schedule_of({"ana", "ben", "cleo"}, {base, office});
  EXPECT_EQ(who_is_on(s, at("2026-01-07T10:00:00Z")).decided_by, "office");  // Wednesday
  EXPECT_EQ(primary_at(s, "2026-01-07T10:00:00Z"), "cleo");
  EXPECT_EQ(primary_at(s, "2026-01-07T17:00:00Z"), "ana");
  EXPECT_EQ(primary_at(s, "2026-01-10T10:00:00Z"), "ana");  // Saturday
  EXPECT_EQ(handoffs(s, "2026-01-09T12:00:00Z", 3),
            (std::vector<std::string>{"2026-01-09T17:00:00Z ana", "2026-01-12T09:00:00Z cleo",
                                      "2026-01-12T17:00:00Z ben"}));
}

TEST(Layers, WindowsFollowLocalTimeAcrossDst) {
  Layer office{"office",
               rotation({"cleo"}, weekly, "Europe/London", 9h, 2026y / 1 / 5),
               {TimeWindow{monday_to_friday, 9h, 17h}}};
  auto s = schedule_of({"cleo"}, {office});
  EXPECT_EQ(primary_at(s, "2026-03-27T09:00:00Z"), "cleo");    // Friday, 09:00 GMT
  EXPECT_EQ(primary_at(s, "2026-03-30T07:59:00Z"), "nobody");  // Monday, 08:59 BST
  EXPECT_EQ(primary_at(s, "2026-03-30T08:00:00Z"), "cleo");    // 09:00 BST
  EXPECT_EQ(primary_at(s, "2026-03-30T16:00:00Z"), "nobody");  // 17:00 BST
}

TEST(Layers, ALayerThatHasNotStartedLeavesTheEarlierOneInCharge) {
  Layer base{"base", rotation({"ana"}, weekly, "UTC", 9h, 2026y / 1 / 5), {}};
  Layer later{"later", rotation({"ben"}, weekly, "UTC", 9h, 2026y / 2 / 2), {}};
  auto s = schedule_of({"ana", "ben"}, {base, later});
  EXPECT_EQ(primary_at(s, "2026-01-20T00:00:00Z"), "ana");
  EXPECT_EQ(handoffs(s, "2026-01-20T00:00:00Z", 1),
            (std::vector<std::string>{"2026-02-02T09:00:00Z ben"}));
}

}  // namespace
