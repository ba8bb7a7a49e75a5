#include "web/page.hpp"

#include <gtest/gtest.h>

#include "site_fixtures.hpp"
#include "web/component_page.hpp"
#include "web/http.hpp"
#include "web/page_style.hpp"
#include "web/report_page.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::web;
using namespace lk::web::testing;

namespace {

const TimePoint kNow = TimePoint{seconds{1'795'219'200}} + hours{8};  // 2026-11-21T08:00Z

std::size_t count_of(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

// A shop: two web servers behind one component (one of them down), a checkout API and a
// database in another group.
StatusSnapshot shop() {
  StatusSnapshot s;
  s.generated_at = kNow;
  add_check(s.checks, make_check("web1", State::ok, kNow));
  add_check(s.checks, make_check("web2", State::fail, kNow));
  add_check(s.checks, make_check("api", State::ok, kNow));
  add_check(s.checks, make_check("db", State::ok, kNow));
  auto site = std::make_shared<SiteSpec>();
  site->components = {make_component("web", {"web1", "web2"}, "Shop"),
                      make_component("checkout", {"api"}, "Shop"),
                      make_component("database", {"db"}, "Data")};
  site->components[0].name = "Web shop";
  StatusPageSpec page;
  page.slug = "main";
  page.title = "Acme";
  page.description = "Everything Acme runs";
  page.components = {"web", "database", "checkout"};
  site->pages = {page};
  s.site = site;
  return s;
}

std::string render(const StatusSnapshot& s, std::size_t page = 0) {
  return render_status_page(PageContext{s, *s.site, s.site->pages[page], s.generated_at});
}

SiteSpec& site_of(StatusSnapshot& s) {
  return const_cast<SiteSpec&>(*s.site);
}

// The levels of the headings in document order.
std::vector<int> heading_levels(const std::string& html) {
  std::vector<int> levels;
  for (auto p = html.find("<h"); p != std::string::npos; p = html.find("<h", p + 1))
    if (p + 3 < html.size() && html[p + 2] >= '1' && html[p + 2] <= '6' &&
        (html[p + 3] == '>' || html[p + 3] == ' '))
      levels.push_back(html[p + 2] - '0');
  return levels;
}

void expect_headings_in_order(const std::string& html) {
  auto levels = heading_levels(html);
  ASSERT_FALSE(levels.empty());
  EXPECT_EQ(levels.front(), 1);
  EXPECT_EQ(std::count(levels.begin(), levels.end(), 1), 1) << "one <h1>";
  for (std::size_t i = 1; i < levels.size(); ++i)
    EXPECT_LE(levels[i], levels[i - 1] + 1) << "heading " << i << " skips a level";
}

}  // namespace

TEST(StatusPage, HasLandmarksASkipLinkAndTheBanner) {
  std::string html = render(shop());
  for (std::string_view part :
       {"<!DOCTYPE html>", "<html lang=\"en\">", "name=\"viewport\"", "<header>", "<nav ",
        "<main id=\"main\"", "<footer>", "href=\"#main\">Skip to main content",
        "prefers-color-scheme:dark", "<script src=\"/static/live.js\" defer></script>",
        "<noscript><meta http-equiv=\"refresh\"", "application/atom+xml",
        "role=\"status\">Degraded performance</p>", "<h1>Acme</h1>", "Everything Acme runs"})
    EXPECT_NE(html.find(part), std::string::npos) << part;
  EXPECT_EQ(count_of(html, "<script"), 1u) << "the one external script, nothing inline";
  expect_headings_in_order(html);
}

TEST(StatusPage, ShowsOneOfTwoServersDownAsDegradedWithAWord) {
  std::string html = render(shop());
  EXPECT_NE(html.find("Web shop</a>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"st s-dg\">Degraded</span>"), std::string::npos);
  EXPECT_EQ(count_of(html, "<span class=\"st s-ok\">Operational</span>"), 2u);
}

TEST(StatusPage, GroupsComponentsInPageOrderAndLinksEachToItsPage) {
  std::string html = render(shop());
  auto shop_group = html.find("<h3>Shop</h3>");
  auto data_group = html.find("<h3>Data</h3>");
  ASSERT_NE(shop_group, std::string::npos);
  ASSERT_NE(data_group, std::string::npos);
  EXPECT_LT(shop_group, data_group) << "Shop's first component comes first on the page";
  auto checkout = html.find("href=\"/status/main/components/checkout\"");
  EXPECT_LT(checkout, data_group) << "checkout joins the Shop group it shares with web";
  EXPECT_GT(html.find("href=\"/status/main/components/database\""), data_group);
  EXPECT_NE(html.find("href=\"/status/main/history\""), std::string::npos);
}

TEST(StatusPage, LeavesOutGroupHeadingsWhenThereAreNoGroups) {
  StatusSnapshot s = shop();
  for (auto& c : site_of(s).components) c.group.clear();
  std::string html = render(s);
  EXPECT_EQ(html.find("<h3>"), std::string::npos);
  EXPECT_EQ(count_of(html, "<ul class=\"cs\">"), 1u);
}

TEST(StatusPage, DrawsNinetyDaysPerComponentWithTextForEachDay) {
  StatusSnapshot s = shop();
  s.checks.view(0).days[87].failures = 20;  // web1 alone: web was up (rule all)
  s.checks.view(0).days[88].failures = 20;  // both servers: web was down while both were
  s.checks.view(1).days[88].failures = 10;
  std::string html = render(s);
  EXPECT_EQ(count_of(html, "<svg class=\"b\""), 3u);
  EXPECT_EQ(html.find("<title>Nov 19"), std::string::npos) << "a clean day for the component";
  EXPECT_NE(html.find("<title>Nov 20: 99.30%, 2 checks failed</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>Aug 24 – Nov 19: 100%, no incidents</title>"), std::string::npos)
      << "the perfect days before it are one run";
  EXPECT_NE(html.find("aria-label=\"90-day uptime 99.00%, 1 day with trouble\""),
            std::string::npos);
}

TEST(StatusPage, ShowsActiveIncidentsWithImpactAndTheirLatestUpdate) {
  StatusSnapshot s = shop();
  StatusReport r =
      make_report(5, "Checkout errors", ReportState::identified, kNow - minutes{30}, {"checkout"});
  r.impact = Impact::major;
  r.updates.insert(r.updates.begin(), ReportUpdate{.id = 51,
                                                   .at = kNow - minutes{5},
                                                   .state = ReportState::identified,
                                                   .message = "The **payment** provider is down."});
  s.reports.push_back(r);
  std::string html = render(s);
  auto section = html.find("<h2 id=\"h-a\">Active incidents</h2>");
  ASSERT_NE(section, std::string::npos);
  EXPECT_NE(html.find("<a href=\"/status/main/incidents/5\">Checkout errors</a>", section),
            std::string::npos);
  EXPECT_NE(html.find("Major impact"), std::string::npos);
  EXPECT_NE(html.find(">Identified<"), std::string::npos);
  EXPECT_NE(html.find("Affects <a href=\"/status/main/components/checkout\">Component "
                      "checkout</a>"),
            std::string::npos);
  EXPECT_NE(html.find("The <strong>payment</strong> provider is down."), std::string::npos);
}

TEST(StatusPage, AnnouncesMaintenanceInProgressAndScheduledWithItsWindow) {
  StatusSnapshot s = shop();
  StatusReport later =
      make_report(8, "Database upgrade", ReportState::scheduled, kNow - days{1}, {"database"});
  later.starts_at = kNow + days{2};
  later.ends_at = kNow + days{2} + hours{1};
  StatusReport now =
      make_report(9, "Web server patching", ReportState::in_progress, kNow - hours{1}, {"web"});
  now.starts_at = kNow - hours{1};
  now.ends_at = kNow + hours{1};
  s.reports = {now, later};
  std::string html = render(s);
  auto section = html.find(">Maintenance</h2>");
  ASSERT_NE(section, std::string::npos);
  auto patching = html.find("Web server patching");
  auto upgrade = html.find("Database upgrade");
  EXPECT_LT(section, patching);
  EXPECT_LT(patching, upgrade) << "the one in progress first";
  EXPECT_NE(html.find(">In progress<"), std::string::npos);
  EXPECT_NE(html.find(">Scheduled<"), std::string::npos);
  EXPECT_NE(html.find("Scheduled for <time datetime=\"2026-11-23T08:00:00.000Z\">2026-11-23 "
                      "08:00 UTC</time> to <time datetime=\"2026-11-23T09:00:00.000Z\">"),
            std::string::npos)
      << html.substr(section, 1200);
}

TEST(StatusPage, ListsOnlyThePastWeeksResolvedIncidentsOfItsComponents) {
  StatusSnapshot s = shop();
  s.reports = {make_report(4, "Slow pages", ReportState::resolved, kNow - days{2}, {"web"}),
               make_report(3, "Old trouble", ReportState::resolved, kNow - days{8}, {"web"}),
               make_report(2, "Other client", ReportState::resolved, kNow - days{1}, {"mail"}),
               make_report(1, "Everyone", ReportState::resolved, kNow - days{1})};
  std::string html = render(s);
  auto past = html.find(">Past incidents</h2>");
  ASSERT_NE(past, std::string::npos);
  EXPECT_GT(html.find(">Slow pages</a>"), past);
  EXPECT_NE(html.find(">Everyone</a>"), std::string::npos) << "a report naming no component";
  EXPECT_EQ(html.find(">Old trouble</a>"), std::string::npos);
  EXPECT_NE(html.find("incident: Old trouble</title>"), std::string::npos)
      << "though its day in the bar still names it";
  EXPECT_EQ(html.find("Other client"), std::string::npos);
  EXPECT_EQ(html.find("No incidents in the last 7 days"), std::string::npos);
}

TEST(StatusPage, SaysSoWhenNothingHappened) {
  std::string html = render(shop());
  EXPECT_NE(html.find("No incidents in the last 7 days."), std::string::npos);
  EXPECT_EQ(html.find("Active incidents"), std::string::npos);
}

TEST(StatusPage, EscapesEveryStringItIsGiven) {
  const std::string hostile = "<script>alert(1)</script>\"'";
  StatusSnapshot s = shop();
  SiteSpec& site = site_of(s);
  StatusPageSpec& page = site.pages[0];
  page.title = hostile;
  page.description = hostile;
  page.logo_url = "https://cdn.example.com/logo.png?a=\"><script>";
  page.logo_alt = hostile;
  page.footer_links = {{hostile, "https://example.com/?q=\"><script>"}, {hostile, hostile}};
  page.custom_css = "body{color:red}</style><script>alert(1)</script>";
  for (auto& c : site.components) {
    c.name = hostile;
    c.group = hostile;
    c.description = hostile;
  }
  StatusReport r = make_report(1, hostile, ReportState::investigating, kNow, {"web", hostile});
  r.updates[0].message = hostile;
  s.reports = {r, make_report(2, hostile, ReportState::resolved, kNow - hours{1})};

  std::string html = render(s);

  EXPECT_EQ(count_of(html, "<script"), 1u) << "only live.js";
  EXPECT_EQ(html.find("alert(1)</"), std::string::npos);
  EXPECT_EQ(html.find("</style><script"), std::string::npos);
  EXPECT_NE(html.find("\\3c /style>"), std::string::npos) << "custom CSS cannot end <style>";
  EXPECT_GE(count_of(html, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;"), 12u);
  EXPECT_EQ(html.find("href=\"<script"), std::string::npos) << "an unsafe link is left as text";
}

TEST(StatusPage, TakesItsBrandingFromThePageSpec) {
  StatusSnapshot s = shop();
  StatusPageSpec& page = site_of(s).pages[0];
  page.logo_url = "https://cdn.example.com/acme.svg";
  page.logo_alt = "Acme logo";
  page.colors.operational = "#00ff00";
  page.colors.down = "red;}body{display:none";  // not a colour: ignored
  page.footer_links = {{"Support", "https://acme.example/support"}};
  page.custom_css = ".banner{border-radius:0}";
  std::string html = render(s);
  EXPECT_NE(html.find("<img src=\"https://cdn.example.com/acme.svg\" alt=\"Acme logo\">"),
            std::string::npos);
  EXPECT_NE(html.find(":root{--ok:#00ff00;}"), std::string::npos);
  EXPECT_NE(html.find(".banner.s-ok{color:#111111}"), std::string::npos)
      << "dark text on a light custom colour";
  EXPECT_EQ(html.find("display:none"), std::string::npos);
  EXPECT_NE(html.find(".banner{border-radius:0}</style>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://acme.example/support\">Support</a>"), std::string::npos);
  EXPECT_EQ(content_security_policy(page),
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src "
            "'self'; img-src 'self' data: https://cdn.example.com; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'");
}

TEST(StatusPage, GivesTheLogoNoAltTextWhenItWouldRepeatTheTitle) {
  StatusSnapshot s = shop();
  StatusPageSpec& page = site_of(s).pages[0];
  page.logo_url = "/static/logo.png";
  page.logo_alt = page.title;
  EXPECT_NE(render(s).find("<img src=\"/static/logo.png\" alt=\"\">Acme</h1>"), std::string::npos);
  page.logo_url = "javascript:alert(1)";
  EXPECT_EQ(render(s).find("<img"), std::string::npos);
  EXPECT_EQ(content_security_policy(page).find("javascript"), std::string::npos);
}

TEST(Palettes, MeetWcagAaContrastInLightAndDark) {
  for (const Palette* p : {&kLightPalette, &kDarkPalette}) {
    for (std::string_view background : {p->bg, p->card}) {
      for (std::string_view text :
           {p->fg, p->muted, p->link, p->ok, p->degraded, p->down, p->maintenance, p->no_data})
        EXPECT_GE(contrast_ratio(text, background), 4.5) << text << " on " << background;
    }
    for (std::string_view state : {p->ok, p->degraded, p->down, p->maintenance, p->no_data})
      EXPECT_GE(contrast_ratio(p->on_state, state), 4.5) << "banner text on " << state;
    for (std::string_view fill : {p->ok, p->degraded, p->down, p->minor_outage, p->no_data_bar})
      EXPECT_GE(contrast_ratio(fill, p->card), 3.0) << "bar " << fill;
  }
  EXPECT_NEAR(contrast_ratio("#000", "#fff"), 21.0, 1e-9);
  EXPECT_DOUBLE_EQ(contrast_ratio("red", "#fff"), 1.0);
}

TEST(StatusPage, StaysUnder150KilobytesForAThousandChecksInFortyComponents) {
  StatusSnapshot s = big_snapshot(1000, 40, kNow);
  // A few reports, as a real page has.
  s.reports = {make_report(3, "Checkout errors", ReportState::monitoring, kNow - hours{2}, {"c1"}),
               make_report(2, "Slow API", ReportState::resolved, kNow - days{3}, {"c2"}),
               make_report(1, "Outage", ReportState::resolved, kNow - days{20}, {"c3"})};
  std::string html = render(s);
  std::string wire = gzip(html);
  RecordProperty("uncompressed_bytes", std::to_string(html.size()));
  RecordProperty("gzip_bytes", std::to_string(wire.size()));
  std::cout << "[ size     ] 1,000 checks in 40 components: " << html.size() << " bytes, "
            << wire.size() << " gzip, " << brotli(html, 9).size() << " br\n";
  EXPECT_LT(html.size(), 100u * 1024) << "well under the budget of 150 KB";
  EXPECT_EQ(count_of(html, "<svg class=\"b\""), 40u);
}

TEST(StatusPage, StaysUnder150KilobytesWhenEveryComponentHadTroubleEveryOtherDay) {
  // The worst case for the bars: no run of days to merge, a different colour every day.
  StatusSnapshot s = big_snapshot(1000, 40, kNow);
  for (std::size_t i = 0; i < s.checks.size(); ++i) {
    CheckView& view = s.checks.view(i);
    for (std::size_t d = 0; d < view.days.size(); ++d)
      view.days[d].failures = (i + d) % 2 == 0 ? static_cast<std::uint32_t>(1 + d % 50) : 0;
  }
  std::string html = render(s);
  RecordProperty("worst_case_bytes", std::to_string(html.size()));
  std::cout << "[ size     ] every other day in trouble: " << html.size() << " bytes\n";
  EXPECT_LT(html.size(), 150u * 1024);
}

TEST(StatusPage, StaysUnder150KilobytesWhenEveryDayOfEveryComponentHadTrouble) {
  // The worst history there is for the bars: every check in trouble every day, the grade changing
  // from day to day (degraded, minor outage, major outage), so that no two neighbours merge.
  StatusSnapshot s = big_snapshot(1000, 40, kNow);
  s.reports = {make_report(3, "Checkout errors", ReportState::monitoring, kNow - hours{2}, {"c1"}),
               make_report(2, "Slow API", ReportState::resolved, kNow - days{3}, {"c2"}),
               make_report(1, "Outage", ReportState::resolved, kNow - days{20}, {"c3"})};
  for (std::size_t i = 0; i < s.checks.size(); ++i) {
    CheckView& view = s.checks.view(i);
    for (std::size_t d = 0; d < view.days.size(); ++d) {
      view.days[d].failures = d % 3 == 0 ? 0 : d % 3 == 1 ? 3 : 300 + static_cast<int>(i % 50);
      view.days[d].warnings = d % 3 == 0 ? 5 : 0;
    }
  }
  std::string html = render(s);
  RecordProperty("worst_case_bytes", std::to_string(html.size()));
  std::cout << "[ size     ] every day in trouble, grades alternating: " << html.size()
            << " bytes\n";
  EXPECT_LT(html.size(), 150u * 1024);
  EXPECT_EQ(count_of(html, "aria-label=\"90-day uptime"), 40u);
  EXPECT_EQ(count_of(html, "90 days with trouble\""), 40u) << "the history is as bad as it gets";
  EXPECT_EQ(count_of(html, "<path class=\"d"), 3u * 40) << "one path per grade per bar";
  EXPECT_EQ(count_of(html, "<title>"), 1u + 13 * 40) << "the page's and a week's words per bar";
}

TEST(ReportPage, ShowsTheWholeTimelineNewestFirst) {
  StatusSnapshot s = shop();
  StatusReport r =
      make_report(5, "Checkout errors", ReportState::investigating, kNow - hours{2}, {"checkout"});
  r.updates = {
      {.id = 3, .at = kNow - hours{1}, .state = ReportState::resolved, .message = "Fixed."},
      {.id = 2,
       .at = kNow - hours{1} - minutes{30},
       .state = ReportState::monitoring,
       .message = "A fix is out."},
      {.id = 1,
       .at = kNow - hours{2},
       .state = ReportState::identified,
       .message = "Payment *provider* down."}};
  r.state = ReportState::resolved;
  r.resolved_at = kNow - hours{1};
  const PageContext ctx{s, *s.site, s.site->pages[0], kNow};
  std::string html = render_report_page(ctx, r);
  auto resolved = html.find("<li><h3>Resolved");
  auto monitoring = html.find("<li><h3>Monitoring");
  auto identified = html.find("<li><h3>Identified");
  ASSERT_NE(resolved, std::string::npos);
  EXPECT_LT(resolved, monitoring);
  EXPECT_LT(monitoring, identified);
  EXPECT_NE(html.find("<h1>Checkout errors</h1>"), std::string::npos);
  EXPECT_NE(html.find("Payment <em>provider</em> down."), std::string::npos);
  EXPECT_NE(html.find("lasted 1h"), std::string::npos);
  expect_headings_in_order(html);
}

TEST(HistoryPage, GroupsByMonthAndLinksToOlderPages) {
  StatusSnapshot s = shop();
  const PageContext ctx{s, *s.site, s.site->pages[0], kNow};
  HistoryView view;
  view.reports = {make_report(30, "Recent", ReportState::resolved, kNow - days{2}),
                  make_report(29, "Last month", ReportState::resolved, kNow - days{40})};
  view.older_before = 29;
  view.is_newest = false;
  std::string html = render_history_page(ctx, view);
  EXPECT_NE(html.find("<h2>November 2026</h2>"), std::string::npos);
  EXPECT_NE(html.find("<h2>October 2026</h2>"), std::string::npos);
  EXPECT_NE(html.find("href=\"/status/main/history?before=29\">Older incidents"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"/status/main/history\">Newest incidents"), std::string::npos);
  expect_headings_in_order(html);
}

TEST(ComponentPage, ShowsUptimesGraphRangesAndEveryDay) {
  StatusSnapshot s = shop();
  s.checks.view(0).days[88].failures = 20;
  const PageContext ctx{s, *s.site, s.site->pages[0], kNow};
  auto status = evaluate_component(s.site->components[0], CheckIndex(s.checks), s.reports, kNow);
  std::vector<LatencyPoint> points = {{.bucket = kNow - hours{2},
                                       .avg_ms = 100,
                                       .min_ms = 50,
                                       .p95_ms = 180,
                                       .max_ms = 400,
                                       .count = 60},
                                      {.bucket = kNow - hours{1},
                                       .avg_ms = 120,
                                       .min_ms = 60,
                                       .p95_ms = 200,
                                       .max_ms = 900,
                                       .count = 60,
                                       .failures = 2}};
  std::string html =
      render_component_page(ctx, status, HistoryRange::week, points, kNow - days{7}, kNow);
  for (std::string_view part :
       {"<h1>Web shop <span class=\"st s-dg\">Degraded</span></h1>",
        "an outage when all of them are down, degraded when some are",
        "<dt>Last 24 hours</dt><dd>100%</dd>", "<dt>Last 90 days</dt><dd>99.00%</dd>",
        "href=\"/status/main/components/web?range=week#rt\" aria-current=\"page\">Week</a>",
        "href=\"/status/main/components/web?range=year#rt\">Year</a>", "<svg class=\"rt\"",
        "average 110 ms, 95th percentile up to 200 ms, slowest 900 ms; failures in 1 of 2 hours",
        "<details><summary>Day by day</summary>",
        "<tr><th scope=\"row\">2026-11-20</th><td>100%</td><td>failures on 1 check</td></tr>"})
    EXPECT_NE(html.find(part), std::string::npos) << part;
  EXPECT_EQ(count_of(html, "<tr><th scope=\"row\">"), 90u);
  expect_headings_in_order(html);
}
