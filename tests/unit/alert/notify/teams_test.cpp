#include "alert/notify/teams/teams.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

constexpr const char* kHook =
    "https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke"
    "?api-version=2016-06-01&sig=SIGSECRET";

TEST(TeamsChannel, PostsAnAdaptiveCardAttachmentForAWorkflowsWebhook) {
  HttpRequest r = teams::build(test::sample_problem(), {.webhook_url = kHook});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, kHook);
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["type"], "message");
  ASSERT_EQ(body["attachments"].size(), 1u);
  auto attachment = body["attachments"][0];
  EXPECT_EQ(attachment["contentType"], "application/vnd.microsoft.card.adaptive");
  EXPECT_TRUE(attachment["contentUrl"].is_null());
  auto card = attachment["content"];
  EXPECT_EQ(card["type"], "AdaptiveCard");
  EXPECT_EQ(card["version"], "1.4");
  EXPECT_EQ(card["$schema"], "http://adaptivecards.io/schemas/adaptive-card.json");
  EXPECT_EQ(card["body"][0]["type"], "TextBlock");
  EXPECT_EQ(card["body"][0]["text"], "DOWN: api-health");
  EXPECT_EQ(card["body"][0]["color"], "Attention");
  EXPECT_EQ(card["body"][1]["text"].get<std::string>().rfind("api-health is fail (was ok).\n\n", 0),
            0u);
  ASSERT_EQ(card["actions"].size(), 2u);
  EXPECT_EQ(card["actions"][1]["type"], "Action.OpenUrl");
  EXPECT_EQ(card["actions"][1]["title"], "Acknowledge");
  EXPECT_EQ(card["actions"][1]["url"], "https://status.example.com/ack/7?sig=abc");
  EXPECT_EQ(r.redacted().find("SIGSECRET"), std::string::npos);
}

TEST(TeamsChannel, RecoveryIsGoodAndOffersNoAcknowledge) {
  auto card = nlohmann::json::parse(teams::build(test::sample_recovery(), {.webhook_url = kHook})
                                        .body)["attachments"][0]["content"];
  EXPECT_EQ(card["body"][0]["text"], "RECOVERED: api-health");
  EXPECT_EQ(card["body"][0]["color"], "Good");
  ASSERT_EQ(card["actions"].size(), 1u);
  EXPECT_EQ(card["actions"][0]["title"], "Status page");
}

}  // namespace
}  // namespace lk::alert
