#include "web/router.hpp"
#include "web/check_page.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::web;
using namespace lk::web::testing;
using Json = nlohmann::json;

namespace {

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    StatusSnapshot snapshot;
    snapshot.generated_at = clock.now();
    add_check(snapshot.checks, make_check("homepage", State::ok, clock.now(), "Web"));
    add_check(snapshot.checks, make_check("web site/a", State::fail, clock.now()));
    snapshot.stats.version = "0.1.0";
    source.set(std::move(snapshot));
  }

  Response get(std::string_view target, std::string_view method = "GET") {
    return router.handle(make_request(method, target));
  }

  static Json json_of(const Response& response) {
    EXPECT_EQ(response.content_type, "application/json");
    return Json::parse(response.body);
  }

  ManualClock clock;
  FakeStatusSource source;
  FakeStore store;
  Router router{source, store, clock};
};

}  // namespace

TEST_F(RouterTest, HealthzAnswersOk) {
  Response r = get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
}

TEST_F(RouterTest, HeadGetsTheSameAnswerAsGet) {
  EXPECT_EQ(get("/healthz", "HEAD").status, 200);
  EXPECT_EQ(get("/api/v1/checks", "HEAD").body, get("/api/v1/checks").body);
}

TEST_F(RouterTest, OtherMethodsGet405WithAllow) {
  Response page = get("/", "POST");
  EXPECT_EQ(page.status, 405);
  EXPECT_EQ(page.header("Allow"), "GET, HEAD");

  // From loopback: without API tokens only loopback clients may write at all (see
  // api_write_test.cpp); what is tested here is the method.
  Request del = make_request("DELETE", "/api/v1/checks");
  del.from_loopback = true;
  Response api = router.handle(del);
  EXPECT_EQ(api.status, 405);
  EXPECT_EQ(api.header("Allow"), "GET, HEAD");
  EXPECT_TRUE(json_of(api)["error"]["message"].get<std::string>().find("DELETE") !=
              std::string::npos);
}

TEST_F(RouterTest, UnknownPathsGet404AsTextOrAsJsonUnderApi) {
  Response page = get("/nope");
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.content_type.substr(0, 10), "text/plain");

  for (const char* target : {"/api/v2/checks", "/api/v1/nope", "/api/v1/checks/homepage/nope"}) {
    Response api = get(target);
    EXPECT_EQ(api.status, 404) << target;
    EXPECT_TRUE(json_of(api)["error"].contains("message")) << target;
  }
}

TEST_F(RouterTest, UnparsableTargetIs400) {
  EXPECT_EQ(get("/a%zz").status, 400);
  EXPECT_EQ(get("*").status, 400);
}

TEST_F(RouterTest, StatusPageIsHtmlWithAStrictContentSecurityPolicy) {
  Response r = get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.header("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  EXPECT_NE(r.body.find("homepage"), std::string::npos);
}

TEST_F(RouterTest, MetricsUsePrometheusTextFormat) {
  store.canned_stats.results_written = 42;
  Response r = get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find("lightkeeper_store_results_written_total 42\n"), std::string::npos);
}

TEST_F(RouterTest, ChecksListsEveryCheckWithStateTimesAndDurations) {
  Json j = json_of(get("/api/v1/checks"));
  ASSERT_EQ(j["checks"].size(), 2u);
  const Json& c = j["checks"][0];
  EXPECT_EQ(c["name"], "homepage");
  EXPECT_EQ(c["group"], "Web");
  EXPECT_EQ(c["state"], "ok");
  EXPECT_EQ(c["last_status"], "ok");
  EXPECT_EQ(c["last_latency_ms"], 123.0);
  EXPECT_EQ(c["timings"]["connect_ms"], 20.0);
  EXPECT_TRUE(c["timings"]["tls_ms"].is_null());
  EXPECT_EQ(c["since"], format_time(clock.now() - hours{3}));
  EXPECT_EQ(c["uptime"]["7d"], 0.9999);
  EXPECT_TRUE(c["open_incident"].is_null());
  EXPECT_FALSE(c.contains("days")) << "the list stays small; history is per check";
}

TEST_F(RouterTest, OneCheckAddsNinetyDaysAndTheSparkline) {
  Json j = json_of(get("/api/v1/checks/homepage"));
  EXPECT_EQ(j["name"], "homepage");
  EXPECT_EQ(j["days"].size(), 90u);
  EXPECT_EQ(j["days"][0]["count"], 1440);
  ASSERT_EQ(j["sparkline_ms"].size(), 5u);
  EXPECT_TRUE(j["sparkline_ms"][2].is_null());
}

TEST_F(RouterTest, CheckNamesAreUrlDecodedAndMayContainSlashes) {
  Response r = get("/api/v1/checks/web%20site%2Fa");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json_of(r)["name"], "web site/a");
  EXPECT_EQ(get("/api/v1/checks/homepage/").status, 200) << "a trailing slash is ignored";
}

TEST_F(RouterTest, UnknownCheckIs404NamingTheField) {
  Response r = get("/api/v1/checks/x");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json_of(r),
            Json::parse(R"({"error": {"message": "no check named 'x'", "field": "name"}})"));
  EXPECT_EQ(get("/api/v1/checks/x/results").status, 404);
  EXPECT_EQ(get("/api/v1/checks/x/rollups").status, 404);
}

TEST_F(RouterTest, ResultsDefaultToTheLastHourAndAThousand) {
  Result result;
  result.check = "homepage";
  result.location = "local";
  result.started_at = clock.now() - minutes{1};
  result.duration = milliseconds{250};
  result.status = Status::warn;
  result.message = "slow";
  store.canned_results = {result};

  Json j = json_of(get("/api/v1/checks/homepage/results"));

  ASSERT_TRUE(store.last_results);
  EXPECT_EQ(store.last_results->check, "homepage");
  EXPECT_EQ(store.last_results->to, clock.now());
  EXPECT_EQ(store.last_results->from, clock.now() - hours{1});
  EXPECT_EQ(store.last_results->limit, 1000u);
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_EQ(j["results"][0]["status"], "warn");
  EXPECT_EQ(j["results"][0]["duration_ms"], 250.0);
  EXPECT_EQ(j["results"][0]["started_at"], format_time(clock.now() - minutes{1}));
}

TEST_F(RouterTest, ResultsAcceptRfc3339AndUnixSeconds) {
  auto r =
      get("/api/v1/checks/homepage/results?from=2026-11-20T00:00:00Z&to=1795219200&limit=10000");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(store.last_results->from, parse_time("2026-11-20T00:00:00Z"));
  EXPECT_EQ(store.last_results->to, TimePoint{seconds{1795219200}});
  EXPECT_EQ(store.last_results->limit, 10000u);
}

TEST_F(RouterTest, BadResultParametersAre400NamingTheField) {
  struct Case {
    const char* query;
    const char* field;
  } cases[] = {
      {"from=yesterday", "from"},
      {"to=2026-13-01T00:00:00Z", "to"},
      {"limit=0", "limit"},
      {"limit=10001", "limit"},
      {"limit=-5", "limit"},
      {"limit=ten", "limit"},
      {"from=1763683200&to=1763600000", "from"},
  };
  for (const auto& c : cases) {
    Response r = get(std::string("/api/v1/checks/homepage/results?") + c.query);
    EXPECT_EQ(r.status, 400) << c.query;
    EXPECT_EQ(json_of(r)["error"]["field"], c.field) << c.query;
  }
}

TEST_F(RouterTest, RollupsDefaultToHoursOfTheLastDay) {
  store::Rollup rollup;
  rollup.check = "homepage";
  rollup.resolution = store::Resolution::hour;
  rollup.bucket = clock.now() - hours{2};
  rollup.count = 60;
  rollup.failures = 3;
  store.canned_rollups = {rollup};

  Json j = json_of(get("/api/v1/checks/homepage/rollups"));

  EXPECT_EQ(store.last_rollups->resolution, store::Resolution::hour);
  EXPECT_EQ(store.last_rollups->from, clock.now() - hours{24});
  EXPECT_EQ(j["resolution"], "hour");
  EXPECT_DOUBLE_EQ(j["rollups"][0]["uptime"].get<double>(), 0.95);
  EXPECT_EQ(j["rollups"][0]["resolution"], "hour");
}

TEST_F(RouterTest, RollupsRefuseUnknownResolutionsAndHugeMinuteRanges) {
  Response bad = get("/api/v1/checks/homepage/rollups?resolution=week");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json_of(bad)["error"]["field"], "resolution");

  Response wide = get("/api/v1/checks/homepage/rollups?resolution=minute&from=1763000000");
  EXPECT_EQ(wide.status, 400);
  EXPECT_EQ(json_of(wide)["error"]["field"], "from");

  EXPECT_EQ(get("/api/v1/checks/homepage/rollups?resolution=day").status, 200);
  EXPECT_EQ(store.last_rollups->resolution, store::Resolution::day);
}

namespace {

store::Rollup day_rollup(std::string check, TimePoint bucket, std::int64_t count,
                         std::int64_t failures) {
  store::Rollup r;
  r.check = std::move(check);
  r.location = "local";
  r.resolution = store::Resolution::day;
  r.bucket = bucket;
  r.count = count;
  r.failures = failures;
  r.warnings = 1;
  r.latency_min_ms = 1.25;
  r.latency_avg_ms = 12.3456789;
  r.latency_max_ms = 230;
  r.latency_p95_ms = 99.9996;
  return r;
}

}  // namespace

TEST_F(RouterTest, BatchRollupsGiveEveryCheckInConfigOrderWithThePerCheckRows) {
  const TimePoint today = floor<days>(clock.now());
  store.canned_rollups = {day_rollup("homepage", today - days{2}, 1440, 0),
                          day_rollup("homepage", today - days{1}, 1440, 36),
                          day_rollup("web site/a", today - days{1}, 720, 720)};

  Json batch = json_of(get("/api/v1/rollups?resolution=day"));

  ASSERT_TRUE(store.last_rollups_many);
  EXPECT_EQ(store.last_rollups_many->checks, (std::vector<std::string>{"homepage", "web site/a"}));
  EXPECT_EQ(store.last_rollups_many->resolution, store::Resolution::day);
  EXPECT_EQ(store.last_rollups_many->from, clock.now() - days{90});
  EXPECT_EQ(store.last_rollups_many->to, clock.now());
  EXPECT_EQ(batch["resolution"], "day");
  EXPECT_EQ(batch["from"], format_time(clock.now() - days{90}));
  ASSERT_EQ(batch["checks"].size(), 2u);
  for (const Json& check : batch["checks"]) {
    const std::string name = check["check"];
    // The fake's rollups() returns every canned row; keep this check's.
    const Json every =
        json_of(get("/api/v1/checks/" + (name == "homepage" ? name : "web%20site%2Fa") +
                    "/rollups?resolution=day"));
    Json single = Json::array();
    // The batch gives the check and the resolution once, not in every row.
    for (Json row : every["rollups"])
      if (row["check"] == name) {
        row.erase("check");
        row.erase("resolution");
        single.push_back(row);
      }
    ASSERT_EQ(check["rows"].size(), single.size()) << name;
    for (std::size_t i = 0; i < single.size(); ++i) {
      Json row = Json::object();  // the row array keyed by the answer's columns
      ASSERT_EQ(check["rows"][i].size(), batch["columns"].size());
      for (std::size_t c = 0; c < batch["columns"].size(); ++c)
        row[batch["columns"][c].get<std::string>()] = check["rows"][i][c];
      const Json& expected = single[i];
      ASSERT_EQ(row.size(), expected.size()) << row.dump();
      for (const auto& [key, value] : expected.items()) {
        ASSERT_TRUE(row.contains(key)) << key;
        if (key.ends_with("_ms") || key == "uptime")
          EXPECT_NEAR(row[key].get<double>(), value.get<double>(), 0.0005) << name << " " << key;
        else
          EXPECT_EQ(row[key], value) << name << " " << key;
      }
    }
  }
  const std::size_t uptime = 5;
  ASSERT_EQ(batch["columns"][uptime], "uptime");
  EXPECT_EQ(batch["checks"][0]["rows"][1][uptime], 0.975);
  EXPECT_EQ(batch["checks"][1]["rows"][0][uptime], 0.0);
}

TEST_F(RouterTest, BatchRollupsWriteLatenciesToTheMicrosecond) {
  store.canned_rollups = {day_rollup("homepage", floor<days>(clock.now()), 10, 0)};
  Response r = get("/api/v1/rollups?resolution=day&check=homepage");
  // Columns: ... uptime, latency_min_ms, latency_avg_ms, latency_max_ms, latency_p95_ms.
  EXPECT_NE(r.body.find(",1.0,1.25,12.346,"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(",100]"), std::string::npos) << r.body;
}

TEST_F(RouterTest, BatchRollupsTakeTheChecksAskedForInTheirOrderOnce) {
  store.canned_rollups = {day_rollup("homepage", floor<days>(clock.now()), 10, 0)};

  Json j = json_of(get("/api/v1/rollups?check=web%20site%2Fa,homepage,web%20site%2Fa"));

  EXPECT_EQ(store.last_rollups_many->checks, (std::vector<std::string>{"web site/a", "homepage"}));
  EXPECT_EQ(store.last_rollups_many->resolution, store::Resolution::hour);
  EXPECT_EQ(store.last_rollups_many->from, clock.now() - hours{24});
  ASSERT_EQ(j["checks"].size(), 2u);
  EXPECT_EQ(j["checks"][0]["check"], "web site/a");
  EXPECT_EQ(j["checks"][0]["rows"], Json::array());  // no rows: still listed
  EXPECT_EQ(j["checks"][1]["check"], "homepage");
  EXPECT_EQ(j["checks"][1]["rows"].size(), 1u);
}

TEST_F(RouterTest, BatchRollupsOfNoCheckAreAnEmptyList) {
  source.set(StatusSnapshot{});
  Json j = json_of(get("/api/v1/rollups?resolution=day"));
  EXPECT_EQ(j["checks"], Json::array());
}

TEST_F(RouterTest, BadBatchRollupParametersNameTheField) {
  struct Case {
    const char* query;
    int status;
    const char* field;
  } cases[] = {
      {"resolution=week", 400, "resolution"},
      {"from=yesterday", 400, "from"},
      {"to=2026-13-01T00:00:00Z", 400, "to"},
      {"resolution=minute&from=1763000000", 400, "from"},
      {"check=", 400, "check"},
      {"check=homepage,,web%20site%2Fa", 400, "check"},
      {"check=homepage,", 400, "check"},
      {"check=homepage,nope", 404, "check"},
  };
  for (const auto& c : cases) {
    Response r = get(std::string("/api/v1/rollups?") + c.query);
    EXPECT_EQ(r.status, c.status) << c.query;
    EXPECT_EQ(json_of(r)["error"]["field"], c.field) << c.query;
  }
}

TEST_F(RouterTest, BatchRollupsRefuseMoreRowsThanTheBound) {
  StatusSnapshot many;
  for (int i = 0; i < 110; ++i)
    add_check(many.checks, make_check("check-" + std::to_string(i), State::ok, clock.now()));
  source.set(std::move(many));
  // 110 checks x 1,831 days is past 200,000; 100 checks fit.
  Response wide =
      get("/api/v1/rollups?resolution=day&from=" +
          std::to_string(
              duration_cast<seconds>((clock.now() - days{1830}).time_since_epoch()).count()));
  EXPECT_EQ(wide.status, 400);
  EXPECT_EQ(json_of(wide)["error"]["field"], "check");
  std::string hundred = "check-0";
  for (int i = 1; i < 100; ++i) hundred += ",check-" + std::to_string(i);
  EXPECT_EQ(get("/api/v1/rollups?resolution=day&check=" + hundred).status, 200);
}

TEST_F(RouterTest, BatchRollupsReportAFailingStoreAs500Json) {
  store.throw_on_read = true;
  Response r = get("/api/v1/rollups?resolution=day");
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(json_of(r)["error"].contains("message"));
}

TEST_F(RouterTest, IncidentsPassFiltersToTheStore) {
  Response r = get("/api/v1/incidents?open=true&check=homepage&limit=5&before=77");
  EXPECT_EQ(r.status, 200);
  ASSERT_TRUE(store.last_incidents);
  EXPECT_TRUE(store.last_incidents->open_only);
  EXPECT_EQ(store.last_incidents->check, "homepage");
  EXPECT_EQ(store.last_incidents->limit, 5u);
  EXPECT_EQ(store.last_incidents->before_id, 77);
}

TEST_F(RouterTest, IncidentsShowDurationsAndPageWithNextBefore) {
  Incident open{.id = 9, .check = "homepage", .opened_at = clock.now() - minutes{5}};
  Incident closed{.id = 8,
                  .check = "homepage",
                  .opened_at = clock.now() - hours{2},
                  .closed_at = clock.now() - hours{1},
                  .cause = "connect refused"};
  store.canned_incidents = {open, closed};

  Json all = json_of(get("/api/v1/incidents?limit=2"));
  ASSERT_EQ(all["incidents"].size(), 2u);
  EXPECT_EQ(all["incidents"][0]["open"], true);
  EXPECT_EQ(all["incidents"][0]["duration_ms"], 300000.0);
  EXPECT_TRUE(all["incidents"][0]["closed_at"].is_null());
  EXPECT_EQ(all["incidents"][1]["duration_ms"], 3600000.0);
  EXPECT_EQ(all["incidents"][1]["cause"], "connect refused");
  EXPECT_EQ(all["next_before"], 8);

  Json closed_only = json_of(get("/api/v1/incidents?open=false"));
  ASSERT_EQ(closed_only["incidents"].size(), 1u);
  EXPECT_EQ(closed_only["incidents"][0]["id"], 8);
  EXPECT_TRUE(closed_only["next_before"].is_null()) << "fewer than the limit: no next page";
}

TEST_F(RouterTest, BadIncidentParametersAre400NamingTheField) {
  for (auto [query, field] : {std::pair{"open=maybe", "open"},
                              {"limit=1001", "limit"},
                              {"before=0", "before"},
                              {"before=x", "before"}}) {
    Response r = get(std::string("/api/v1/incidents?") + query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(json_of(r)["error"]["field"], field) << query;
  }
}

TEST_F(RouterTest, AStoreFailureIsAJson500NotACrash) {
  store.throw_on_read = true;
  Response r = get("/api/v1/checks/homepage/results");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(json_of(r)["error"]["message"].get<std::string>().find("database is locked"),
            std::string::npos);
}

TEST_F(RouterTest, AMissingSnapshotServesAnEmptyPageRatherThanCrashing) {
  class NoSnapshot final : public StatusSource {
   public:
    std::shared_ptr<const StatusSnapshot> snapshot() const override { return nullptr; }
  } nothing;
  Router bare{nothing, store, clock};
  EXPECT_EQ(bare.handle(make_request("GET", "/")).status, 200);
  EXPECT_EQ(bare.handle(make_request("GET", "/api/v1/checks")).status, 200);
}

TEST_F(RouterTest, ACheckPageDrawsItsLatencyAndEveryMetricFromTheStore) {
  std::vector<Result> results;
  for (int i = 0; i < 5; ++i) {
    Result r;
    r.check = "homepage";
    r.location = "local";
    r.started_at = clock.now() - minutes{10 - i};
    r.duration = milliseconds{100 + i};
    r.status = i == 2 ? Status::fail : Status::ok;
    r.metrics = {{"free_percent", 80.0 - i, "%"}};
    if (i != 3) r.metrics.push_back({"ttl", 300, "s"});
    results.push_back(r);
  }
  store.canned_results = results;

  Response r = get("/checks/homepage");

  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  ASSERT_TRUE(store.last_results);
  EXPECT_EQ(store.last_results->check, "homepage");
  EXPECT_EQ(store.last_results->from, clock.now() - check_page_window(seconds{60}));
  EXPECT_EQ(check_page_window(seconds{60}), minutes{300});
  EXPECT_EQ(check_page_window(seconds{1}), minutes{10});
  EXPECT_EQ(check_page_window(hours{1}), days{7});
  // One chart for the latency and one per metric, each with a text alternative.
  std::size_t charts = 0;
  for (auto at = r.body.find("<svg class=\"chart\""); at != std::string::npos;
       at = r.body.find("<svg class=\"chart\"", at + 1))
    ++charts;
  EXPECT_EQ(charts, 3u);
  EXPECT_NE(r.body.find("Response time: from 100 ms to 104 ms over 4 runs, 1 without a value"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("free_percent: from 76 % to 80 % over 5 runs"), std::string::npos);
  EXPECT_NE(r.body.find("ttl: from 300 s to 300 s over 4 runs, 1 without a value"),
            std::string::npos);
  EXPECT_NE(r.body.find("<td>free_percent</td><td>76 %</td>"), std::string::npos);
}

TEST_F(RouterTest, AnUnknownCheckPageIs404AndTheStatusPageLinksToEachComponent) {
  EXPECT_EQ(get("/checks/nope").status, 404);
  // Without status pages in the config, each check is a component of one page.
  Response page = get("/");
  EXPECT_NE(
      page.body.find("<a class=\"n\" href=\"/status/status/components/homepage\">homepage</a>"),
      std::string::npos);
  EXPECT_NE(page.body.find("href=\"/status/status/components/web%20site%2Fa\""), std::string::npos);
}

TEST_F(RouterTest, HandsTheStatusSiteItsPaths) {
  for (const char* target :
       {"/status/status/", "/status/status/components/homepage", "/status/status/history",
        "/status/status/feed.atom", "/badge/homepage.svg", "/badge/homepage/uptime.svg",
        "/static/live.js"})
    EXPECT_EQ(get(target).status, 200) << target;
  EXPECT_EQ(get("/status/nope/").status, 404);
  EXPECT_EQ(get("/badge/homepage.svg", "HEAD").body, get("/badge/homepage.svg").body);
}

TEST_F(RouterTest, ChecksFilterByStateGroupAndType) {
  auto names = [&](std::string_view target) {
    std::vector<std::string> out;
    const Json body = json_of(get(target));  // named: a temporary's ["checks"] would dangle
    for (const auto& c : body["checks"]) out.push_back(c["name"]);
    return out;
  };
  EXPECT_EQ(names("/api/v1/checks?state=fail"), std::vector<std::string>{"web site/a"});
  EXPECT_EQ(names("/api/v1/checks?group=Web"), std::vector<std::string>{"homepage"});
  EXPECT_EQ(names("/api/v1/checks?state=ok&group=Web"), std::vector<std::string>{"homepage"});
  EXPECT_TRUE(names("/api/v1/checks?tag=nope").empty());
  EXPECT_TRUE(names("/api/v1/checks?state=paused").empty());
  Response bad = get("/api/v1/checks?state=broken");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json_of(bad)["error"]["field"], "state");
}

TEST_F(RouterTest, CachedAnswersOnlyWhatWasRenderedForTheLatestSnapshot) {
  EXPECT_FALSE(router.cached(make_request("GET", "/")).has_value()) << "nothing rendered yet";
  EXPECT_FALSE(router.cached(make_request("GET", "/api/v1/checks")).has_value());
  Response rendered = get("/");
  ASSERT_EQ(rendered.status, 200);
  auto hit = router.cached(make_request("GET", "/"));
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->body, rendered.body);
  EXPECT_FALSE(router.cached(make_request("POST", "/")).has_value());
  // A new snapshot is new to the cache.
  StatusSnapshot next;
  next.generation = 99;
  add_check(next.checks, make_check("homepage", State::fail, clock.now(), "Web"));
  source.set(std::move(next));
  EXPECT_FALSE(router.cached(make_request("GET", "/")).has_value());
}
