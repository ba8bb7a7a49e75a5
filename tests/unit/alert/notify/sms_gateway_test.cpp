#include "alert/notify/sms_gateway/sms_gateway.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

TEST(SmsGatewayChannel, FormBodyAndUrlValuesAreEncodedForWhereTheyLand) {
  sms_gateway::Settings s{
      .url_template = "https://sms.example.com/send?key=K3Y&check={{check}}&at={{since}}",
      .headers = {{"X-Check", "{{check}}"}},
      .body_template = "to={{recipient}}&msg={{text}}",
      .recipient = "+447700900123",
      .text_template = "{{title}}: {{error}}",
      .secrets = {"K3Y"}};
  HttpRequest r = sms_gateway::build(test::sample_problem(), s);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(
      r.url,
      "https://sms.example.com/send?key=K3Y&check=api-health&at=2027-01-15T08%3A00%3A00.000Z");
  EXPECT_EQ(r.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(r.header("X-Check"), "api-health");
  EXPECT_EQ(r.body,
            "to=%2B447700900123&msg=DOWN%3A+api-health%3A+connect+to+10.0.0.5%3A443+refused");
  EXPECT_EQ(r.redacted().find("K3Y"), std::string::npos);
}

TEST(SmsGatewayChannel, JsonBodyValuesAreJsonEscapedAndEmptyLinesKept) {
  Message m = test::sample_recovery();
  m.location.clear();
  sms_gateway::Settings s{.method = "PUT",
                          .url_template = "https://gw.example/v1/sms",
                          .headers = {{"Authorization", "Bearer T0K"}},
                          .content_type = "application/json",
                          .body_template =
                              "{\n\"to\": \"{{recipient}}\",\n\"where\": "
                              "\"{{location}}\",\n\"text\": \"{{text}}\"\n}",
                          .recipient = "+15005550006"};
  HttpRequest r = sms_gateway::build(m, s);
  EXPECT_EQ(r.method, "PUT");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["to"], "+15005550006");
  EXPECT_EQ(body["where"], "");
  std::string text = body["text"];
  EXPECT_EQ(text.rfind("RECOVERED: api-health\nSince: 2027-01-15T08:00:00.000Z\nconnect", 0), 0u)
      << text;
  EXPECT_EQ(text.find("Ack"), std::string::npos);
  EXPECT_EQ(r.redacted().find("T0K"), std::string::npos);
}

TEST(SmsGatewayChannel, HeaderValuesCannotBreakOntoANewLine) {
  Message m = test::sample_problem();
  m.last_error = "bad\r\nX-Injected: 1";
  sms_gateway::Settings s{.method = "GET",
                          .url_template = "https://gw.example/send?to={{recipient}}",
                          .headers = {{"X-Error", "{{error}}"}},
                          .recipient = "+1"};
  HttpRequest r = sms_gateway::build(m, s);
  EXPECT_EQ(r.url, "https://gw.example/send?to=%2B1");
  EXPECT_EQ(r.header("X-Error"), "bad  X-Injected: 1");
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.header("Content-Type"), "");
}

}  // namespace
}  // namespace lk::alert
