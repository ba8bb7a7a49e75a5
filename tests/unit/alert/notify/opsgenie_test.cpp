#include "alert/notify/opsgenie/opsgenie.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

const opsgenie::Settings kSettings{.api_key = "eb243592-faa2-4ba2-a551q-1afdf565c889",
                                   .tags = {"prod"}};

TEST(OpsgenieChannel, ProblemCreatesAnAlertWithTheIncidentAsAlias) {
  HttpRequest r = opsgenie::build(test::sample_problem(), kSettings);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://api.opsgenie.com/v2/alerts");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.header("Authorization"), "GenieKey eb243592-faa2-4ba2-a551q-1afdf565c889");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["message"], "DOWN: api-health");
  EXPECT_EQ(body["alias"], "lightkeeper-api-health-7");
  EXPECT_EQ(body["description"].get<std::string>().rfind("api-health is fail (was ok).", 0), 0u);
  EXPECT_EQ(body["tags"], nlohmann::json::array({"lightkeeper", "prod"}));
  EXPECT_EQ(body["details"]["last_error"], "connect to 10.0.0.5:443 refused");
  EXPECT_EQ(body["details"]["location"], "eu-west");
  EXPECT_EQ(body["entity"], "api-health");
  EXPECT_EQ(body["source"], "Lightkeeper");
  EXPECT_EQ(body["priority"], "P1");
}

TEST(OpsgenieChannel, RecoveryClosesTheAlertByAlias) {
  HttpRequest r = opsgenie::build(test::sample_recovery(), kSettings);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(
      r.url,
      "https://api.opsgenie.com/v2/alerts/lightkeeper-api-health-7/close?identifierType=alias");
  EXPECT_EQ(r.header("Authorization"), "GenieKey eb243592-faa2-4ba2-a551q-1afdf565c889");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["source"], "Lightkeeper");
  EXPECT_NE(body["note"].get<std::string>().find("resolved"), std::string::npos);
  EXPECT_FALSE(body.contains("message"));
}

TEST(OpsgenieChannel, AcknowledgementAcknowledgesByAliasWithUserAndNote) {
  opsgenie::Settings eu = kSettings;
  eu.api_url = "https://api.eu.opsgenie.com";
  HttpRequest r = opsgenie::build(test::sample_ack(), eu);
  EXPECT_EQ(r.url,
            "https://api.eu.opsgenie.com/v2/alerts/lightkeeper-api-health-7/acknowledge"
            "?identifierType=alias");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["user"], "alice");
  EXPECT_EQ(body["note"], "looking into it");
}

TEST(OpsgenieChannel, MessageIsCutTo130AndTheKeyIsKeptOutOfLogs) {
  Message m = test::sample_problem();
  m.check = std::string(200, 'x');
  HttpRequest r = opsgenie::build(m, kSettings);
  EXPECT_LE(nlohmann::json::parse(r.body)["message"].get<std::string>().size(), 130u);
  EXPECT_EQ(r.redacted().find(kSettings.api_key), std::string::npos);
  EXPECT_NE(r.redacted().find("Authorization: GenieKey ***"), std::string::npos);
}

}  // namespace
}  // namespace lk::alert
