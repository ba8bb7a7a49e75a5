#include "web/svg.hpp"

#include <gtest/gtest.h>

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

std::vector<ComponentDay> clean_days() {
  std::vector<ComponentDay> out(90);
  for (int i = 0; i < 90; ++i) {
    out[i].day = kToday - days{89 - i};
    out[i].uptime = 1.0;
  }
  return out;
}

std::string bar(const std::vector<ComponentDay>& days) {
  std::string out;
  append_uptime_bar(out, days, 0.9999);
  return out;
}

}  // namespace

TEST(UptimeBar, DrawsNinetyPerfectDaysAsOneRunWithOneTitle) {
  std::string svg = bar(clean_days());
  EXPECT_EQ(count_of(svg, "<title>"), 1u);
  EXPECT_NE(svg.find("<rect x=\"0\" width=\"359\" height=\"24\" fill=\"url(#lk-d0)\">"
                     "<title>Aug 24 – Nov 21: 100%, no incidents</title>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("role=\"img\" aria-label=\"90-day uptime 99.99%, 0 days with trouble\""),
            std::string::npos);
}

TEST(UptimeBar, GivesEachDayWithTroubleItsOwnShapeAndWords) {
  auto days = clean_days();
  days[88].uptime = 0.9993;
  days[88].failing_checks = 2;
  days[40].warned = true;
  days[40].warning_checks = 1;
  days[10].uptime = 0.5;
  std::string svg = bar(days);
  EXPECT_EQ(count_of(svg, "<use "), 4u);
  EXPECT_EQ(count_of(svg, "fill=\"url(#lk-d0)\""), 3u) << "runs 0-9, 11-39, 41-87; 89 alone";
  EXPECT_NE(svg.find("<use href=\"#lk-d\" x=\"352\" class=\"d2\"><title>Nov 20: 99.93%, 2 checks "
                     "failed</title></use>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("class=\"d1\"><title>Oct 3: 100%, 1 check warned</title>"), std::string::npos);
  EXPECT_NE(svg.find("class=\"d3\"><title>Sep 3: 50.00%</title>"), std::string::npos);
  EXPECT_NE(svg.find("<use href=\"#lk-d\" x=\"356\" class=\"d0\"><title>Nov 21: 100%</title>"),
            std::string::npos)
      << "a lone perfect day";
}

TEST(UptimeBar, MergesDaysWithoutDataAndNamesIncidents) {
  auto days = clean_days();
  for (int i = 0; i < 80; ++i) days[i].uptime.reset();
  StatusReport a, b;
  a.title = "Checkout <errors>";
  b.title = "DNS";
  days[85].incidents = {&a};
  days[86].incidents = {&a, &b};
  std::string svg = bar(days);
  EXPECT_NE(svg.find("fill=\"url(#lk-d4)\"><title>Aug 24 – Nov 11: no data</title>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<title>Nov 17: 100%, incident: Checkout &lt;errors&gt;</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("<title>Nov 18: 100%, 2 incidents: Checkout &lt;errors&gt;; DNS</title>"),
            std::string::npos);
}

TEST(UptimeBar, PutsTheWordsPerWeekWhenMostDaysHadTrouble) {
  auto days = clean_days();
  StatusReport incident;
  for (int i = 0; i < 90; i += 2) days[i].uptime = 0.995;  // every other day
  days[0].uptime = 0.5;
  days[2].incidents = {&incident};
  days[5].uptime.reset();
  std::string svg = bar(days);
  EXPECT_EQ(count_of(svg, "<title>"), 13u) << "one per week";
  EXPECT_NE(svg.find("<title>Aug 24 – Aug 30: lowest 50.00%, trouble on 4 days, no data on 1 "
                     "day, 1 incident</title>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<path class=\"d3\" d=\"M0 0h3v24h-3z\"/>"), std::string::npos)
      << "each day keeps its colour";
  EXPECT_NE(svg.find("<path class=\"d2\" d=\"M8 0h3v24h-3zM16 0h3v24h-3z"), std::string::npos);
  EXPECT_NE(svg.find("fill=\"transparent\""), std::string::npos);

  auto calm = clean_days();
  for (int i = 0; i < 18; i += 2) calm[i].uptime = 0.995;
  EXPECT_EQ(count_of(bar(calm), "class=\"d2\"><title>"), 9u)
      << "under the bound every troubled day has its own words";
}

TEST(UptimeBar, DefinesTheDayShapeAndPatternsOnce) {
  std::string_view defs = uptime_bar_defs();
  EXPECT_NE(defs.find("<rect id=\"lk-d\""), std::string_view::npos);
  EXPECT_NE(defs.find("<pattern id=\"lk-d0\""), std::string_view::npos);
  EXPECT_NE(defs.find("<pattern id=\"lk-d4\""), std::string_view::npos);
  EXPECT_NE(defs.find("<pattern id=\"lk-d3\""), std::string_view::npos);
  EXPECT_NE(defs.find("aria-hidden=\"true\""), std::string_view::npos);
}

TEST(DayGrades, ColourByOutageThenByTrouble) {
  ComponentDay d;
  EXPECT_EQ(grade_day(d), DayGrade::no_data);
  d.uptime = 1.0;
  EXPECT_EQ(grade_day(d), DayGrade::ok);
  d.failing_checks = 1;
  EXPECT_EQ(grade_day(d), DayGrade::ok) << "the rule's uptime says how the component did";
  d.warned = true;
  EXPECT_EQ(grade_day(d), DayGrade::degraded);
  d.uptime = 0.995;
  EXPECT_EQ(grade_day(d), DayGrade::minor_outage);
  d.uptime = 0.9;
  EXPECT_EQ(grade_day(d), DayGrade::major_outage);
  EXPECT_EQ(day_css_class(DayGrade::major_outage), "d3");
}

TEST(FormatPercent, NeverRoundsAnOutageAway) {
  EXPECT_EQ(format_percent(1.0), "100%");
  EXPECT_EQ(format_percent(0.99996), "99.99%");
  EXPECT_EQ(format_percent(0.9993), "99.93%");
  EXPECT_EQ(format_percent(0.5), "50.00%");
  EXPECT_EQ(format_percent(0.0), "0%");
}

TEST(ResponseTimeGraph, BreaksAtGapsAndMarksFailures) {
  const TimePoint from = kToday;
  std::vector<LatencyPoint> points;
  for (int h : {0, 1, 2, 5, 6})
    points.push_back({.bucket = from + hours{h},
                      .avg_ms = 100.0 + h,
                      .min_ms = 50,
                      .p95_ms = 200,
                      .max_ms = 300,
                      .count = 60,
                      .failures = h == 6 ? 3 : 0});
  points.push_back({.bucket = from + hours{9},
                    .avg_ms = 80,
                    .min_ms = 70,
                    .p95_ms = 90,
                    .max_ms = 95,
                    .count = 60});
  std::string svg = response_time_svg(points, from, from + hours{10}, hours{1}, "Response <time>");
  EXPECT_EQ(count_of(svg, "<polyline class=\"avg\""), 3u) << "hours 0-2, 5-6 and the lone 9";
  EXPECT_EQ(count_of(svg, "<path class=\"band\""), 3u);
  EXPECT_EQ(count_of(svg, "<rect class=\"fl\""), 1u);
  EXPECT_NE(svg.find("<title>Response &lt;time&gt;</title>"), std::string::npos);
  EXPECT_NE(svg.find("points=\"648.0,"), std::string::npos) << "the lone bucket spans its hour";
}

TEST(ResponseTimeGraph, IsAValidEmptyImageWithoutData) {
  std::string svg = response_time_svg({}, kToday, kToday + hours{24}, minutes{1}, "no data");
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(svg.find("<polyline"), std::string::npos);
}
