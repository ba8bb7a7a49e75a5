#include "alert/notify/slack/slack.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

constexpr const char* kHook = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";

TEST(SlackChannel, PostsTextAndBlocksAsJsonToTheHook) {
  HttpRequest r = slack::build(test::sample_problem(), {.webhook_url = kHook});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, kHook);
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  auto body = nlohmann::json::parse(r.body);
  std::string text = body["text"];
  EXPECT_EQ(text.rfind("*DOWN: api-health*\napi-health is fail (was ok).", 0), 0u) << text;
  EXPECT_NE(text.find("https://status.example.com/ack/7?sig=abc"), std::string::npos);
  ASSERT_EQ(body["blocks"].size(), 2u);
  EXPECT_EQ(body["blocks"][0]["type"], "header");
  EXPECT_EQ(body["blocks"][0]["text"]["type"], "plain_text");
  EXPECT_EQ(body["blocks"][0]["text"]["text"], "DOWN: api-health");
  EXPECT_EQ(body["blocks"][1]["type"], "section");
  EXPECT_EQ(body["blocks"][1]["text"]["type"], "mrkdwn");
  EXPECT_EQ(body["blocks"][1]["text"]["text"], text);
}

TEST(SlackChannel, EscapesControlCharactersOfMrkdwnInValues) {
  Message m = test::sample_problem();
  m.last_error = "expected <200> & got 500";
  auto body = nlohmann::json::parse(
      slack::build(m, {.webhook_url = kHook, .template_text = "{{error}}", .blocks = false}).body);
  EXPECT_EQ(body["text"], "expected &lt;200&gt; &amp; got 500");
  EXPECT_FALSE(body.contains("blocks"));
}

TEST(SlackChannel, RecoverySaysResolved) {
  auto body =
      nlohmann::json::parse(slack::build(test::sample_recovery(), {.webhook_url = kHook}).body);
  EXPECT_EQ(body["blocks"][0]["text"]["text"], "RECOVERED: api-health");
  EXPECT_NE(body["text"].get<std::string>().find("resolved"), std::string::npos);
}

TEST(SlackChannel, TheHookPathIsKeptOutOfLogs) {
  std::string log = slack::build(test::sample_problem(), {.webhook_url = kHook}).redacted();
  EXPECT_EQ(log.find("XXXXSECRET"), std::string::npos);
  EXPECT_NE(log.find("POST https://hooks.slack.com***"), std::string::npos) << log;
}

}  // namespace
}  // namespace lk::alert
