#include "alert/notify/pagerduty/pagerduty.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

const pagerduty::Settings kSettings{.routing_key = "R0UTINGKEY0123456789abcdef012345"};

TEST(PagerDutyChannel, ProblemTriggersAnEventWithTheIncidentAsDedupKey) {
  HttpRequest r = pagerduty::build(test::sample_problem(), kSettings);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.header("Authorization"), "");  // Events API v2 authenticates by routing_key
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["routing_key"], "R0UTINGKEY0123456789abcdef012345");
  EXPECT_EQ(body["event_action"], "trigger");
  EXPECT_EQ(body["dedup_key"], "lightkeeper-api-health-7");
  auto payload = body["payload"];
  EXPECT_EQ(payload["summary"], "DOWN: api-health: connect to 10.0.0.5:443 refused");
  EXPECT_EQ(payload["source"], "eu-west");
  EXPECT_EQ(payload["severity"], "critical");
  EXPECT_EQ(payload["timestamp"], "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(payload["component"], "api-health");
  EXPECT_EQ(payload["custom_details"]["last_error"], "connect to 10.0.0.5:443 refused");
  EXPECT_EQ(payload["custom_details"]["ack_url"], "https://status.example.com/ack/7?sig=abc");
  EXPECT_EQ(body["client"], "Lightkeeper");
  EXPECT_EQ(body["client_url"], "https://status.example.com/checks/api-health");
  EXPECT_EQ(body["links"][0]["href"], "https://status.example.com/checks/api-health");
  EXPECT_EQ(body["links"][0]["text"], "Status page");
}

TEST(PagerDutyChannel, ASummaryWithoutAnErrorEndsWithTheTitle) {
  Message m = test::sample_problem();
  m.last_error.clear();
  auto body = nlohmann::json::parse(pagerduty::build(m, kSettings).body);
  EXPECT_EQ(body["payload"]["summary"], "DOWN: api-health");
}

TEST(PagerDutyChannel, RecoveryResolvesTheSameDedupKeyWithoutAPayload) {
  auto body = nlohmann::json::parse(pagerduty::build(test::sample_recovery(), kSettings).body);
  EXPECT_EQ(body["event_action"], "resolve");
  EXPECT_EQ(body["dedup_key"], "lightkeeper-api-health-7");
  EXPECT_EQ(body["routing_key"], kSettings.routing_key);
  EXPECT_FALSE(body.contains("payload"));
}

TEST(PagerDutyChannel, AcknowledgementAcknowledgesTheSameDedupKey) {
  auto body = nlohmann::json::parse(pagerduty::build(test::sample_ack(), kSettings).body);
  EXPECT_EQ(body["event_action"], "acknowledge");
  EXPECT_EQ(body["dedup_key"], "lightkeeper-api-health-7");
}

TEST(PagerDutyChannel, SeverityUsesPagerDutysFourValues) {
  EXPECT_EQ(pagerduty::severity_of(State::fail), "critical");
  EXPECT_EQ(pagerduty::severity_of(State::warn), "warning");
  EXPECT_EQ(pagerduty::severity_of(State::unknown), "error");
  EXPECT_EQ(pagerduty::severity_of(State::ok), "info");
}

TEST(PagerDutyChannel, RoutingKeyIsKeptOutOfLogs) {
  std::string log = pagerduty::build(test::sample_problem(), kSettings).redacted();
  EXPECT_EQ(log.find(kSettings.routing_key), std::string::npos);
  EXPECT_NE(log.find(R"("routing_key":"***")"), std::string::npos) << log;
}

}  // namespace
}  // namespace lk::alert
