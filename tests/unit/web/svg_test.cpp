#include "web/svg.hpp"

#include <gtest/gtest.h>

#include "web/page_style.hpp"
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
  EXPECT_NE(svg.find("<path class=\"d0\" d=\"m0 12h360\"/>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<rect x=\"0\" width=\"359\" height=\"24\">"
                     "<title>Aug 24 – Nov 21: 100%, no incidents</title></rect>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("role=\"img\" aria-label=\"90-day uptime 99.99%, 0 days with trouble\""),
            std::string::npos);
}

TEST(UptimeBar, DrawsEachGradeAsOnePathAndNamesEachRunOfDays) {
  auto days = clean_days();
  days[88].uptime = 0.9993;
  days[88].failing_checks = 2;
  days[40].warned = true;
  days[40].warning_checks = 1;
  days[10].uptime = 0.5;
  std::string svg = bar(days);
  EXPECT_EQ(count_of(svg, "<path "), 4u) << "ok, degraded, minor and major outage";
  EXPECT_NE(svg.find("<path class=\"d0\" d=\"m0 12h40m4 0h116m4 0h188m4 0h4\"/>"),
            std::string::npos)
      << "runs 0-9, 11-39, 41-87 and 89, each a line a whole number of days long\n"
      << svg;
  EXPECT_NE(svg.find("<path class=\"d2\" d=\"m352 12h4\"/>"), std::string::npos);
  EXPECT_NE(svg.find("<path class=\"d3\" d=\"m40 12h4\"/>"), std::string::npos);
  EXPECT_EQ(count_of(svg, "<title>"), 7u) << "one per run";
  EXPECT_NE(svg.find("<rect x=\"352\" width=\"4\" height=\"24\"><title>Nov 20: 99.93%, 2 checks "
                     "failed</title></rect>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<title>Oct 3: 100%, 1 check warned</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Sep 3: 50.00%</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Sep 4 – Oct 2: 100%, no incidents</title>"), std::string::npos);
  EXPECT_NE(svg.find("<rect x=\"356\" width=\"3\" height=\"24\"><title>Nov 21: 100%</title>"),
            std::string::npos)
      << "a lone perfect day, whose shape stops at the end of the bar";
}

TEST(UptimeBar, MergesDaysWithoutDataAndNamesIncidents) {
  auto days = clean_days();
  for (int i = 0; i < 80; ++i) days[i].uptime.reset();
  StatusReport a, b;
  a.title = "Checkout <errors>";
  b.title = "DNS";
  days[85].incidents = {&a};
  days[86].incidents = {&a, &b};
  days[88].incidents = {&b};
  std::string svg = bar(days);
  EXPECT_NE(svg.find("<path class=\"d4\" d=\"m0 12h320\"/>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title>Aug 24 – Nov 11: no data</title>"), std::string::npos);
  EXPECT_NE(svg.find("<path class=\"d1\" d=\"m340 12h8m4 0h4\"/>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Nov 17 – Nov 18: 100%, trouble on 2 days, 2 incidents: Checkout "
                     "&lt;errors&gt;; DNS</title>"),
            std::string::npos)
      << "a run of troubled days names its incidents";
  EXPECT_NE(svg.find("<title>Nov 20: 100%, incident: DNS</title>"), std::string::npos);
}

TEST(UptimeBar, PutsTheWordsPerWeekWhenThereAreMoreThanFifteenRuns) {
  auto days = clean_days();
  StatusReport incident;
  incident.title = "Slow checkout";
  for (int i = 0; i < 90; i += 2) days[i].uptime = 0.995;  // every other day
  days[0].uptime = 0.5;
  days[2].incidents = {&incident};
  days[5].uptime.reset();
  std::string svg = bar(days);
  EXPECT_EQ(count_of(svg, "<title>"), 13u) << "one per week";
  EXPECT_NE(svg.find("<rect x=\"0\" width=\"28\" height=\"24\"><title>Aug 24 – Aug 30: lowest "
                     "50.00%, trouble on 4 days, no data on 1 day, incident: Slow "
                     "checkout</title></rect>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<rect x=\"336\" width=\"23\" height=\"24\"><title>Nov 16 – Nov 21:"),
            std::string::npos)
      << "the last week has six days";
  EXPECT_NE(svg.find("<path class=\"d3\" d=\"m0 12h4\"/>"), std::string::npos)
      << "each day keeps its colour";
  EXPECT_NE(svg.find("<path class=\"d2\" d=\"m8 12h4m4 0h4m4 0h4"), std::string::npos);
  EXPECT_NE(svg.find("<path class=\"d4\" d=\"m20 12h4\"/>"), std::string::npos);

  auto calm = clean_days();
  for (int i = 0; i < 14; i += 2) calm[i].uptime = 0.995;  // 14 runs, then one to the end
  std::string calm_svg = bar(calm);
  EXPECT_EQ(count_of(calm_svg, "<title>"), 14u);
  EXPECT_EQ(count_of(calm_svg, ": 99.50%</title>"), 7u)
      << "up to fifteen runs every troubled day has its own words";
}

TEST(UptimeBar, StaysSmallWhateverTheDaysWere) {
  // The worst: trouble every day, the grade changing every day, so nothing merges.
  auto days = clean_days();
  for (std::size_t i = 0; i < days.size(); ++i) {
    days[i].uptime = i % 3 == 0 ? 0.5 : i % 3 == 1 ? 0.995 : 1.0;
    days[i].warned = i % 3 == 2;
    days[i].failing_checks = i % 3 == 2 ? 0 : 12;
    days[i].warning_checks = i % 3 == 2 ? 7 : 0;
  }
  std::string svg = bar(days);
  EXPECT_EQ(count_of(svg, "<path "), 3u);
  EXPECT_EQ(count_of(svg, "<title>"), 13u);
  EXPECT_NE(svg.find("<path class=\"d3\" d=\"m0 12h4m8 0h4m8 0h4"), std::string::npos) << svg;
  EXPECT_LT(svg.size(), 2400u) << svg;
}

TEST(UptimeBar, NeedsNoDefinitionsAndTheStylesheetDrawsItsDays) {
  std::string svg = bar(clean_days());
  EXPECT_EQ(svg.find("href"), std::string::npos);
  EXPECT_EQ(svg.find("url("), std::string::npos);
  // The paths are lines; the stylesheet makes them as tall as the bar, with dashes of a day and
  // gaps between days, and leaves the shapes that carry the words unpainted.
  const std::string& css = status_page_css();
  EXPECT_NE(css.find(".b path{stroke-width:24;stroke-dasharray:3 1}"), std::string::npos);
  EXPECT_NE(css.find(".b rect{fill:transparent}"), std::string::npos);
  EXPECT_NE(css.find(".d3{stroke:var(--dn)}"), std::string::npos);
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
