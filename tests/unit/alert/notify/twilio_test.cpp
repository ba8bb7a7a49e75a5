#include "alert/notify/twilio/twilio.hpp"

#include <gtest/gtest.h>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

const twilio::Settings kSettings{
    .account_sid = "AC123", .auth_token = "tok", .from = "+15005550006", .to = "+447700900123"};

TEST(TwilioChannel, PostsAFormToMessagesJsonWithBasicAuth) {
  HttpRequest r = twilio::build(test::sample_problem(), kSettings);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json");
  EXPECT_EQ(r.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(r.header("Authorization"), "Basic QUMxMjM6dG9r");  // printf AC123:tok | base64
  EXPECT_EQ(r.body,
            "To=%2B447700900123&From=%2B15005550006&Body="
            "DOWN%3A+api-health%0AFrom%3A+eu-west%0ASince%3A+2027-01-15T08%3A00%3A00.000Z%0A"
            "connect+to+10.0.0.5%3A443+refused%0A"
            "Ack%3A+https%3A%2F%2Fstatus.example.com%2Fack%2F7%3Fsig%3Dabc");
}

TEST(TwilioChannel, MessagingServiceReplacesFromAndRecoveryHasNoAckLink) {
  twilio::Settings s = kSettings;
  s.messaging_service_sid = "MG999";
  HttpRequest r = twilio::build(test::sample_recovery(), s);
  EXPECT_EQ(r.body.rfind("To=%2B447700900123&MessagingServiceSid=MG999&Body=RECOVERED%3A+", 0), 0u)
      << r.body;
  EXPECT_EQ(r.body.find("From=%2B"), std::string::npos);
  EXPECT_EQ(r.body.find("Ack"), std::string::npos);
}

TEST(TwilioChannel, CredentialsAreKeptOutOfLogs) {
  twilio::Settings s = kSettings;
  s.auth_token = "f00dbabe5ecret";
  std::string log = twilio::build(test::sample_problem(), s).redacted();
  EXPECT_EQ(log.find("f00dbabe5ecret"), std::string::npos);
  EXPECT_NE(log.find("Authorization: Basic ***"), std::string::npos) << log;
}

}  // namespace
}  // namespace lk::alert
