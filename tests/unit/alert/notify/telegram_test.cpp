#include "alert/notify/telegram/telegram.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

TEST(TelegramChannel, CallsSendMessageWithChatIdTextAndHtmlParseMode) {
  telegram::Settings s{.bot_token = "123456:ABC-DEF", .chat_id = "-1001234567890"};
  HttpRequest r = telegram::build(test::sample_problem(), s);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://api.telegram.org/bot123456:ABC-DEF/sendMessage");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["chat_id"], -1001234567890LL);
  EXPECT_EQ(body["parse_mode"], "HTML");
  EXPECT_EQ(body["link_preview_options"]["is_disabled"], true);
  std::string text = body["text"];
  EXPECT_EQ(text.rfind("<b>DOWN: api-health</b>\napi-health is fail (was ok).", 0), 0u) << text;
}

TEST(TelegramChannel, ChannelUsernameStaysAString) {
  telegram::Settings s{.bot_token = "1:A", .chat_id = "@ops_alerts"};
  EXPECT_EQ(nlohmann::json::parse(telegram::build(test::sample_problem(), s).body)["chat_id"],
            "@ops_alerts");
}

TEST(TelegramChannel, EscapesHtmlInValuesAndKeepsTheTokenOutOfLogs) {
  Message m = test::sample_recovery();
  m.check = "a<b>&c";
  telegram::Settings s{.bot_token = "123456:ABC-DEF", .chat_id = "42"};
  HttpRequest r = telegram::build(m, s);
  std::string text = nlohmann::json::parse(r.body)["text"];
  EXPECT_EQ(text.rfind("<b>RECOVERED: a&lt;b&gt;&amp;c</b>", 0), 0u) << text;
  EXPECT_NE(text.find("resolved"), std::string::npos);
  EXPECT_EQ(r.redacted().find("ABC-DEF"), std::string::npos);
  EXPECT_NE(r.redacted().find("https://api.telegram.org/bot***/sendMessage"), std::string::npos);
}

}  // namespace
}  // namespace lk::alert
