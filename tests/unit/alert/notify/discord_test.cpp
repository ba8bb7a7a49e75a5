#include "alert/notify/discord/discord.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

constexpr const char* kHook = "https://discord.com/api/webhooks/123/TOKENSECRET";

TEST(DiscordChannel, PostsOneEmbedAsJson) {
  HttpRequest r = discord::build(test::sample_problem(), {.webhook_url = kHook});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, kHook);
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_FALSE(body.contains("content"));
  ASSERT_EQ(body["embeds"].size(), 1u);
  auto embed = body["embeds"][0];
  EXPECT_EQ(embed["title"], "DOWN: api-health");
  EXPECT_EQ(embed["description"].get<std::string>().rfind("api-health is fail (was ok).", 0), 0u);
  EXPECT_EQ(embed["color"], discord::kRed);
  EXPECT_EQ(embed["timestamp"], "2027-01-15T08:05:00.000Z");
  EXPECT_EQ(embed["url"], "https://status.example.com/checks/api-health");
}

TEST(DiscordChannel, ContentAndUsernameAreSentWhenSet) {
  auto body = nlohmann::json::parse(
      discord::build(test::sample_problem(),
                     {.webhook_url = kHook, .username = "Lightkeeper", .content = "<@&42>"})
          .body);
  EXPECT_EQ(body["content"], "<@&42>");
  EXPECT_EQ(body["username"], "Lightkeeper");
}

TEST(DiscordChannel, RecoveryIsGreenAndSaysResolved) {
  auto embed = nlohmann::json::parse(
      discord::build(test::sample_recovery(), {.webhook_url = kHook}).body)["embeds"][0];
  EXPECT_EQ(embed["color"], discord::kGreen);
  EXPECT_EQ(embed["title"], "RECOVERED: api-health");
  EXPECT_NE(embed["description"].get<std::string>().find("resolved"), std::string::npos);
}

TEST(DiscordChannel, DescriptionIsCutToDiscordsLimitOnACharacterBoundary) {
  Message m = test::sample_problem();
  m.last_error.clear();
  for (int i = 0; i < 3000; ++i) m.last_error += "é";  // 2 bytes each
  std::string description =
      nlohmann::json::parse(discord::build(m, {.webhook_url = kHook, .template_text = "{{error}}"})
                                .body)["embeds"][0]["description"];
  EXPECT_LE(description.size(), 4096u);
  EXPECT_EQ(description.substr(description.size() - 3), "\u2026");
  EXPECT_EQ(discord::build(m, {.webhook_url = kHook}).redacted().find("TOKENSECRET"),
            std::string::npos);
}

}  // namespace
}  // namespace lk::alert
