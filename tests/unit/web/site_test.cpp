#include "web/site.hpp"

#include <gtest/gtest.h>

#include "decompress.hpp"

#include "site_fixtures.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::web;
using namespace lk::web::testing;

namespace {

const TimePoint kNow = TimePoint{seconds{1'795'219'200}} + hours{8};

class SiteTest : public ::testing::Test {
 protected:
  SiteTest() {
    StatusSnapshot s;
    s.generated_at = kNow;
    s.generation = 1;
    add_check(s.checks, make_check("web1", State::ok, kNow));
    add_check(s.checks, make_check("web2", State::fail, kNow));
    add_check(s.checks, make_check("mx", State::ok, kNow));
    auto site = std::make_shared<SiteSpec>();
    site->components = {make_component("web", {"web1", "web2"}, "Shop"),
                        make_component("mail", {"mx"}), make_component("hidden", {"mx"})};
    StatusPageSpec main, other;
    main.slug = "main";
    main.title = "Acme";
    main.components = {"web"};
    other.slug = "client-b";
    other.title = "Client B";
    other.components = {"mail"};
    site->pages = {main, other};
    s.site = site;
    s.reports = {make_report(3, "Web errors", ReportState::investigating, kNow, {"web"}),
                 make_report(2, "Mail delays", ReportState::resolved, kNow, {"mail"})};
    snapshot = std::make_shared<const StatusSnapshot>(std::move(s));
  }

  Response get(std::string_view target, std::string_view method = "GET",
               std::map<std::string, std::string> headers = {}) {
    Request request = make_request(method, target);
    for (auto& [k, v] : headers) request.headers[k] = v;
    return site.answer(request, snapshot, kNow);
  }

  /// The same snapshot as a new generation (what the app publishes on every change).
  void publish(std::function<void(StatusSnapshot&)> change = {}) {
    StatusSnapshot next = *snapshot;
    ++next.generation;
    if (change) change(next);
    snapshot = std::make_shared<const StatusSnapshot>(std::move(next));
  }

  ReportStore store;
  Site site{store};
  std::shared_ptr<const StatusSnapshot> snapshot;
};

}  // namespace

TEST_F(SiteTest, OwnsItsPathsAndNoOthers) {
  for (auto path : {"/", "/status", "/status/main/", "/badge/web.svg", "/static/live.js"})
    EXPECT_TRUE(Site::owns(path)) << path;
  for (auto path : {"/api/v1/checks", "/checks/web1", "/metrics", "/events", "/statusx"})
    EXPECT_FALSE(Site::owns(path)) << path;
}

TEST_F(SiteTest, ServesEveryUrlOfThePage) {
  store.stored_rollups = {store::Rollup{.check = "web1",
                                        .location = "local",
                                        .resolution = store::Resolution::hour,
                                        .bucket = kNow - hours{3},
                                        .count = 60,
                                        .latency_avg_ms = 120}};
  struct Case {
    const char* target;
    std::string_view content_type;
    std::string_view contains;
  } cases[] = {
      {"/", "text/html; charset=utf-8", "<h1>Acme</h1>"},
      {"/status/main/", "text/html; charset=utf-8", "<h1>Acme</h1>"},
      {"/status/main", "text/html; charset=utf-8", "<h1>Acme</h1>"},
      {"/status/client-b/", "text/html; charset=utf-8", "<h1>Client B</h1>"},
      {"/status/main/components/web", "text/html; charset=utf-8", "<h1>Component web"},
      {"/status/main/components/web?range=month", "text/html; charset=utf-8", "average 120 ms"},
      {"/status/main/incidents/3", "text/html; charset=utf-8", "<h1>Web errors</h1>"},
      {"/status/main/history", "text/html; charset=utf-8", "<h1>Incident history</h1>"},
      {"/status/main/feed.atom", "application/atom+xml; charset=utf-8", "<feed"},
      {"/badge/web.svg", "image/svg+xml", "Component web: degraded"},
      {"/badge/mail/uptime.svg?period=7d", "image/svg+xml", "uptime 7d: 99.99%"},
      {"/badge/mail/uptime.svg", "image/svg+xml", "uptime 30d: 99.90%"},
      {"/static/live.js", "text/javascript; charset=utf-8", "new EventSource(\"/events\")"},
  };
  for (const auto& c : cases) {
    Response r = get(c.target);
    EXPECT_EQ(r.status, 200) << c.target << "\n" << r.body;
    EXPECT_EQ(r.content_type, c.content_type) << c.target;
    EXPECT_NE(r.body.find(c.contains), std::string::npos) << c.target;
    EXPECT_FALSE(r.header("ETag").empty()) << c.target;
    EXPECT_EQ(get(c.target, "HEAD").body, r.body) << "HEAD: " << c.target;
  }
  ASSERT_FALSE(store.rollup_reads.empty());
  EXPECT_EQ(store.rollup_reads.back().checks, (std::vector<std::string>{"web1", "web2"}));
  EXPECT_EQ(store.rollup_reads.back().resolution, store::Resolution::hour);
  EXPECT_EQ(store.rollup_reads.back().from, kNow - days{30});
}

TEST_F(SiteTest, ReadsTheRollupsThatFitTheRange) {
  struct Case {
    const char* range;
    store::Resolution resolution;
    Duration span;
  } cases[] = {{"day", store::Resolution::minute, hours{24}},
               {"week", store::Resolution::hour, days{7}},
               {"month", store::Resolution::hour, days{30}},
               {"year", store::Resolution::day, days{365}}};
  for (const auto& c : cases) {
    ASSERT_EQ(get(std::string("/status/main/components/web?range=") + c.range).status, 200);
    EXPECT_EQ(store.rollup_reads.back().resolution, c.resolution) << c.range;
    EXPECT_EQ(store.rollup_reads.back().to - store.rollup_reads.back().from, c.span) << c.range;
  }
}

TEST_F(SiteTest, AnswersUnknownThingsWith404AndBadParametersWith400) {
  for (auto target :
       {"/status/nope/", "/status/main/components/mail", "/status/main/components/nope",
        "/status/main/incidents/2", "/status/main/incidents/99", "/status/main/incidents/x",
        "/status/main/x", "/status", "/badge/nope.svg", "/badge/hidden.svg", "/badge/web",
        "/static/other.js", "/status/nope/feed.atom"}) {
    Response r = get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.header("Cache-Control"), "no-store") << target;
  }
  for (auto target : {"/status/main/components/web?range=decade", "/status/main/history?before=0",
                      "/status/main/history?before=x", "/badge/web/uptime.svg?period=1y"})
    EXPECT_EQ(get(target).status, 400) << target;
  EXPECT_EQ(store.report_reads, (std::vector<std::int64_t>{99}))
      << "reports not in the snapshot are looked up in the store";
}

TEST_F(SiteTest, RefusesOtherMethods) {
  Response r = get("/status/main/", "POST");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, HEAD");
}

TEST_F(SiteTest, SendsTheStrictContentSecurityPolicyWithEveryPage) {
  Response r = get("/");
  EXPECT_EQ(r.header("Content-Security-Policy"),
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src "
            "'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'");
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("Cache-Control"), "no-cache");
  EXPECT_NE(get("/badge/web.svg").header("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
}

TEST_F(SiteTest, AnswersIfNoneMatchWith304) {
  Response first = get("/status/main/");
  const std::string etag(first.header("ETag"));
  ASSERT_EQ(etag.front(), '"');
  Response again = get("/status/main/", "GET", {{"if-none-match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("ETag"), etag);
  EXPECT_EQ(get("/", "GET", {{"if-none-match", "W/" + etag}}).status, 304)
      << "the front page is the same bytes";
  EXPECT_EQ(get("/", "GET", {{"if-none-match", "\"other\", " + etag}}).status, 304);
  EXPECT_EQ(get("/", "GET", {{"if-none-match", "\"other\""}}).status, 200);
}

TEST_F(SiteTest, ServesBrotliOrGzipAsTheClientPrefersWithTheirOwnTags) {
  Response plain = get("/status/main/");
  Response br = get("/status/main/", "GET", {{"accept-encoding", "gzip, deflate, br"}});
  Response gz = get("/status/main/", "GET", {{"accept-encoding", "gzip"}});
  EXPECT_EQ(br.header("Content-Encoding"), "br");
  EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
  EXPECT_EQ(plain.header("Content-Encoding"), "");
  for (const Response* r : {&plain, &br, &gz}) EXPECT_EQ(r->header("Vary"), "Accept-Encoding");
  EXPECT_EQ(unbrotli(br.body), plain.body);
  EXPECT_EQ(gunzip(gz.body), plain.body);
  EXPECT_NE(br.header("ETag"), plain.header("ETag"));
  EXPECT_NE(gz.header("ETag"), br.header("ETag"));
  EXPECT_EQ(get("/status/main/", "GET",
                {{"accept-encoding", "gzip"}, {"if-none-match", std::string(br.header("ETag"))}})
                .status,
            304)
      << "any encoding's tag names the same page";
  // What the server does after the router: leave an encoded answer alone.
  Request request = make_request("GET", "/status/main/");
  request.headers["accept-encoding"] = "gzip";
  Response again = gz;
  compress_if_accepted(request, again);
  EXPECT_EQ(again.body, gz.body);
}

TEST_F(SiteTest, RendersOncePerSnapshotGeneration) {
  const std::string body = get("/status/main/").body;
  const auto renders = site.renders();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(get("/status/main/").body, body);
  EXPECT_EQ(get("/").body, body);
  EXPECT_EQ(site.renders(), renders) << "served from the cache";

  publish([](StatusSnapshot& s) { s.checks.view(1).state = State::ok; });
  Response fresh = get("/status/main/");
  EXPECT_EQ(site.renders(), renders + 1);
  EXPECT_NE(fresh.body, body);
  EXPECT_NE(fresh.body.find("All systems operational"), std::string::npos);
}

TEST_F(SiteTest, KeepsTheTagAndCompressedBytesWhenANewSnapshotRendersTheSame) {
  Response first = get("/status/main/", "GET", {{"accept-encoding", "br"}});
  publish();
  Response second = get("/status/main/", "GET", {{"accept-encoding", "br"}});
  EXPECT_EQ(second.header("ETag"), first.header("ETag"));
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(
      get("/status/main/", "GET", {{"if-none-match", std::string(first.header("ETag"))}}).status,
      304)
      << "a client keeps its copy across snapshots that change nothing it shows";
}

TEST_F(SiteTest, ReRendersForADifferentSnapshotOfTheSameGeneration) {
  // Callers that never set a generation still see their changes.
  const std::string body = get("/").body;
  StatusSnapshot same_generation = *snapshot;
  same_generation.checks.view(1).state = State::ok;
  snapshot = std::make_shared<const StatusSnapshot>(std::move(same_generation));
  EXPECT_NE(get("/").body, body);
}

TEST_F(SiteTest, PagesTheHistoryFromTheStoreKeepingOnlyThePagesReports) {
  for (int id = 1; id <= 45; ++id)
    store.reports.push_back(make_report(id, "Report " + std::to_string(id), ReportState::resolved,
                                        kNow - hours{id}, {id % 3 == 0 ? "mail" : "web"}));
  Response first = get("/status/main/history");
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find(">Report 44<"), std::string::npos);
  EXPECT_EQ(first.body.find(">Report 45<"), std::string::npos) << "another page's report";
  // 30 of the 45 are the page's: 44 43 41 40 ... the 20th is 16.
  EXPECT_NE(first.body.find(">Report 16<"), std::string::npos);
  EXPECT_EQ(first.body.find(">Report 14<"), std::string::npos);
  EXPECT_NE(first.body.find("href=\"/status/main/history?before=16\">Older incidents"),
            std::string::npos);
  Response second = get("/status/main/history?before=16");
  EXPECT_NE(second.body.find(">Report 14<"), std::string::npos);
  EXPECT_NE(second.body.find(">Report 1<"), std::string::npos);
  EXPECT_EQ(second.body.find("Older incidents"), std::string::npos) << "the last page";
  EXPECT_NE(second.body.find("Newest incidents"), std::string::npos);
}

TEST_F(SiteTest, FallsBackToTheSnapshotsReportsWhenTheStoreKeepsNone) {
  Response r = get("/status/main/history");
  EXPECT_NE(r.body.find("Web errors"), std::string::npos);
  EXPECT_EQ(r.body.find("Mail delays"), std::string::npos);
}

TEST_F(SiteTest, FindsOlderReportsInTheStore) {
  store.reports.push_back(
      make_report(1, "Ancient outage", ReportState::resolved, kNow - days{200}, {"web"}));
  Response r = get("/status/main/incidents/1");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Ancient outage"), std::string::npos);
}

TEST_F(SiteTest, BuildsADefaultSiteForASnapshotWithoutOne) {
  publish([](StatusSnapshot& s) {
    s.site = nullptr;
    s.title = "Plain";
  });
  Response r = get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<h1>Plain</h1>"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/status/status/components/web1\""), std::string::npos);
  EXPECT_EQ(get("/status/status/components/mx").status, 200);
  EXPECT_EQ(get("/badge/web2.svg").status, 200);
}

TEST_F(SiteTest, ServesAnEmptySnapshotAndNoSnapshotAtAll) {
  Response r = site.answer(make_request("GET", "/"), nullptr, kNow);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("No components configured"), std::string::npos);
}

TEST_F(SiteTest, EncodesComponentIdsInItsLinks) {
  publish([](StatusSnapshot& s) {
    auto site = std::make_shared<SiteSpec>(*s.site);
    site->components[0].id = "web site/a";
    site->pages[0].components = {"web site/a"};
    s.site = site;
  });
  Response page = get("/status/main/");
  EXPECT_NE(page.body.find("href=\"/status/main/components/web%20site%2Fa\""), std::string::npos);
  EXPECT_EQ(get("/status/main/components/web%20site%2Fa").status, 200);
}

TEST_F(SiteTest, ServesTheLiveScriptSmallAndCacheable) {
  Response r = get("/static/live.js");
  EXPECT_LT(r.body.size(), 2500u);
  EXPECT_NE(r.header("Cache-Control").find("max-age"), std::string::npos);
  EXPECT_NE(r.body.find("document.querySelector(\"main\")"), std::string::npos);
  EXPECT_NE(r.body.find("addEventListener(\"status\""), std::string::npos)
      << "the app announces page changes as \"status\" events";
}
