#include "alert/notify/mattermost/mattermost.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

constexpr const char* kHook = "https://mm.example.com/hooks/xgoodkeyx";

TEST(MattermostChannel, PostsMarkdownTextAndOptionalOverridesAsJson) {
  HttpRequest r = mattermost::build(
      test::sample_problem(), {.webhook_url = kHook, .channel = "ops", .username = "lightkeeper"});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, kHook);
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["text"].get<std::string>().rfind("#### DOWN: api-health\napi-health is fail", 0),
            0u);
  EXPECT_EQ(body["channel"], "ops");
  EXPECT_EQ(body["username"], "lightkeeper");
  EXPECT_FALSE(body.contains("icon_url"));
  EXPECT_EQ(r.redacted().find("xgoodkeyx"), std::string::npos);
}

TEST(MattermostChannel, RecoverySaysResolved) {
  auto body = nlohmann::json::parse(
      mattermost::build(test::sample_recovery(), {.webhook_url = kHook}).body);
  EXPECT_NE(body["text"].get<std::string>().find("RECOVERED: api-health"), std::string::npos);
  EXPECT_FALSE(body.contains("channel"));
}

}  // namespace
}  // namespace lk::alert
