// The smtp, imap and pop3 checks' config: defaults per protocol, the mistakes they name (a
// password in the clear among them), and their URL forms for `lightkeeper check`.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../kind_config.hpp"
#include "config/config.hpp"
#include "probe/mail/mail_probe.hpp"

namespace lk::probe::mail {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

using Loaded = test::LoadedCheck<Settings>;

Loaded load(std::string_view type, std::string_view fields) {
  const config::ProbeKindParser kinds[] = {{"smtp", smtp::options(), &smtp::parse},
                                           {"imap", imap::options(), &imap::parse},
                                           {"pop3", pop3::options(), &pop3::parse}};
  return test::load_check<Settings>(kinds, type, fields, {{"MAIL_PASSWORD", "s3cret"}});
}

TEST(MailSettings, EachProtocolHasItsPortsAndScheme) {
  struct Case {
    std::string type;
    bool tls;
    std::uint16_t port;
    std::string target;
  } cases[] = {
      {"smtp", false, 25, "smtp://mx.example:25"},   {"smtp", true, 465, "smtps://mx.example:465"},
      {"imap", false, 143, "imap://mx.example:143"}, {"imap", true, 993, "imaps://mx.example:993"},
      {"pop3", false, 110, "pop3://mx.example:110"}, {"pop3", true, 995, "pop3s://mx.example:995"},
  };
  for (const auto& c : cases) {
    auto r = load(c.type, std::string("    target: mx.example\n    tls: ") +
                              (c.tls ? "true" : "false") + "\n");
    ASSERT_THAT(r.errors, IsEmpty()) << c.type;
    EXPECT_EQ(r.settings().target.port, c.port) << c.type;
    EXPECT_EQ(r.settings().tls, c.tls) << c.type;
    EXPECT_EQ(r.spec().target, c.target);
  }
}

TEST(MailSettings, DefaultsSpeakInTheClearWithoutLogin) {
  auto r = load("smtp", "    target: \"mx.example:2525\"\n");
  ASSERT_THAT(r.errors, IsEmpty());
  const auto& s = r.settings();
  EXPECT_EQ(s.protocol, Protocol::smtp);
  EXPECT_EQ(s.target.port, 2525);
  EXPECT_FALSE(s.tls);
  EXPECT_FALSE(s.starttls);
  EXPECT_EQ(s.username, "");
  EXPECT_EQ(s.servername, "mx.example");
  EXPECT_TRUE(s.verify_tls);
  EXPECT_EQ(s.ehlo_name, "localhost");
}

TEST(MailSettings, LoginWithStarttlsTakesThePasswordFromTheEnvironment) {
  auto r = load("imap",
                "    target: mx.example\n    starttls: true\n    username: alice\n"
                "    password: ${MAIL_PASSWORD}\n");
  ASSERT_THAT(r.errors, IsEmpty());
  const auto& s = r.settings();
  EXPECT_TRUE(s.starttls);
  EXPECT_EQ(s.username, "alice");
  EXPECT_EQ(s.password, "s3cret");
  EXPECT_EQ(r.spec().target, "imap://mx.example:143?starttls=true");
}

TEST(MailSettings, NamesEachMistake) {
  struct Case {
    std::string type, fields, error;
  } cases[] = {
      {"smtp", "    tls: true\n", "checks[0].target: missing required field"},
      {"imap", "    target: \"a b\"\n", "expected host or host:port"},
      {"pop3", "    target: h\n    tls: true\n    starttls: true\n", "exclude each other"},
      {"imap", "    target: h\n    username: alice\n    password: x\n",
       "the password would cross the network in the clear"},
      {"pop3", "    target: h\n    starttls: true\n    username: alice\n",
       "username needs password"},
      {"smtp", "    target: h\n    password: x\n", "password needs username"},
      {"smtp",
       "    target: h\n    tls: true\n    username: \"a\\r\\nRCPT TO:<x>\"\n    password: p\n",
       "must not contain line breaks"},
      {"smtp", "    target: h\n    ehlo_name: \"two words\"\n", "host name without spaces"},
      {"imap", "    target: h\n    ehlo_name: x\n", "ehlo_name"},
  };
  for (const auto& c : cases) {
    auto r = load(c.type, c.fields);
    EXPECT_FALSE(r.config) << c.fields;
    EXPECT_THAT(r.errors, ElementsAre(HasSubstr(c.error))) << c.fields;
  }
}

TEST(MailSettings, PlaintextLoginMustBeAskedFor) {
  auto r = load("pop3",
                "    target: h\n    username: alice\n    password: x\n    plaintext_login: true\n");
  EXPECT_THAT(r.errors, IsEmpty());
}

TEST(MailUrl, SecureSchemesMeanImplicitTlsAndTheirPorts) {
  EXPECT_THAT(smtp::from_url("smtp://mx.example").scalars,
              ElementsAre(Pair("target", "mx.example:25")));
  EXPECT_THAT(smtp::from_url("smtps://mx.example").scalars,
              ElementsAre(Pair("target", "mx.example:465"), Pair("tls", "true")));
  EXPECT_THAT(imap::from_url("imaps://mx.example:10993/").scalars,
              ElementsAre(Pair("target", "mx.example:10993"), Pair("tls", "true")));
  EXPECT_THAT(pop3::from_url("POP3S://[::1]").scalars,
              ElementsAre(Pair("target", "[::1]:995"), Pair("tls", "true")));
  EXPECT_THAT(imap::from_url("imap://mx.example?starttls").scalars,
              ElementsAre(Pair("target", "mx.example:143"), Pair("starttls", "true")));
  EXPECT_THAT(smtp::from_url("smtp://mx.example:587?starttls=true&ehlo_name=probe.example").scalars,
              ElementsAre(Pair("target", "mx.example:587"), Pair("starttls", "true"),
                          Pair("ehlo_name", "probe.example")));
}

TEST(MailUrl, RefusesUserInfoPathsAndUnknownParameters) {
  EXPECT_THAT(imap::from_url("imap://alice@mx.example").error, HasSubstr("expected imap://host"));
  EXPECT_THAT(pop3::from_url("pop3://mx.example/INBOX").error, HasSubstr("expected pop3://host"));
  EXPECT_THAT(imap::from_url("imap://mx.example?ehlo_name=x").error,
              HasSubstr("unknown URL parameter \"ehlo_name\""));
}

}  // namespace
}  // namespace lk::probe::mail
