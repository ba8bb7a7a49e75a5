#include "web/page.hpp"

#include <gtest/gtest.h>

#include "fakes.hpp"
#include "web/http.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::web;
using namespace lk::web::testing;

namespace {

const TimePoint kNow = TimePoint{seconds{1'795'219'200}} + hours{8};  // 2026-11-21T08:00Z

StatusSnapshot snapshot_with(std::initializer_list<State> states) {
  StatusSnapshot s;
  s.generated_at = kNow;
  int i = 0;
  for (State state : states)
    add_check(s.checks, make_check("c" + std::to_string(i++), state, kNow));
  return s;
}

std::size_t count_of(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

}  // namespace

TEST(OverallBanner, SummarisesTheWorstOfTheChecks) {
  using S = State;
  struct Case {
    std::initializer_list<State> states;
    std::string_view want;
  } cases[] = {
      {{S::ok, S::ok, S::ok}, "All systems operational"},
      {{S::ok, S::warn, S::ok}, "Degraded performance"},
      {{S::ok, S::unknown}, "Degraded performance"},
      {{S::ok, S::fail, S::ok}, "Partial outage"},
      {{S::ok, S::fail, S::fail, S::ok}, "Partial outage"},
      {{S::fail, S::fail, S::ok}, "Major outage"},
      {{S::pending, S::pending}, "Waiting for first results"},
      {{S::pending, S::ok}, "All systems operational"},
      {{}, "No checks configured"},
  };
  for (const auto& c : cases) EXPECT_EQ(overall_banner(snapshot_with(c.states)).text, c.want);
}

TEST(OverallBanner, IgnoresPausedChecks) {
  StatusSnapshot s = snapshot_with({State::ok, State::fail});
  s.checks.spec(1).paused = true;
  EXPECT_EQ(overall_banner(s).text, "All systems operational");
}

TEST(StatusPage, HasLandmarksRefreshAndTheBanner) {
  std::string html = render_status_page(snapshot_with({State::ok, State::fail, State::fail}), kNow);
  for (std::string_view part :
       {"<!DOCTYPE html>", "<meta http-equiv=\"refresh\" content=\"30\">", "name=\"viewport\"",
        "<header>", "<main>", "<footer>", "Major outage", "prefers-color-scheme:dark",
        "href=\"/api/v1/checks\"", "href=\"/metrics\""})
    EXPECT_NE(html.find(part), std::string::npos) << part;
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(StatusPage, WritesEachStateAsAWordNotOnlyAColour) {
  std::string html = render_status_page(
      snapshot_with({State::ok, State::warn, State::fail, State::pending}), kNow);
  for (std::string_view word : {">Up<", ">Degraded<", ">Down<", ">Pending<"})
    EXPECT_NE(html.find(word), std::string::npos) << word;
}

TEST(StatusPage, EscapesHostileTextEverywhere) {
  const std::string hostile = "<script>alert(1)</script>";
  StatusSnapshot s = snapshot_with({State::fail});
  s.title = hostile;
  s.stats.version = hostile;
  s.checks.spec(0).name = hostile;
  s.checks.spec(0).group = hostile;
  s.checks.spec(0).target = hostile;
  s.checks.view(0).message = hostile;
  s.checks.spec(0).description = hostile;
  s.open_incidents.push_back(
      Incident{.id = 1, .check = hostile, .opened_at = kNow, .cause = hostile});
  s.recent_incidents.push_back(Incident{.id = 2,
                                        .check = hostile,
                                        .opened_at = kNow - hours{2},
                                        .closed_at = kNow,
                                        .cause = hostile});

  std::string html = render_status_page(s, kNow);

  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("alert(1)</"), std::string::npos);
  EXPECT_GE(count_of(html, "&lt;script&gt;alert(1)&lt;/script&gt;"), 9u);
}

TEST(StatusPage, GroupsChecksInConfigOrderWithServicesAsTheDefault) {
  StatusSnapshot s;
  s.generated_at = kNow;
  add_check(s.checks, make_check("api", State::ok, kNow, "Backend"));
  add_check(s.checks, make_check("blog", State::ok, kNow));
  add_check(s.checks, make_check("db", State::ok, kNow, "Backend"));
  std::string html = render_status_page(s, kNow);

  auto backend = html.find(">Backend</h2>");
  auto services = html.find(">Services</h2>");
  ASSERT_NE(backend, std::string::npos);
  ASSERT_NE(services, std::string::npos);
  EXPECT_LT(backend, services);
  EXPECT_LT(html.find(">db<"), services) << "db joins the Backend group it shares with api";
  EXPECT_GT(html.find(">blog<"), services);
}

TEST(StatusPage, ShowsOpenIncidentsWithTheirAgeAndRecentOnesWithTheirLength) {
  StatusSnapshot s = snapshot_with({State::fail});
  s.open_incidents.push_back(Incident{
      .id = 3, .check = "c0", .opened_at = kNow - minutes{12}, .cause = "connect refused"});
  s.recent_incidents.push_back(Incident{.id = 2,
                                        .check = "c0",
                                        .opened_at = kNow - hours{5},
                                        .closed_at = kNow - hours{4},
                                        .cause = "TLS certificate expired"});
  std::string html = render_status_page(s, kNow);
  EXPECT_NE(html.find("<td>12m</td>"), std::string::npos);
  EXPECT_NE(html.find("connect refused"), std::string::npos);
  EXPECT_NE(html.find("<td>1h</td>"), std::string::npos);
  EXPECT_NE(html.find("TLS certificate expired"), std::string::npos);
  EXPECT_EQ(html.find("No open incidents"), std::string::npos);
}

TEST(StatusPage, DatesTheFooterForPeopleAndForMachines) {
  std::string html = render_status_page(snapshot_with({State::ok}), kNow);
  EXPECT_NE(html.find("<time datetime=\"2026-11-21T08:00:00.000Z\">2026-11-21 08:00 UTC</time>"),
            std::string::npos);
}

TEST(StatusPage, SaysSoWhenThereAreNoIncidents) {
  std::string html = render_status_page(snapshot_with({State::ok}), kNow);
  EXPECT_NE(html.find("No open incidents."), std::string::npos);
  EXPECT_NE(html.find("No recent incidents."), std::string::npos);
}

TEST(StatusPage, StaysUnder150KilobytesOnTheWireForAHundredChecks) {
  StatusSnapshot s;
  s.generated_at = kNow;
  for (int i = 0; i < 100; ++i) {
    auto check = make_check("service-" + std::to_string(i), State::ok, kNow,
                            "group-" + std::to_string(i % 5));
    CheckView& c = check.view;
    // Realistic variety, so that compression is not flattered by identical days.
    for (std::size_t d = 0; d < c.days.size(); ++d)
      c.days[d].failures = (i * 7 + int(d)) % 11 == 0 ? i % 4 : 0;
    c.sparkline_ms.clear();
    for (int k = 0; k < 60; ++k) c.sparkline_ms.push_back(float(80 + (i * 13 + k * 7) % 50));
    add_check(s.checks, std::move(check));
  }
  std::string html = render_status_page(s, kNow);
  std::string wire = gzip(html);
  RecordProperty("uncompressed_bytes", std::to_string(html.size()));
  RecordProperty("gzip_bytes", std::to_string(wire.size()));
  EXPECT_LT(wire.size(), 150u * 1024) << "uncompressed " << html.size();
  EXPECT_LT(html.size(), 1024u * 1024) << "even without gzip it must stay well under a megabyte";
}
