#include "web/svg.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "web/text.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::web;

namespace {

const TimePoint kToday = TimePoint{seconds{1'795'219'200}};  // 2026-11-21T00:00Z

std::size_t count_of(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

std::vector<DayBar> full_days() {
  std::vector<DayBar> bars;
  for (int i = 89; i >= 0; --i) bars.push_back(DayBar{.day = kToday - days{i}, .count = 1440});
  return bars;
}

}  // namespace

TEST(UptimeBar, HasOneRectWithATitlePerDayForNinetyDays) {
  std::string svg = uptime_bar_svg(full_days(), kToday + hours{8});
  EXPECT_EQ(count_of(svg, "<rect "), 90u);
  EXPECT_EQ(count_of(svg, "<title>"), 90u);
  EXPECT_EQ(count_of(svg, "class=\"d-ok\""), 90u);
  EXPECT_NE(svg.find("<title>2026-11-21: 100% up</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>2026-08-24: 100% up</title>"), std::string::npos) << "oldest day";
}

TEST(UptimeBar, DrawsMissingDaysGreyAsNoData) {
  std::vector<DayBar> bars = {DayBar{.day = kToday - days{1}, .count = 10}};
  std::string svg = uptime_bar_svg(bars, kToday);
  EXPECT_EQ(count_of(svg, "<rect "), 90u);
  EXPECT_EQ(count_of(svg, "class=\"d-none\""), 89u);
  EXPECT_NE(svg.find("<title>2026-11-21: no data</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>2026-11-20: 100% up</title>"), std::string::npos);
}

TEST(UptimeBar, DescribesFailuresAndWarningsInItsTitles) {
  EXPECT_EQ(describe_day(DayBar{.day = kToday - days{1}, .count = 2880, .failures = 2}),
            "2026-11-20: 99.93% up, 2 failures");
  EXPECT_EQ(describe_day(DayBar{.day = kToday, .count = 100, .failures = 1, .warnings = 1}),
            "2026-11-21: 99.00% up, 1 failure, 1 warning");
}

TEST(UptimeBar, GradesDaysByWorstOutcomeThenByDowntime) {
  EXPECT_EQ(grade_day({.count = 0}), DayGrade::no_data);
  EXPECT_EQ(grade_day({.count = 100}), DayGrade::ok);
  EXPECT_EQ(grade_day({.count = 100, .warnings = 5}), DayGrade::warn);
  EXPECT_EQ(grade_day({.count = 1000, .failures = 5}), DayGrade::minor_outage);
  EXPECT_EQ(grade_day({.count = 100, .failures = 50}), DayGrade::major_outage);
}

TEST(FormatPercent, NeverRoundsAnOutageAway) {
  EXPECT_EQ(format_percent(1.0), "100%");
  EXPECT_EQ(format_percent(0.99996), "99.99%");
  EXPECT_EQ(format_percent(0.9993), "99.93%");
  EXPECT_EQ(format_percent(0.5), "50.00%");
  EXPECT_EQ(format_percent(0.0), "0%");
}

constexpr float kFailed = std::numeric_limits<float>::quiet_NaN();

TEST(Sparkline, BreaksTheLineAndMarksEachFailedRun) {
  std::string svg = sparkline_svg({100.0f, 120.0f, kFailed, 90.0f, 110.0f, kFailed});
  EXPECT_EQ(count_of(svg, "<polyline"), 2u);
  EXPECT_EQ(count_of(svg, "class=\"sf\""), 2u);
  EXPECT_NE(svg.find("2 failed"), std::string::npos);
  EXPECT_NE(svg.find("<title>"), std::string::npos);
}

TEST(Sparkline, DrawsALoneSuccessAsADot) {
  std::string svg = sparkline_svg({kFailed, 50.0f, kFailed});
  EXPECT_EQ(count_of(svg, "<polyline"), 0u);
  EXPECT_EQ(count_of(svg, "<circle"), 1u);
}

TEST(Sparkline, IsAValidEmptyImageWithoutRuns) {
  std::string svg = sparkline_svg({});
  EXPECT_NE(svg.find("no runs yet"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

TEST(Sparkline, ScalesTheSlowestRunToTheTopOfTheBox) {
  std::string svg = sparkline_svg({0.0f, 200.0f});
  EXPECT_NE(svg.find("points=\"2.0,22.0 118.0,2.0\""), std::string::npos) << svg;
}
