#include "alert/notify/gotify/gotify.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

const gotify::Settings kSettings{.server = "https://gotify.example.com/", .app_token = "AbC.dEf"};

TEST(GotifyChannel, PostsTitleMessagePriorityWithTheTokenInTheQuery) {
  HttpRequest r = gotify::build(test::sample_problem(), kSettings);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://gotify.example.com/message?token=AbC.dEf");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["title"], "DOWN: api-health");
  EXPECT_EQ(body["message"].get<std::string>().rfind("api-health is fail (was ok).", 0), 0u);
  EXPECT_EQ(body["priority"], 8);
  EXPECT_EQ(body["extras"]["client::notification"]["click"]["url"],
            "https://status.example.com/ack/7?sig=abc");
  EXPECT_EQ(r.redacted().find("AbC.dEf"), std::string::npos);
}

TEST(GotifyChannel, RecoveryHasLowerPriorityAndSaysResolved) {
  auto body = nlohmann::json::parse(gotify::build(test::sample_recovery(), kSettings).body);
  EXPECT_EQ(body["title"], "RECOVERED: api-health");
  EXPECT_EQ(body["priority"], 4);
  EXPECT_NE(body["message"].get<std::string>().find("resolved"), std::string::npos);
}

}  // namespace
}  // namespace lk::alert
