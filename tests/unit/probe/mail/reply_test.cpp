// Reading what SMTP, IMAP and POP3 servers say, line by line.

#include "probe/mail/reply.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lk::probe::mail {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SmtpReply, ParsesCodeSeparatorAndText) {
  auto line = parse_smtp_line("250-SIZE 10240000");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->code, 250);
  EXPECT_TRUE(line->more);
  EXPECT_EQ(line->text, "SIZE 10240000");
  line = parse_smtp_line("221");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->code, 221);
  EXPECT_FALSE(line->more);
  EXPECT_EQ(line->text, "");
}

TEST(SmtpReply, RefusesWhatIsNotAReplyLine) {
  for (std::string_view bad : {"", "22", "HTTP/1.1 400 Bad Request", "250x", "2a0 x", "199 x",
                               "600 x", "SSH-2.0-OpenSSH", "+OK POP3 ready", "* OK IMAP ready"})
    EXPECT_FALSE(parse_smtp_line(bad)) << bad;
}

TEST(SmtpReply, CollectsAMultiLineReplyUntilTheLastLine) {
  SmtpReply reply;
  EXPECT_EQ(reply.feed("250-mail.example Hello"), SmtpReply::Feed::more);
  EXPECT_EQ(reply.feed("250-PIPELINING"), SmtpReply::Feed::more);
  EXPECT_EQ(reply.feed("250-AUTH PLAIN LOGIN"), SmtpReply::Feed::more);
  EXPECT_EQ(reply.feed("250 STARTTLS"), SmtpReply::Feed::done);
  EXPECT_EQ(reply.code(), 250);
  EXPECT_THAT(reply.lines(),
              ElementsAre("mail.example Hello", "PIPELINING", "AUTH PLAIN LOGIN", "STARTTLS"));
  EXPECT_EQ(reply.summary(), "250 mail.example Hello");
}

TEST(SmtpReply, ACodeThatChangesMidReplyIsBad) {
  SmtpReply reply;
  EXPECT_EQ(reply.feed("250-first"), SmtpReply::Feed::more);
  EXPECT_EQ(reply.feed("550 second"), SmtpReply::Feed::bad);
}

TEST(ImapReply, TellsUntaggedTaggedAndContinuation) {
  auto greeting = parse_imap_line("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot ready.");
  ASSERT_TRUE(greeting);
  EXPECT_EQ(greeting->kind, ImapLine::Kind::untagged);
  EXPECT_EQ(greeting->status, "OK");
  EXPECT_THAT(imap_capabilities(*greeting), ElementsAre("IMAP4rev1", "STARTTLS", "AUTH=PLAIN"));

  auto caps = parse_imap_line("* CAPABILITY IMAP4rev1 LOGINDISABLED");
  ASSERT_TRUE(caps);
  EXPECT_EQ(caps->status, "CAPABILITY");
  EXPECT_THAT(imap_capabilities(*caps), ElementsAre("IMAP4rev1", "LOGINDISABLED"));

  auto done = parse_imap_line("lk2 no [AUTHENTICATIONFAILED] Authentication failed.");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->kind, ImapLine::Kind::tagged);
  EXPECT_EQ(done->tag, "lk2");
  EXPECT_EQ(done->status, "NO");
  EXPECT_EQ(done->text, "[AUTHENTICATIONFAILED] Authentication failed.");
  EXPECT_THAT(imap_capabilities(*done), IsEmpty());

  auto exists = parse_imap_line("* 3 EXISTS");
  ASSERT_TRUE(exists);
  EXPECT_EQ(exists->status, "3");

  auto more = parse_imap_line("+ go ahead");
  ASSERT_TRUE(more);
  EXPECT_EQ(more->kind, ImapLine::Kind::continuation);
  EXPECT_EQ(more->text, "go ahead");
}

TEST(ImapReply, RefusesWhatIsNotAnImapResponse) {
  for (std::string_view bad : {"", "*", "220 mail.example ESMTP", "+OK ready", "lk1 MAYBE", "lk1",
                               "a(b OK x", "* \x01\x02", "\x16\x03\x01"})
    EXPECT_FALSE(parse_imap_line(bad)) << bad;
}

TEST(ImapReply, QuotesStringsForLogin) {
  EXPECT_EQ(imap_quote("alice"), "\"alice\"");
  EXPECT_EQ(imap_quote("pa\"ss\\word"), "\"pa\\\"ss\\\\word\"");
}

TEST(Pop3Reply, ParsesOkAndErr) {
  auto ok = parse_pop3_status("+OK Dovecot ready.");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->ok);
  EXPECT_EQ(ok->text, "Dovecot ready.");
  auto err = parse_pop3_status("-ERR [AUTH] Authentication failed.");
  ASSERT_TRUE(err);
  EXPECT_FALSE(err->ok);
  EXPECT_EQ(err->text, "[AUTH] Authentication failed.");
  auto bare = parse_pop3_status("+ok");
  ASSERT_TRUE(bare);
  EXPECT_TRUE(bare->ok);
  for (std::string_view bad : {"", "+OKAY", "OK", "220 ready", "* OK ready", "-ER"})
    EXPECT_FALSE(parse_pop3_status(bad)) << bad;
}

TEST(Pop3Reply, MultiLineListsEndAtALoneDotAndAreUnstuffed) {
  std::string line = "..hidden";
  EXPECT_FALSE(pop3_end_of_list(line));
  EXPECT_EQ(line, ".hidden");
  line = "STLS";
  EXPECT_FALSE(pop3_end_of_list(line));
  line = ".";
  EXPECT_TRUE(pop3_end_of_list(line));
}

TEST(Capabilities, MatchTheFirstWordWithoutCase) {
  std::vector<std::string> caps{"PIPELINING", "auth PLAIN login", "SIZE 1000", "STARTTLS"};
  EXPECT_TRUE(has_capability(caps, "AUTH"));
  EXPECT_TRUE(has_capability(caps, "starttls"));
  EXPECT_FALSE(has_capability(caps, "PLAIN"));
  EXPECT_FALSE(has_capability(caps, "SIZ"));
  EXPECT_THAT(capability_arguments(caps, "AUTH"), ElementsAre("PLAIN", "LOGIN"));
  EXPECT_THAT(capability_arguments(caps, "8BITMIME"), IsEmpty());
  EXPECT_EQ(join_capabilities(caps), "PIPELINING, auth PLAIN login, SIZE 1000, STARTTLS");
}

TEST(Base64, EncodesAsRfc4648) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\0alice\0secret", 13)), "AGFsaWNlAHNlY3JldA==");
}

TEST(Show, QuotesAndCutsLongLines) {
  EXPECT_EQ(show("a\"b\x01"), "\"a\\\"b\\u0001\"");
  EXPECT_EQ(show(std::string(100, 'x')), "\"" + std::string(60, 'x') + "\"...");
  // Whatever a server sends, a message stays valid UTF-8.
  EXPECT_EQ(show("\xff\x7f\xc3"), "\"\\xff\\x7f\\xc3\"");
}

}  // namespace
}  // namespace lk::probe::mail
