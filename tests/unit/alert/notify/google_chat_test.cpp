#include "alert/notify/google_chat/google_chat.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

constexpr const char* kHook =
    "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=KEYSECRET&token=TOKSECRET";

TEST(GoogleChatChannel, PostsTextAsUtf8JsonIntoOneThreadPerIncident) {
  HttpRequest r = google_chat::build(test::sample_problem(), {.webhook_url = kHook});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, std::string(kHook) +
                       "&threadKey=lightkeeper-api-health-7"
                       "&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD");
  EXPECT_EQ(r.header("Content-Type"), "application/json; charset=UTF-8");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body.size(), 1u);
  EXPECT_EQ(body["text"].get<std::string>().rfind("*DOWN: api-health*\napi-health is fail", 0), 0u);
  std::string log = r.redacted();
  EXPECT_EQ(log.find("KEYSECRET"), std::string::npos);
  EXPECT_EQ(log.find("TOKSECRET"), std::string::npos);
}

TEST(GoogleChatChannel, RecoveryGoesToTheSameThreadAndCanBeUnthreaded) {
  HttpRequest recovery = google_chat::build(test::sample_recovery(), {.webhook_url = kHook});
  EXPECT_NE(recovery.url.find("threadKey=lightkeeper-api-health-7"), std::string::npos);
  EXPECT_NE(recovery.body.find("RECOVERED: api-health"), std::string::npos);
  HttpRequest plain = google_chat::build(test::sample_problem(),
                                         {.webhook_url = kHook, .thread_per_incident = false});
  EXPECT_EQ(plain.url, kHook);
}

}  // namespace
}  // namespace lk::alert
