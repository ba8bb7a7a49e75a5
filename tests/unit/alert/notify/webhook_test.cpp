#include "alert/notify/webhook/webhook.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alert/notify/encoding.hpp"
#include "sample_message.hpp"

namespace lk::alert {
namespace {

TEST(WebhookChannel, PostsTheWholeMessageAsJson) {
  webhook::Settings s{.url = "http://127.0.0.1:9999/hook"};
  HttpRequest r = webhook::build(test::sample_problem(), s);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "http://127.0.0.1:9999/hook");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.header("X-Lightkeeper-Event"), "problem");
  EXPECT_EQ(r.header("Idempotency-Key"), "n-42");
  EXPECT_EQ(r.header(webhook::kSignatureHeader), "");
  EXPECT_EQ(r.idempotency_key, "n-42");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["version"], 1);
  EXPECT_EQ(body["id"], "n-42");
  EXPECT_EQ(body["event"], "problem");
  EXPECT_EQ(body["check"], "api-health");
  EXPECT_EQ(body["from"], "ok");
  EXPECT_EQ(body["to"], "fail");
  EXPECT_EQ(body["severity"], "fail");
  EXPECT_EQ(body["since"], "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(body["time"], "2027-01-15T08:05:00.000Z");
  EXPECT_EQ(body["duration_seconds"], 300);
  EXPECT_EQ(body["error"], "connect to 10.0.0.5:443 refused");
  EXPECT_EQ(body["location"], "eu-west");
  EXPECT_EQ(body["incident"]["id"], 7);
  EXPECT_EQ(body["incident"]["key"], "lightkeeper-api-health-7");
  EXPECT_EQ(body["status_page_url"], "https://status.example.com/checks/api-health");
  EXPECT_EQ(body["ack_url"], "https://status.example.com/ack/7?sig=abc");
  EXPECT_EQ(body["title"], "DOWN: api-health");
  EXPECT_EQ(body["text"].get<std::string>().rfind("DOWN: api-health\napi-health is fail", 0), 0u);
}

// The body below, saved to a file, signed with `openssl dgst -sha256 -hmac s3cret FILE`.
constexpr std::string_view kRecoveryBody =
    R"({"version":1,"id":"n-43","event":"recovery","check":"api-health","from":"fail","to":"ok","severity":"fail","since":"2027-01-15T08:00:00.000Z","time":"2027-01-15T08:12:00.000Z","duration_seconds":720,"error":"connect to 10.0.0.5:443 refused","location":"eu-west","incident":{"id":7,"key":"lightkeeper-api-health-7"},"status_page_url":"https://status.example.com/checks/api-health","ack_url":"","acknowledged_by":"","note":"","title":"RECOVERED: api-health","text":"RECOVERED: api-health\napi-health is ok again (resolved) after 12m.\nDown since: 2027-01-15T08:00:00.000Z\nLast error: connect to 10.0.0.5:443 refused\nIncident: #7\nStatus page: https://status.example.com/checks/api-health"})";

TEST(WebhookChannel, SignsTheExactBodyWithHmacSha256) {
  webhook::Settings s{.url = "https://hooks.example.com/lk", .secret = "s3cret"};
  Message m = test::sample_recovery();
  HttpRequest r = webhook::build(m, s);
  EXPECT_EQ(r.header("X-Lightkeeper-Signature"), "sha256=" + hmac_sha256_hex("s3cret", r.body));
  EXPECT_EQ(r.header("X-Lightkeeper-Signature"),
            "sha256=2fffd1d7e1689ecff9fd95d9025239a5f01294e190f198360feecd9dfd950902");
  EXPECT_EQ(r.body, kRecoveryBody);
}

TEST(WebhookChannel, AddsCustomHeadersAndHonoursTheMethod) {
  webhook::Settings s{.url = "https://x.example/h",
                      .method = "PUT",
                      .headers = {{"X-Team", "sre"}, {"X-Api-Key", "k-123"}}};
  HttpRequest r = webhook::build(test::sample_problem(), s);
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.header("X-Team"), "sre");
  EXPECT_EQ(r.header("X-Api-Key"), "k-123");
  EXPECT_EQ(r.redacted().find("k-123"), std::string::npos);
}

TEST(WebhookChannel, TheSecretNeverAppearsInTheLogDescription) {
  webhook::Settings s{.url = "https://x.example/h", .secret = "s3cret"};
  HttpRequest r = webhook::build(test::sample_problem(), s);
  EXPECT_EQ(r.redacted().find("s3cret"), std::string::npos);
}

TEST(WebhookChannel, UserTemplateReplacesTheText) {
  webhook::Settings s{.url = "https://x.example/h", .template_text = "{{check}} is {{to}}"};
  auto body = nlohmann::json::parse(webhook::build(test::sample_problem(), s).body);
  EXPECT_EQ(body["text"], "api-health is fail");
  EXPECT_EQ(nlohmann::json::parse(webhook::build(test::sample_recovery(), s).body)["ack_url"], "");
}

}  // namespace
}  // namespace lk::alert
