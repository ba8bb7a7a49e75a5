// The REST API's writes and who may make them: bearer tokens (none, wrong, read-only on a
// write), the loopback rule without tokens, status reports with their timelines, pauses, JSON
// errors that name the field, paging and ETags. Against the real SQLite store.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "fakes.hpp"
#include "store/store.hpp"
#include "web/auth.hpp"
#include "web/router.hpp"

namespace lk::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

constexpr std::string_view kWriteToken = "write-token-0123456789";
constexpr std::string_view kReadToken = "read-token-0123456789";

class RecordingControl final : public RuntimeControl {
 public:
  void reports_changed() override { ++reports; }
  void pauses_changed() override { ++pauses; }
  int reports = 0, pauses = 0;
};

class ApiWriteTest : public ::testing::Test {
 protected:
  ApiWriteTest() { set_tokens(true); }

  static std::filesystem::path make_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "lk-api-test-XXXXXX");
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    return pattern;
  }
  std::unique_ptr<store::Store> open_store() {
    store::SqliteOptions o;
    o.path = (dir_ / "lk.db").string();
    return store::open_sqlite(o, clock_);
  }
  ~ApiWriteTest() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  void set_tokens(bool with_tokens) {
    StatusSnapshot s;
    CheckSpec web;
    web.name = "web-1";
    web.type = "http";
    s.checks.push_back(web, CheckView{});
    auto site = std::make_shared<SiteSpec>();
    ComponentSpec c;
    c.id = "web";
    c.name = "Website";
    c.checks = {"web-1"};
    site->components.push_back(c);
    StatusPageSpec page;
    page.slug = "status";
    page.components = {"web"};
    site->pages.push_back(page);
    if (with_tokens) {
      site->api.tokens.push_back({"ci", std::string(kWriteToken), ApiToken::Scope::write});
      site->api.tokens.push_back({"grafana", std::string(kReadToken), ApiToken::Scope::read});
    }
    s.site = site;
    source_.set(std::move(s));
  }

  Response send(std::string_view method, std::string_view target, std::string body = "",
                std::string_view token = kWriteToken, bool loopback = false) {
    Request r = make_request(method, target);
    r.body = std::move(body);
    r.from_loopback = loopback;
    if (!token.empty()) r.headers["authorization"] = "Bearer " + std::string(token);
    return router_.handle(r);
  }
  static Json json_of(const Response& r) { return Json::parse(r.body); }

  // In this order: the router refers to the store, which lives in the directory.
  std::filesystem::path dir_ = make_dir();
  ManualClock clock_;
  std::unique_ptr<store::Store> store_ = open_store();
  testing::FakeStatusSource source_;
  RecordingControl control_;
  Router router_{source_, *store_, clock_, nullptr, nullptr, &control_};
};

TEST_F(ApiWriteTest, NoTokenWrongTokenAndReadOnlyTokenAreRefusedAndNeverEchoed) {
  Response none = send("POST", "/api/v1/status-reports", R"({"title":"x","message":"y"})", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_THAT(none.header("WWW-Authenticate"), HasSubstr("Bearer"));
  Response wrong = send("POST", "/api/v1/status-reports", R"({"title":"x","message":"y"})",
                        "not-the-token-at-all");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_THAT(wrong.body, Not(HasSubstr("not-the-token")));
  EXPECT_THAT(wrong.header("WWW-Authenticate"), HasSubstr("invalid_token"));
  Response read_only =
      send("POST", "/api/v1/status-reports", R"({"title":"x","message":"y"})", kReadToken);
  EXPECT_EQ(read_only.status, 403);
  EXPECT_THAT(read_only.body, HasSubstr("grafana"));
  EXPECT_THAT(read_only.body, Not(HasSubstr(std::string(kReadToken))));
  // Loopback is no way around configured tokens.
  EXPECT_EQ(send("POST", "/api/v1/status-reports", "{}", "", /*loopback=*/true).status, 401);
  // Reads need a token once tokens exist; a read token reads.
  EXPECT_EQ(send("GET", "/api/v1/checks", "", "").status, 401);
  EXPECT_EQ(send("GET", "/api/v1/checks", "", kReadToken).status, 200);
  // A malformed header is its own error, not a silent anonymous request.
  Request basic = make_request("GET", "/api/v1/checks");
  basic.headers["authorization"] = "Basic Y2k6eA==";
  EXPECT_EQ(router_.handle(basic).status, 401);
  EXPECT_EQ(store_->status_reports({}).size(), 0u);
  EXPECT_EQ(control_.reports, 0);
}

TEST_F(ApiWriteTest, WithoutTokensReadsAreOpenAndWritesNeedLoopback) {
  set_tokens(false);
  EXPECT_EQ(send("GET", "/api/v1/checks", "", "").status, 200);
  Response remote = send("POST", "/api/v1/status-reports", R"({"title":"x","message":"y"})", "");
  EXPECT_EQ(remote.status, 403);
  EXPECT_THAT(remote.body, HasSubstr("api.tokens"));
  Response local = send("POST", "/api/v1/status-reports", R"({"title":"x","message":"y"})", "",
                        /*loopback=*/true);
  ASSERT_EQ(local.status, 201) << local.body;
  EXPECT_EQ(json_of(local)["updates"][0]["author"], "local");
}

TEST_F(ApiWriteTest, AnIncidentGoesThroughItsTimeline) {
  Response created = send("POST", "/api/v1/status-reports",
                          R"({"title":"Checkout errors","message":"We see **errors**.",
                              "components":["web"],"impact":"major"})");
  ASSERT_EQ(created.status, 201) << created.body;
  Json r = json_of(created);
  const auto id = r["id"].get<std::int64_t>();
  EXPECT_EQ(created.header("Location"), "/api/v1/status-reports/" + std::to_string(id));
  EXPECT_EQ(r["state"], "investigating");
  EXPECT_EQ(r["impact"], "major");
  EXPECT_EQ(r["kind"], "incident");
  EXPECT_EQ(r["updates"][0]["author"], "ci");
  EXPECT_EQ(control_.reports, 1);

  const std::string updates = "/api/v1/status-reports/" + std::to_string(id) + "/updates";
  clock_.advance(std::chrono::minutes(5));
  ASSERT_EQ(send("POST", updates, R"({"state":"identified","message":"A bad deploy."})").status,
            201);
  clock_.advance(std::chrono::minutes(5));
  Response resolved = send("POST", updates, R"({"state":"resolved","message":"Rolled back."})");
  ASSERT_EQ(resolved.status, 201);
  Json done = json_of(resolved);
  EXPECT_EQ(done["state"], "resolved");
  EXPECT_FALSE(done["resolved_at"].is_null());
  ASSERT_EQ(done["updates"].size(), 3u);
  EXPECT_EQ(done["updates"][0]["state"], "resolved");  // newest first
  EXPECT_EQ(done["updates"][2]["state"], "investigating");

  Response patched = send("PATCH", "/api/v1/status-reports/" + std::to_string(id),
                          R"j({"title":"Checkout errors (EU)"})j");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json_of(patched)["title"], "Checkout errors (EU)");
  EXPECT_EQ(json_of(patched)["updates"].size(), 3u);
  EXPECT_EQ(control_.reports, 4);
}

TEST_F(ApiWriteTest, BadBodiesAreJsonErrorsNamingTheField) {
  auto field_of = [&](std::string_view body) {
    Response r = send("POST", "/api/v1/status-reports", std::string(body));
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.content_type, "application/json");
    Json j = json_of(r);
    return j["error"].value("field", std::string("(none)"));
  };
  EXPECT_EQ(field_of("{not json"), "(none)");
  EXPECT_EQ(field_of("[1,2]"), "(none)");
  EXPECT_EQ(field_of(R"({"title":"x","message":"y","colour":"red"})"), "colour");
  EXPECT_EQ(field_of(R"({"message":"y"})"), "title");
  EXPECT_EQ(field_of(R"({"title":"x"})"), "message");
  EXPECT_EQ(field_of(R"({"title":"x","message":"y","state":"completed"})"), "state");
  EXPECT_EQ(field_of(R"({"title":"x","message":"y","impact":"huge"})"), "impact");
  EXPECT_EQ(field_of(R"({"title":"x","message":"y","components":["nope"]})"), "components");
  EXPECT_EQ(field_of(R"({"title":5,"message":"y"})"), "title");
  EXPECT_EQ(field_of(R"({"kind":"maintenance","title":"x"})"), "starts_at");
  EXPECT_EQ(field_of(R"({"kind":"maintenance","title":"x","starts_at":"2027-01-01T02:00:00Z",
                         "ends_at":"2027-01-01T01:00:00Z"})"),
            "ends_at");
  EXPECT_EQ(field_of(R"({"kind":"maintenance","title":"x","starts_at":"tomorrow",
                         "ends_at":"2027-01-01T01:00:00Z"})"),
            "starts_at");
  Response missing = send("POST", "/api/v1/status-reports/999/updates", R"({"message":"x"})");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(store_->status_reports({}).size(), 0u);
}

TEST_F(ApiWriteTest, MaintenanceIsScheduledWithItsWindow) {
  Response r = send("POST", "/api/v1/maintenance",
                    R"({"title":"Database upgrade","components":["web"],
                        "starts_at":"2027-01-01T01:00:00Z","ends_at":"2027-01-01T03:00:00Z"})");
  ASSERT_EQ(r.status, 201) << r.body;
  Json m = json_of(r);
  EXPECT_EQ(m["kind"], "maintenance");
  EXPECT_EQ(m["state"], "scheduled");
  EXPECT_EQ(m["impact"], "none");
  EXPECT_EQ(m["starts_at"], "2027-01-01T01:00:00.000Z");
  Json list = json_of(send("GET", "/api/v1/maintenance", "", kReadToken));
  ASSERT_EQ(list["reports"].size(), 1u);
  // An incident is not maintenance.
  EXPECT_EQ(send("POST", "/api/v1/maintenance", R"({"kind":"incident","title":"x"})").status, 400);
}

TEST_F(ApiWriteTest, ListsPageWithNextBeforeAndAnswerEtags) {
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(send("POST", "/api/v1/status-reports",
                   R"({"title":"t)" + std::to_string(i) + R"(","message":"m"})")
                  .status,
              201);
  Json first = json_of(send("GET", "/api/v1/status-reports?limit=2", "", kReadToken));
  ASSERT_EQ(first["reports"].size(), 2u);
  EXPECT_EQ(first["reports"][0]["title"], "t4");
  const auto next = first["next_before"].get<std::int64_t>();
  Json second = json_of(
      send("GET", "/api/v1/status-reports?limit=2&before=" + std::to_string(next), "", kReadToken));
  EXPECT_EQ(second["reports"][0]["title"], "t2");
  Json last = json_of(send("GET", "/api/v1/status-reports?limit=10&before=2", "", kReadToken));
  EXPECT_EQ(last["reports"].size(), 1u);
  EXPECT_TRUE(last["next_before"].is_null());
  EXPECT_EQ(send("GET", "/api/v1/status-reports?limit=0", "", kReadToken).status, 400);

  Response read = send("GET", "/api/v1/status-reports", "", kReadToken);
  std::string etag(read.header("ETag"));
  ASSERT_FALSE(etag.empty());
  Request again = make_request("GET", "/api/v1/status-reports");
  again.headers["authorization"] = "Bearer " + std::string(kReadToken);
  again.headers["if-none-match"] = etag;
  Response cached = router_.handle(again);
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());
  send("POST", "/api/v1/status-reports", R"({"title":"t5","message":"m"})");
  EXPECT_EQ(router_.handle(again).status, 200);  // changed: the old tag no longer matches
}

TEST_F(ApiWriteTest, PauseAndResumeACheck) {
  Response p = send("POST", "/api/v1/checks/web-1/pause", R"({"reason":"migrating"})");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(control_.pauses, 1);
  auto paused = store_->paused_checks();
  ASSERT_EQ(paused.size(), 1u);
  EXPECT_EQ(paused[0].author, "ci");
  EXPECT_EQ(paused[0].reason, "migrating");
  Json list = json_of(send("GET", "/api/v1/pauses", "", kReadToken));
  EXPECT_EQ(list["pauses"][0]["check"], "web-1");
  EXPECT_EQ(send("POST", "/api/v1/checks/nope/pause", "{}").status, 404);
  // A check may be named "pause": its own URL is not the pause action.
  EXPECT_FALSE(is_report_api_path("/api/v1/checks/pause"));
  EXPECT_TRUE(is_report_api_path("/api/v1/checks/pause/pause"));
  EXPECT_EQ(send("GET", "/api/v1/checks/web-1/pause", "", kReadToken).status, 405);
  Response r = send("POST", "/api/v1/checks/web-1/resume");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(json_of(r)["was_paused"].get<bool>());
  EXPECT_TRUE(store_->paused_checks().empty());
}

TEST(SecretsEqual, ComparesWholeSecrets) {
  EXPECT_TRUE(secrets_equal("abc", "abc"));
  EXPECT_FALSE(secrets_equal("abc", "abd"));
  EXPECT_FALSE(secrets_equal("abc", "abcd"));
  EXPECT_FALSE(secrets_equal("", "a"));
}

}  // namespace
}  // namespace lk::web
