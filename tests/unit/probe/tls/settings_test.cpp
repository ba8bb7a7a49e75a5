// The tls check's config: defaults, the mistakes it names, and its URL form for
// `lightkeeper check`.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../kind_config.hpp"
#include "config/config.hpp"
#include "probe/tls/tls_probe.hpp"

namespace lk::probe::tls {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

using Loaded = test::LoadedCheck<Settings>;

Loaded load(std::string_view fields) {
  const config::ProbeKindParser kinds[] = {{"tls", options(), &parse}};
  return test::load_check<Settings>(kinds, "tls", fields);
}

TEST(TlsSettings, DefaultsToPort443AndTheHostAsServerName) {
  auto r = load("    target: www.example\n");
  ASSERT_THAT(r.errors, IsEmpty());
  const auto& s = r.settings();
  EXPECT_EQ(s.target.host, "www.example");
  EXPECT_EQ(s.target.port, 443);
  EXPECT_EQ(s.servername, "www.example");
  EXPECT_FALSE(s.starttls);
  EXPECT_EQ(s.warn_days, 14);
  EXPECT_EQ(s.fail_days, 3);
  EXPECT_TRUE(s.verify_chain);
  EXPECT_TRUE(s.verify_hostname);
  EXPECT_EQ(r.spec().target, "tls://www.example:443");
}

TEST(TlsSettings, StarttlsTakesTheMailProtocolsPort) {
  struct Case {
    std::string protocol;
    std::uint16_t port;
  } cases[] = {{"smtp", 25}, {"imap", 143}, {"pop3", 110}};
  for (const auto& c : cases) {
    auto r = load("    target: mail.example\n    starttls: " + c.protocol + "\n");
    ASSERT_THAT(r.errors, IsEmpty()) << c.protocol;
    EXPECT_EQ(r.settings().target.port, c.port) << c.protocol;
    EXPECT_EQ(r.spec().target,
              "tls://mail.example:" + std::to_string(c.port) + "?starttls=" + c.protocol);
  }
}

TEST(TlsSettings, KeepsAnExplicitPortServerNameAndIpv6) {
  auto r = load(
      "    target: \"[::1]:8443\"\n    servername: www.example\n    warn_days: 30\n"
      "    fail_days: 7\n    verify_chain: false\n    ca_file: /etc/lk/ca.pem\n");
  ASSERT_THAT(r.errors, IsEmpty());
  const auto& s = r.settings();
  EXPECT_EQ(s.target.host, "::1");
  EXPECT_EQ(s.target.port, 8443);
  EXPECT_EQ(s.servername, "www.example");
  EXPECT_EQ(s.warn_days, 30);
  EXPECT_EQ(s.fail_days, 7);
  EXPECT_FALSE(s.verify_chain);
  EXPECT_EQ(s.ca_file, "/etc/lk/ca.pem");
  EXPECT_EQ(r.spec().target, "tls://[::1]:8443");
}

TEST(TlsSettings, NamesEachMistake) {
  struct Case {
    std::string fields;
    std::string error;
  } cases[] = {
      {"    servername: x\n", "checks[0].target: missing required field"},
      {"    target: \"host:port\"\n", "expected host or host:port"},
      {"    target: \"a b:443\"\n", "expected host or host:port"},
      {"    target: h\n    starttls: ftp\n", "expected smtp, imap or pop3, got \"ftp\""},
      {"    target: h\n    warn_days: 5\n    fail_days: 10\n", "must not be more than warn_days"},
      {"    target: h\n    fail_days: -1\n", "fail_days"},
      {"    target: h\n    verify: false\n", "verify"},
  };
  for (const auto& c : cases) {
    auto r = load(c.fields);
    EXPECT_FALSE(r.config) << c.fields;
    EXPECT_THAT(r.errors, ElementsAre(HasSubstr(c.error))) << c.fields;
  }
}

TEST(TlsUrl, HostAndPortBecomeTheTarget) {
  auto f = from_url("tls://www.example:8443");
  EXPECT_EQ(f.error, "");
  EXPECT_THAT(f.scalars, ElementsAre(Pair("target", "www.example:8443")));
}

TEST(TlsUrl, PortDefaultsTo443OrTheStarttlsProtocols) {
  EXPECT_THAT(from_url("tls://www.example/").scalars,
              ElementsAre(Pair("target", "www.example:443")));
  EXPECT_THAT(from_url("tls://mail.example?starttls=smtp").scalars,
              ElementsAre(Pair("target", "mail.example:25"), Pair("starttls", "smtp")));
  EXPECT_THAT(from_url("tls://[2001:db8::1]?starttls=imap&servername=mail.example").scalars,
              ElementsAre(Pair("target", "[2001:db8::1]:143"), Pair("starttls", "imap"),
                          Pair("servername", "mail.example")));
}

TEST(TlsUrl, RefusesUnknownParametersAndPaths) {
  EXPECT_THAT(from_url("tls://h?colour=blue").error, HasSubstr("unknown URL parameter \"colour\""));
  EXPECT_THAT(from_url("tls://h/path").error, HasSubstr("expected tls://host[:port]"));
  EXPECT_THAT(from_url("tls://h?starttls=%zz").error, HasSubstr("bad query item \"starttls=%zz\""));
}

TEST(TlsTarget, ParsesTheFormsPeopleWrite) {
  struct Case {
    std::string text;
    std::optional<std::pair<std::string, std::uint16_t>> want;
  } cases[] = {
      {"mail.example", std::pair{"mail.example", 25}},
      {"mail.example:587", std::pair{"mail.example", 587}},
      {"127.0.0.1", std::pair{"127.0.0.1", 25}},
      {"[::1]", std::pair{"::1", 25}},
      {"[::1]:2525", std::pair{"::1", 2525}},
      {"::1", std::pair{"::1", 25}},
      {"", std::nullopt},
      {"mail.example:", std::nullopt},
      {"mail.example:70000", std::nullopt},
      {"user@mail.example", std::nullopt},
      {"a:b:c", std::nullopt},
  };
  for (const auto& c : cases) {
    auto got = parse_target(c.text, 25);
    if (!c.want) {
      EXPECT_FALSE(got) << c.text;
      continue;
    }
    ASSERT_TRUE(got) << c.text;
    EXPECT_EQ(got->host, c.want->first) << c.text;
    EXPECT_EQ(got->port, c.want->second) << c.text;
  }
  EXPECT_EQ((HostPort{"::1", 25}).to_string(), "[::1]:25");
}

}  // namespace
}  // namespace lk::probe::tls
