#include "alert/deliver/mail_sender.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "alert/deliver/retry_policy.hpp"
#include "alert/notify/encoding.hpp"
#include "loopback_server.hpp"
#include "smtp_server.hpp"

namespace lk::alert::deliver {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::SmtpScript;
using test::SmtpServer;

// A message as the email channel writes one; the line that starts with a dot must survive
// SMTP's dot-stuffing unchanged.
constexpr std::string_view kMessage =
    "From: Lightkeeper <alerts@example.com>\r\n"
    "To: ops@example.com, oncall@example.com\r\n"
    "Subject: DOWN: api-health\r\n"
    "Message-ID: <n-42@lightkeeper>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "\r\n"
    "api-health is fail (was ok).\r\n"
    ".well-known/health answered 503\r\n"
    "Last error: connect to 10.0.0.5:443 refused\r\n";

MailRequest mail(const SmtpServer& server) {
  MailRequest r;
  r.url = server.url();
  r.starttls = false;  // the test server has no TLS
  r.from = "alerts@example.com";
  r.to = {"ops@example.com", "oncall@example.com"};
  r.message = std::string(kMessage);
  r.idempotency_key = "n-42";
  return r;
}

MailRequest with_login(MailRequest r) {
  r.username = "alerts@example.com";
  r.password = "hunter2-secret";
  r.secrets = {r.password};
  return r;
}

bool has_command(const std::vector<std::string>& commands, std::string_view prefix) {
  return std::any_of(commands.begin(), commands.end(),
                     [&](const std::string& c) { return c.starts_with(prefix); });
}

TEST(MailSender, SubmitsTheEnvelopeAndTheMessageByteForByte) {
  SmtpServer server({});
  Attempt a = send_mail_blocking(mail(server), seconds{5}, {});
  EXPECT_EQ(a.failed_layer, FailedLayer::none);
  EXPECT_EQ(a.smtp_code, 250);
  EXPECT_EQ(a.error, "");
  EXPECT_EQ(a.response_start, "2.0.0 Ok: queued as 4F2A9C");
  EXPECT_TRUE(a.answered());
  EXPECT_GT(a.duration, Duration::zero());
  EXPECT_EQ(classify(a), Verdict::sent);

  auto commands = server.commands();
  ASSERT_GE(commands.size(), 5u);
  EXPECT_TRUE(commands[0].starts_with("EHLO "));
  // The server offers SIZE, so libcurl announces the message's size.
  EXPECT_EQ(commands[1], "MAIL FROM:<alerts@example.com> SIZE=" + std::to_string(kMessage.size()));
  EXPECT_EQ(commands[2], "RCPT TO:<ops@example.com>");
  EXPECT_EQ(commands[3], "RCPT TO:<oncall@example.com>");
  EXPECT_EQ(commands[4], "DATA");
  EXPECT_FALSE(has_command(commands, "AUTH"));
  EXPECT_FALSE(has_command(commands, "STARTTLS"));
  ASSERT_EQ(server.messages().size(), 1u);
  EXPECT_EQ(server.messages()[0], kMessage);
}

TEST(MailSender, LogsInWhenThereIsAUser) {
  SmtpScript script;
  script.extensions = {"AUTH PLAIN LOGIN"};
  SmtpServer server(script);
  Attempt a = send_mail_blocking(with_login(mail(server)), seconds{5}, {});
  EXPECT_EQ(a.smtp_code, 250);
  EXPECT_EQ(a.error, "");
  auto commands = server.commands();
  const std::string plain =
      base64(std::string(1, '\0') + "alerts@example.com" + '\0' + "hunter2-secret");
  EXPECT_TRUE(std::find(commands.begin(), commands.end(), "AUTH PLAIN " + plain) !=
                  commands.end() ||
              std::find(commands.begin(), commands.end(), plain) != commands.end());
  EXPECT_EQ(server.messages().size(), 1u);
}

TEST(MailSender, AGreylistingRecipientIsTriedAgainLater) {
  SmtpScript script;
  script.rcpt = "451 4.7.1 Greylisted, please try again later";
  SmtpServer server(script);
  Attempt a = send_mail_blocking(mail(server), seconds{5}, {});
  EXPECT_EQ(a.failed_layer, FailedLayer::none);
  EXPECT_EQ(a.smtp_code, 451);
  EXPECT_EQ(a.error, server.url() +
                         ": SMTP 451: 4.7.1 Greylisted, please try again later (to RCPT "
                         "TO:<ops@example.com>)");
  EXPECT_EQ(classify(a), Verdict::retry);
  EXPECT_TRUE(server.messages().empty());
  EXPECT_FALSE(has_command(server.commands(), "DATA"));
}

TEST(MailSender, AnUnknownRecipientIsPermanentWithTheWholeReply) {
  SmtpScript script;
  script.rcpt =
      "550-5.1.1 The email account that you tried to reach does not exist.\r\n"
      "550 5.1.1 Please check the recipient's address.";
  SmtpServer server(script);
  Attempt a = send_mail_blocking(mail(server), seconds{5}, {});
  EXPECT_EQ(a.smtp_code, 550);
  EXPECT_EQ(classify(a), Verdict::permanent);
  EXPECT_NE(a.error.find("SMTP 550: 5.1.1 The email account that you tried to reach does not "
                         "exist. 5.1.1 Please check the recipient's address."),
            std::string::npos)
      << a.error;
  EXPECT_TRUE(server.messages().empty());
}

TEST(MailSender, AFailedLoginIsPermanentAndTheErrorHidesThePassword) {
  SmtpScript script;
  script.extensions = {"AUTH PLAIN"};
  script.auth = "535 5.7.8 Authentication failed for password hunter2-secret";
  SmtpServer server(script);
  Attempt a = send_mail_blocking(with_login(mail(server)), seconds{5}, {});
  EXPECT_EQ(a.failed_layer, FailedLayer::none);
  EXPECT_EQ(a.smtp_code, 535);
  EXPECT_EQ(classify(a), Verdict::permanent);
  EXPECT_EQ(a.error.find("hunter2"), std::string::npos) << a.error;
  EXPECT_NE(a.error.find("SMTP 535: 5.7.8 Authentication failed for password ***"),
            std::string::npos)
      << a.error;
  EXPECT_NE(a.error.find("(to AUTH PLAIN)"), std::string::npos) << a.error;
  EXPECT_FALSE(has_command(server.commands(), "MAIL"));
  EXPECT_TRUE(server.messages().empty());
}

TEST(MailSender, AMessageRefusedAfterDataIsPermanent) {
  SmtpScript script;
  script.data_end = "554 5.7.1 Message rejected as spam";
  SmtpServer server(script);
  Attempt a = send_mail_blocking(mail(server), seconds{5}, {});
  EXPECT_EQ(a.smtp_code, 554);
  EXPECT_EQ(classify(a), Verdict::permanent);
  EXPECT_NE(a.error.find("SMTP 554: 5.7.1 Message rejected as spam"), std::string::npos) << a.error;
}

TEST(MailSender, ATemporaryRefusalOfTheSenderIsRetried) {
  SmtpScript script;
  script.mail = "421 4.3.2 Service not available, closing channel";
  SmtpServer server(script);
  Attempt a = send_mail_blocking(mail(server), seconds{5}, {});
  EXPECT_EQ(a.smtp_code, 421);
  EXPECT_EQ(classify(a), Verdict::retry);
  // The command is named up to its address, without libcurl's SIZE= parameter.
  EXPECT_EQ(a.error, server.url() +
                         ": SMTP 421: 4.3.2 Service not available, closing channel (to MAIL "
                         "FROM:<alerts@example.com>)");
}

TEST(MailSender, ASilentServerTimesOutWithinTheBound) {
  SmtpScript script;
  script.greet = false;
  SmtpServer server(script);
  auto started = std::chrono::steady_clock::now();
  Attempt a = send_mail_blocking(mail(server), milliseconds{300}, {});
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(a.failed_layer, FailedLayer::timeout);
  EXPECT_EQ(a.smtp_code, 0);
  EXPECT_NE(a.error.find("timeout: no answer within 300ms"), std::string::npos) << a.error;
  EXPECT_LT(took, seconds{3});
  EXPECT_EQ(classify(a), Verdict::retry);
}

TEST(MailSender, ARefusedPortIsAConnectFailure) {
  MailRequest r;
  r.url = "smtp://127.0.0.1:" + std::to_string(test::LoopbackServer::closed_port());
  r.starttls = false;
  r.from = "alerts@example.com";
  r.to = {"ops@example.com"};
  r.message = std::string(kMessage);
  Attempt a = send_mail_blocking(r, seconds{5}, {});
  EXPECT_EQ(a.failed_layer, FailedLayer::connect);
  EXPECT_EQ(a.smtp_code, 0);
  EXPECT_TRUE(a.error.starts_with(r.url + ": connect: ")) << a.error;
  EXPECT_EQ(classify(a), Verdict::retry);
}

TEST(MailSender, RequiredStartTlsThatIsNotOfferedSendsNothing) {
  SmtpScript script;
  script.extensions = {"AUTH PLAIN"};  // no STARTTLS
  SmtpServer server(script);
  MailRequest r = with_login(mail(server));
  r.starttls = true;
  Attempt a = send_mail_blocking(r, seconds{5}, {});
  EXPECT_EQ(a.failed_layer, FailedLayer::tls);
  EXPECT_EQ(a.smtp_code, 0);
  EXPECT_EQ(a.error, server.url() + ": tls: STARTTLS not supported.");
  auto commands = server.commands();
  EXPECT_FALSE(has_command(commands, "AUTH"));
  EXPECT_FALSE(has_command(commands, "MAIL"));
  EXPECT_TRUE(server.messages().empty());
}

TEST(MailSender, RequiredStartTlsThatIsRefusedSendsNothing) {
  SmtpScript script;
  script.extensions = {"STARTTLS", "AUTH PLAIN"};
  script.starttls = "454 4.7.0 TLS not available due to temporary reason";
  SmtpServer server(script);
  MailRequest r = with_login(mail(server));
  r.starttls = true;
  Attempt a = send_mail_blocking(r, seconds{5}, {});
  EXPECT_EQ(a.failed_layer, FailedLayer::tls);
  EXPECT_EQ(a.error, server.url() +
                         ": tls: STARTTLS denied, code 454 (server: 4.7.0 TLS not available due "
                         "to temporary reason)");
  auto commands = server.commands();
  EXPECT_TRUE(has_command(commands, "STARTTLS"));
  EXPECT_FALSE(has_command(commands, "AUTH"));
  EXPECT_FALSE(has_command(commands, "MAIL"));
  EXPECT_TRUE(server.messages().empty());
}

TEST(MailSender, StopsWhenAskedToAbort) {
  SmtpScript script;
  script.greet = false;
  SmtpServer server(script);
  auto started = std::chrono::steady_clock::now();
  Attempt a = send_mail_blocking(mail(server), seconds{10}, {}, [] { return true; });
  EXPECT_EQ(a.failed_layer, FailedLayer::cancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds{5});
}

TEST(MailSender, AnEnvelopeAddressWithALineBreakIsNeverSent) {
  SmtpServer server({});
  MailRequest r = mail(server);
  r.to = {"ops@example.com>\r\nRCPT TO:<attacker@example.net"};
  Attempt a = send_mail_blocking(r, seconds{5}, {});
  EXPECT_EQ(a.failed_layer, FailedLayer::request);
  EXPECT_EQ(classify(a), Verdict::permanent);
  EXPECT_EQ(server.connections(), 0);
}

TEST(MailSender, RedactMasksEveryFormOfASecret) {
  MailRequest r;
  r.secrets = {"p@ss word"};
  EXPECT_EQ(redact("raw p@ss word, url p%40ss%20word, b64 cEBzcyB3b3Jk", r),
            "raw ***, url ***, b64 ***");
}

}  // namespace
}  // namespace lk::alert::deliver
