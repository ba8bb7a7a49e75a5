#include "alert/notify/message.hpp"

#include <gtest/gtest.h>

#include "alert/notify/encoding.hpp"
#include "alert/notify/template.hpp"
#include "sample_message.hpp"

namespace lk::alert {
namespace {

using test::sample_problem;
using test::sample_recovery;

TEST(NotifyMessage, DefaultTextSaysWhatWhereSinceErrorAndLinks) {
  Message m = sample_problem();
  EXPECT_EQ(default_title(m), "DOWN: api-health");
  EXPECT_EQ(default_body(m),
            "api-health is fail (was ok).\n"
            "From: eu-west\n"
            "Since: 2027-01-15T08:00:00.000Z (5m)\n"
            "Last error: connect to 10.0.0.5:443 refused\n"
            "Incident: #7\n"
            "Status page: https://status.example.com/checks/api-health\n"
            "Acknowledge: https://status.example.com/ack/7?sig=abc");
}

TEST(NotifyMessage, RecoverySaysResolvedAndHasNoAckLink) {
  Message m = sample_recovery();
  EXPECT_EQ(default_title(m), "RECOVERED: api-health");
  std::string body = default_body(m);
  EXPECT_NE(body.find("api-health is ok again (resolved) after 12m."), std::string::npos) << body;
  EXPECT_EQ(body.find("ack"), std::string::npos) << body;
}

TEST(NotifyMessage, IncidentKeyIsTheSameForEveryMessageOfOneIncident) {
  EXPECT_EQ(sample_problem().incident_key(), "lightkeeper-api-health-7");
  EXPECT_EQ(sample_recovery().incident_key(), sample_problem().incident_key());
}

TEST(NotifyTemplate, FillsPlaceholdersAndToleratesSpaces) {
  EXPECT_EQ(render_template("{{check}} {{ to }} from {{location}} at {{since}}", sample_problem()),
            "api-health fail from eu-west at 2027-01-15T08:00:00.000Z");
}

TEST(NotifyTemplate, DropsALineWhosePlaceholdersAreAllEmpty) {
  Message m = sample_problem();
  m.location.clear();
  EXPECT_EQ(render_template("{{title}}\nFrom: {{location}}\nend", m), "DOWN: api-health\nend");
  EXPECT_EQ(render_template("A: {{ack_url}}", sample_recovery()), "");
}

TEST(NotifyTemplate, EscapesValuesButNotTheTemplateText) {
  Message m = sample_problem();
  m.last_error = "a<b";
  auto upper = [](std::string_view v) { return "[" + std::string(v) + "]"; };
  EXPECT_EQ(render_template("<{{error}}>", m, upper), "<[a<b]>");
}

TEST(NotifyTemplate, LeavesUnknownPlaceholdersAndReportsThem) {
  EXPECT_EQ(render_template("{{chek}} x", sample_problem()), "{{chek}} x");
  auto errors = template_errors("{{check}} {{chek}} {{oops");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("unknown placeholder {{chek}}"), std::string::npos);
  EXPECT_NE(errors[1].find("unterminated"), std::string::npos);
  EXPECT_TRUE(template_errors("{{recipient}}", {{"recipient", ""}}).empty());
}

TEST(NotifyEncoding, HmacSha256MatchesRfc4231AndOpenssl) {
  // RFC 4231 test case 2.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // printf '%s' '{"check":"api","to":"fail"}' | openssl dgst -sha256 -hmac s3cret
  EXPECT_EQ(hmac_sha256_hex("s3cret", R"({"check":"api","to":"fail"})"),
            "83e1e5a471907592fd91d5a1a3bfb0e4c0c03c14fe82c07242eba43676e22f00");
}

TEST(NotifyEncoding, FormAndPercentEncoding) {
  EXPECT_EQ(form_encode({{"To", "+15551234567"}, {"Body", "a b&c=d/é"}}),
            "To=%2B15551234567&Body=a+b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(percent_encode("!room:example.org"), "%21room%3Aexample.org");
  EXPECT_EQ(base64("AC123:tok"), "QUMxMjM6dG9r");
}

TEST(NotifyHttpRequest, RedactedMasksSecretsEverywhereTheyAppear) {
  HttpRequest r;
  r.method = "POST";
  r.url = "https://api.telegram.org/bot123:ABC/sendMessage";
  r.headers = {{"Authorization", "Bearer tk_secret"},
               {"X-Api-Key", "k1"},
               {"Content-Type", "application/json"}};
  r.body = "token=123%3AABC&msg=hi";
  r.secrets = {"123:ABC", "tk_secret"};
  EXPECT_EQ(r.redacted(),
            "POST https://api.telegram.org/bot***/sendMessage\n"
            "Authorization: Bearer ***\n"
            "X-Api-Key: ***\n"
            "Content-Type: application/json\n"
            "\n"
            "token=***&msg=hi");
  EXPECT_EQ(r.header("content-type"), "application/json");
}

}  // namespace
}  // namespace lk::alert
