#include "alert/notify/pushover/pushover.hpp"

#include <gtest/gtest.h>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

// A form body's fields in order, decoded enough for assertions ("+" and the %XX used here).
std::vector<std::string> field_names(const std::string& body) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('&', pos);
    if (end == std::string::npos) end = body.size();
    names.push_back(body.substr(pos, body.find('=', pos) - pos));
    pos = end + 1;
  }
  return names;
}

const pushover::Settings kSettings{.app_token = "azGDORePK8gMaC0QOYAMyEEuzJnyUi",
                                   .user_key = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"};

TEST(PushoverChannel, PostsTheDocumentedFormFields) {
  HttpRequest r = pushover::build(test::sample_problem(), kSettings);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://api.pushover.net/1/messages.json");
  EXPECT_EQ(r.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(field_names(r.body),
            (std::vector<std::string>{"token", "user", "message", "title", "priority", "timestamp",
                                      "url", "url_title"}));
  EXPECT_EQ(r.body.rfind("token=azGDORePK8gMaC0QOYAMyEEuzJnyUi&user=uQiRzpo4DXghDmr9QzzfQu27cmVRsG"
                         "&message=api-health+is+fail+%28was+ok%29.%0AFrom%3A+eu-west",
                         0),
            0u)
      << r.body;
  EXPECT_NE(
      r.body.find("&title=DOWN%3A+api-health&priority=1&timestamp=1800000300&url="
                  "https%3A%2F%2Fstatus.example.com%2Fack%2F7%3Fsig%3Dabc&url_title=Acknowledge"),
      std::string::npos)
      << r.body;
  std::string log = r.redacted();
  EXPECT_EQ(log.find(kSettings.app_token), std::string::npos);
  EXPECT_EQ(log.find(kSettings.user_key), std::string::npos);
}

TEST(PushoverChannel, EmergencyPriorityAddsRetryAndExpire) {
  pushover::Settings s = kSettings;
  s.problem_priority = 2;
  s.emergency_retry = std::chrono::seconds{10};  // below Pushover's minimum
  HttpRequest r = pushover::build(test::sample_problem(), s);
  EXPECT_NE(r.body.find("&priority=2&"), std::string::npos);
  EXPECT_NE(r.body.find("&retry=30&expire=3600"), std::string::npos) << r.body;
}

TEST(PushoverChannel, RecoveryHasNormalPriorityAndLinksTheStatusPage) {
  HttpRequest r = pushover::build(test::sample_recovery(), kSettings);
  EXPECT_NE(r.body.find("&title=RECOVERED%3A+api-health&priority=0&"), std::string::npos);
  EXPECT_NE(r.body.find("url_title=Status+page"), std::string::npos);
  EXPECT_EQ(r.body.find("retry="), std::string::npos);
}

}  // namespace
}  // namespace lk::alert
