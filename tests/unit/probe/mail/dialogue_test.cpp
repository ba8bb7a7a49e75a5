// SMTP, IMAP and POP3 dialogues against scripted loopback servers: what is sent, what is read,
// and how each refusal or oddity is named.

#include "probe/mail/dialogue.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../tls/loopback.hpp"

namespace lk::probe::mail {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using namespace std::chrono_literals;

/// One turn of the server: it reads a line from the client, then sends `reply` (nothing when
/// empty).
struct Turn {
  std::string reply;
};

struct Run {
  std::vector<std::string> sent;  ///< the client's lines, as the server read them
  tls::Failure failure;
  std::string greeting;
  std::vector<std::string> capabilities;
  Duration took{};
};

enum class Steps { greet, capabilities, login, starttls, goodbye };

/// Runs `protocol`'s dialogue against a server that greets with `greeting` and answers each line
/// with the next turn: greet, ask capabilities, then the extra steps, stopping at the first
/// failure.
Run talk(Protocol protocol, std::string greeting, std::vector<Turn> turns,
         std::vector<Steps> extra = {Steps::goodbye}) {
  boost::asio::io_context io;
  Run run;
  test::LoopbackServer server(
      io, [&run, greeting, turns](test::tcp::socket& s) -> boost::asio::awaitable<void> {
        std::string buffer;
        co_await test::send(s, greeting);
        for (const auto& turn : turns) {
          std::string line = co_await test::receive_line(s, buffer);
          if (line.empty()) co_return;
          run.sent.push_back(line);
          if (!turn.reply.empty()) co_await test::send(s, turn.reply);
        }
        co_await test::stay_silent(s, 5s);
      });
  SystemClock clock;
  test::run_client(io, [&]() -> boost::asio::awaitable<void> {
    const auto started = clock.mono_now();
    tls::Connection c(io, clock, started, started + 3s, 3s);
    auto d = make_dialogue(protocol, c, "probe.example");
    PhaseTimings timings;
    // Named values only in co_await expressions (see loopback.hpp).
    const tls::HostPort where{"127.0.0.1", server.port()};
    const std::string user = "alice", password = "secret";
    bool ok = co_await c.connect(where, timings);
    if (ok) ok = co_await d->greet();
    if (ok) ok = co_await d->ask_capabilities();
    for (auto step : extra) {
      if (!ok) break;
      if (step == Steps::login) ok = co_await d->login(user, password);
      if (step == Steps::starttls) ok = co_await d->request_starttls();
      if (step == Steps::goodbye) {
        const Deadline grace = clock.mono_now() + 300ms;
        co_await d->goodbye(grace);
      }
    }
    run.failure = c.failure();
    run.greeting = d->greeting();
    run.capabilities = d->capabilities();
    run.took = clock.mono_now() - started;
  });
  return run;
}

// --- SMTP -------------------------------------------------------------------------------------

const std::string kEhlo =
    "250-mx.example Hello\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n";

TEST(SmtpDialogue, ReadsAMultiLineGreetingAndTheExtensionsThenLogsInAndQuits) {
  auto run = talk(Protocol::smtp, "220-mx.example ESMTP\r\n220 no UCE\r\n",
                  {{kEhlo}, {"235 2.7.0 Authentication successful\r\n"}, {"221 bye\r\n"}},
                  {Steps::login, Steps::goodbye});
  EXPECT_EQ(run.failure.layer, Layer::none) << run.failure.message;
  EXPECT_EQ(run.greeting, "220-mx.example ESMTP\n220 no UCE");
  EXPECT_THAT(run.capabilities, ElementsAre("PIPELINING", "AUTH PLAIN LOGIN", "STARTTLS"));
  EXPECT_THAT(run.sent,
              ElementsAre("EHLO probe.example", "AUTH PLAIN AGFsaWNlAHNlY3JldA==", "QUIT"));
}

TEST(SmtpDialogue, UsesAuthLoginWhenPlainIsNotOffered) {
  auto run = talk(Protocol::smtp, "220 mx\r\n",
                  {{"250-mx\r\n250 AUTH LOGIN\r\n"},
                   {"334 VXNlcm5hbWU6\r\n"},
                   {"334 UGFzc3dvcmQ6\r\n"},
                   {"235 ok\r\n"}},
                  {Steps::login});
  EXPECT_EQ(run.failure.layer, Layer::none) << run.failure.message;
  EXPECT_THAT(run.sent, ElementsAre("EHLO probe.example", "AUTH LOGIN", "YWxpY2U=", "c2VjcmV0"));
}

TEST(SmtpDialogue, FallsBackToHeloForServersWithoutEsmtp) {
  auto run = talk(Protocol::smtp, "220 old\r\n", {{"502 what?\r\n"}, {"250 hi\r\n"}}, {});
  EXPECT_EQ(run.failure.layer, Layer::none) << run.failure.message;
  EXPECT_THAT(run.sent, ElementsAre("EHLO probe.example", "HELO probe.example"));
  EXPECT_THAT(run.capabilities, IsEmpty());
}

TEST(SmtpDialogue, ARefusedLoginNamesTheUserButNeverThePassword) {
  auto run = talk(Protocol::smtp, "220 mx\r\n",
                  {{kEhlo}, {"535 5.7.8 Authentication credentials invalid\r\n"}}, {Steps::login});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, StartsWith("SMTP login as alice at 127.0.0.1:"));
  EXPECT_THAT(run.failure.message,
              HasSubstr("refused: \"535 5.7.8 Authentication credentials invalid\""));
  EXPECT_THAT(run.failure.message, Not(HasSubstr("secret")));
}

TEST(SmtpDialogue, A554GreetingIsARefusal) {
  auto run = talk(Protocol::smtp, "554 no service for you\r\n", {});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, HasSubstr("refused the session: \"554 no service for you\""));
  EXPECT_EQ(run.greeting, "554 no service for you");
}

TEST(SmtpDialogue, GarbageIsNotAReply) {
  auto run = talk(Protocol::smtp, "SSH-2.0-OpenSSH_9.2\r\n", {});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, StartsWith("not an SMTP reply from 127.0.0.1:"));
  EXPECT_THAT(run.failure.message, HasSubstr("(the SMTP greeting): \"SSH-2.0-OpenSSH_9.2\""));
}

TEST(SmtpDialogue, StarttlsMustBeOffered) {
  auto run =
      talk(Protocol::smtp, "220 mx\r\n", {{"250-mx\r\n250 PIPELINING\r\n"}}, {Steps::starttls});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, HasSubstr("does not offer STARTTLS (it offers: PIPELINING)"));
}

TEST(SmtpDialogue, AnUnansweredQuitDoesNotFailTheCheck) {
  auto run = talk(Protocol::smtp, "220 mx\r\n", {{kEhlo}, {""}}, {Steps::goodbye});
  EXPECT_EQ(run.failure.layer, Layer::none) << run.failure.message;
  EXPECT_THAT(run.sent, ElementsAre("EHLO probe.example", "QUIT"));
  EXPECT_LT(run.took, 2s) << "the goodbye waits only for its grace";
}

// --- IMAP -------------------------------------------------------------------------------------

TEST(ImapDialogue, AsksCapabilityLogsInAndLogsOut) {
  auto run =
      talk(Protocol::imap, "* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n",
           {{"* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\nlk1 OK Pre-login capabilities\r\n"},
            {"lk2 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n"},
            {"* BYE Logging out\r\nlk3 OK Logout completed.\r\n"}},
           {Steps::login, Steps::goodbye});
  EXPECT_EQ(run.failure.layer, Layer::none) << run.failure.message;
  EXPECT_EQ(run.greeting, "* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.");
  EXPECT_THAT(run.capabilities, ElementsAre("IMAP4rev1", "IDLE"));
  EXPECT_THAT(run.sent,
              ElementsAre("lk1 CAPABILITY", "lk2 LOGIN \"alice\" \"secret\"", "lk3 LOGOUT"));
}

TEST(ImapDialogue, ARefusedLoginQuotesTheServer) {
  auto run = talk(Protocol::imap, "* OK ready\r\n",
                  {{"* CAPABILITY IMAP4rev1\r\nlk1 OK\r\n"},
                   {"lk2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"}},
                  {Steps::login});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, StartsWith("IMAP login as alice at 127.0.0.1:"));
  EXPECT_THAT(run.failure.message,
              HasSubstr("refused: \"NO [AUTHENTICATIONFAILED] Authentication failed.\""));
  EXPECT_THAT(run.failure.message, Not(HasSubstr("secret")));
}

TEST(ImapDialogue, LoginDisabledIsRefusedBeforeThePasswordIsSent) {
  auto run = talk(Protocol::imap, "* OK ready\r\n",
                  {{"* CAPABILITY IMAP4rev1 LOGINDISABLED\r\nlk1 OK\r\n"}}, {Steps::login});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, HasSubstr("LOGINDISABLED"));
  EXPECT_THAT(run.sent, ElementsAre("lk1 CAPABILITY"));
}

TEST(ImapDialogue, AByeGreetingIsARefusal) {
  auto run = talk(Protocol::imap, "* BYE too many connections\r\n", {});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message,
              HasSubstr("refused the session: \"* BYE too many connections\""));
}

TEST(ImapDialogue, AnSmtpServerIsNotAnImapServer) {
  auto run = talk(Protocol::imap, "220 mx.example ESMTP\r\n", {});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, StartsWith("not an IMAP greeting from 127.0.0.1:"));
}

TEST(ImapDialogue, AnAnswerUnderAnotherTagIsUnexpected) {
  auto run = talk(Protocol::imap, "* OK ready\r\n", {{"zz9 OK CAPABILITY completed\r\n"}});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, HasSubstr("unexpected IMAP response"));
  EXPECT_THAT(run.failure.message, HasSubstr("\"zz9 OK CAPABILITY completed\""));
}

// --- POP3 -------------------------------------------------------------------------------------

TEST(Pop3Dialogue, ReadsTheCapabilityListAndLogsIn) {
  auto run = talk(Protocol::pop3, "+OK Dovecot ready.\r\n",
                  {{"+OK\r\nTOP\r\nUIDL\r\nSTLS\r\nSASL PLAIN\r\n..odd\r\n.\r\n"},
                   {"+OK\r\n"},
                   {"+OK Logged in.\r\n"},
                   {"+OK Logging out.\r\n"}},
                  {Steps::login, Steps::goodbye});
  EXPECT_EQ(run.failure.layer, Layer::none) << run.failure.message;
  EXPECT_EQ(run.greeting, "+OK Dovecot ready.");
  EXPECT_THAT(run.capabilities, ElementsAre("TOP", "UIDL", "STLS", "SASL PLAIN", ".odd"));
  EXPECT_THAT(run.sent, ElementsAre("CAPA", "USER alice", "PASS secret", "QUIT"));
}

TEST(Pop3Dialogue, AServerWithoutCapaStillAnswers) {
  auto run = talk(Protocol::pop3, "+OK ready\r\n", {{"-ERR unknown command\r\n"}}, {});
  EXPECT_EQ(run.failure.layer, Layer::none) << run.failure.message;
  EXPECT_THAT(run.capabilities, IsEmpty());
}

TEST(Pop3Dialogue, AWrongPasswordIsARefusedLogin) {
  auto run =
      talk(Protocol::pop3, "+OK ready\r\n",
           {{"+OK\r\nUSER\r\n.\r\n"}, {"+OK\r\n"}, {"-ERR [AUTH] Authentication failed.\r\n"}},
           {Steps::login});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, StartsWith("POP3 login as alice at 127.0.0.1:"));
  EXPECT_THAT(run.failure.message, HasSubstr("refused: \"-ERR [AUTH] Authentication failed.\""));
}

TEST(Pop3Dialogue, StlsMustBeOffered) {
  auto run = talk(Protocol::pop3, "+OK ready\r\n", {{"+OK\r\nUSER\r\n.\r\n"}}, {Steps::starttls});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, HasSubstr("does not offer STLS (it offers: USER)"));
}

TEST(Pop3Dialogue, AnErrGreetingIsARefusal) {
  auto run = talk(Protocol::pop3, "-ERR go away\r\n", {});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, HasSubstr("refused the session: \"-ERR go away\""));
}

TEST(Pop3Dialogue, AnEndlessCapabilityListIsCut) {
  std::string endless = "+OK\r\n";
  for (int i = 0; i < 1100; ++i) endless += "X-CAP-" + std::to_string(i) + "\r\n";
  auto run = talk(Protocol::pop3, "+OK ready\r\n", {{endless}}, {});
  EXPECT_EQ(run.failure.layer, Layer::response);
  EXPECT_THAT(run.failure.message, HasSubstr("has more than 1000 lines"));
}

}  // namespace
}  // namespace lk::probe::mail
