#include "alert/notify/ntfy/ntfy.hpp"

#include <gtest/gtest.h>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

TEST(NtfyChannel, PostsPlainTextToTheTopicWithTitlePriorityTagsHeaders) {
  HttpRequest r = ntfy::build(test::sample_problem(), {.topic = "ops-alerts"});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://ntfy.sh/ops-alerts");
  EXPECT_EQ(r.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(r.header("Title"), "DOWN: api-health");
  EXPECT_EQ(r.header("Priority"), "5");
  EXPECT_EQ(r.header("Tags"), "rotating_light,lightkeeper,api-health");
  EXPECT_EQ(r.header("Click"), "https://status.example.com/checks/api-health");
  EXPECT_EQ(r.header("Actions"), "view, Acknowledge, https://status.example.com/ack/7?sig=abc");
  EXPECT_EQ(r.header("Authorization"), "");
  EXPECT_EQ(r.body.rfind("api-health is fail (was ok).\nFrom: eu-west", 0), 0u) << r.body;
}

TEST(NtfyChannel, RecoveryHasDefaultPriorityACheckMarkAndNoAckAction) {
  HttpRequest r =
      ntfy::build(test::sample_recovery(), {.server = "https://ntfy.example.com/", .topic = "t"});
  EXPECT_EQ(r.url, "https://ntfy.example.com/t");
  EXPECT_EQ(r.header("Title"), "RECOVERED: api-health");
  EXPECT_EQ(r.header("Priority"), "3");
  EXPECT_EQ(r.header("Tags"), "white_check_mark,lightkeeper,api-health");
  EXPECT_EQ(r.header("Actions"), "");
  EXPECT_NE(r.body.find("resolved"), std::string::npos);
}

TEST(NtfyChannel, AccessTokenGoesInABearerHeaderAndNotInLogs) {
  HttpRequest r = ntfy::build(test::sample_problem(), {.topic = "t", .access_token = "tk_abc123"});
  EXPECT_EQ(r.header("Authorization"), "Bearer tk_abc123");
  EXPECT_EQ(r.redacted().find("tk_abc123"), std::string::npos);
}

TEST(NtfyChannel, BasicAuthWhenUserAndPasswordAreGiven) {
  HttpRequest r =
      ntfy::build(test::sample_problem(), {.topic = "t", .username = "u", .password = "p"});
  EXPECT_EQ(r.header("Authorization"), "Basic dTpw");  // printf u:p | base64
}

TEST(NtfyChannel, NonAsciiHeaderValuesAreRfc2047Encoded) {
  // printf '%s' 'DOWN: café' | base64
  EXPECT_EQ(ntfy::header_value("DOWN: café"), "=?UTF-8?B?RE9XTjogY2Fmw6k=?=");
  EXPECT_EQ(ntfy::header_value("plain"), "plain");
}

}  // namespace
}  // namespace lk::alert
