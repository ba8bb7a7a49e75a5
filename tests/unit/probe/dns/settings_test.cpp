// A dns check's settings as the config reads them, and the dns:// form of `lightkeeper check`.

#include "probe/dns/settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../kind_config.hpp"
#include "config/config.hpp"
#include "probe/dns/wire.hpp"

namespace lk::probe::dns {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

using Loaded = test::LoadedCheck<Settings>;

/// Loads one dns check whose fields are `fields` (YAML lines, indented here).
Loaded load(std::string_view fields) {
  std::string indented;
  std::string_view rest = fields;
  while (!rest.empty()) {
    auto end = rest.find('\n');
    indented += "    " + std::string(rest.substr(0, end)) + "\n";
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  const config::ProbeKindParser kinds[] = {{"dns", options(), &parse}};
  return test::load_check<Settings>(kinds, "dns", indented);
}

TEST(DnsSettings, ByDefaultARecursiveQueryForAToTheSystemResolver) {
  auto loaded = load("query: www.example.com");
  ASSERT_THAT(loaded.errors, IsEmpty());
  const Settings& s = loaded.settings();
  EXPECT_EQ(s.query, "www.example.com.");
  EXPECT_EQ(s.record_type, rrtype::a);
  EXPECT_TRUE(s.server_host.empty());
  EXPECT_FALSE(s.force_tcp);
  EXPECT_TRUE(s.recursion);
  EXPECT_TRUE(s.edns);
  EXPECT_TRUE(s.default_expectations);
  EXPECT_EQ(s.server_text(), "the system resolver");
  EXPECT_EQ(loaded.spec().target, "dns:///www.example.com.?type=A");
  // The query is built once, at load.
  auto expected = build_query("www.example.com", rrtype::a, {});
  EXPECT_EQ(s.query_packet, std::get<0>(expected));
}

TEST(DnsSettings, EveryOptionIsRead) {
  auto loaded = load(
      "query: example.com\nrecord_type: mx\nserver: \"[2001:db8::53]:5353\"\ntcp: true\n"
      "recursion: false\nedns: false\nexpect: ['json.rcode == \"NOERROR\"']");
  ASSERT_THAT(loaded.errors, IsEmpty());
  const Settings& s = loaded.settings();
  EXPECT_EQ(s.record_type, rrtype::mx);
  EXPECT_EQ(s.server_host, "2001:db8::53");
  EXPECT_EQ(s.port, 5353);
  EXPECT_TRUE(s.force_tcp);
  EXPECT_FALSE(s.recursion);
  EXPECT_FALSE(s.edns);
  EXPECT_FALSE(s.default_expectations);  // the user's conditions judge the rcode
  EXPECT_EQ(s.server_text(), "[2001:db8::53]:5353");
  EXPECT_EQ(loaded.spec().target,
            "dns://[2001:db8::53]:5353/example.com.?type=MX&tcp=true&recursion=false&edns=false");
  EXPECT_EQ(s.query_packet[3], 0);  // no RD
}

TEST(DnsSettings, ServersAreWrittenAsHostAndOptionalPort) {
  struct Case {
    std::string server;
    std::string host;
    std::uint16_t port;
  } cases[] = {
      {"192.0.2.53", "192.0.2.53", 53},           {"192.0.2.53:5353", "192.0.2.53", 5353},
      {"ns1.example.com", "ns1.example.com", 53}, {"ns1.example.com:53", "ns1.example.com", 53},
      {"2001:db8::53", "2001:db8::53", 53},       {"[::1]", "::1", 53},
  };
  for (const auto& c : cases) {
    auto loaded = load("query: www.example\nserver: \"" + c.server + "\"");
    ASSERT_THAT(loaded.errors, IsEmpty()) << c.server;
    EXPECT_EQ(loaded.settings().server_host, c.host) << c.server;
    EXPECT_EQ(loaded.settings().port, c.port) << c.server;
  }
}

TEST(DnsSettings, MistakesAreReportedAtTheirOption) {
  struct Case {
    std::string fields;
    std::string error;
  } cases[] = {
      {"record_type: A", "checks[0].query: missing required field"},
      {"query: www.example\nserver: \"ns1:0\"", "checks[0].server: expected host[:port]"},
      {"query: www.example\nserver: \"ns1:99999\"", "checks[0].server: expected host[:port]"},
      {"query: www.example\nserver: \"[::1\"", "checks[0].server: expected host[:port]"},
      {"query: www.example\nserver: \"1:2:zz\"", "checks[0].server: expected host[:port]"},
      {"query: www.example\nserver: \"ns 1\"", "checks[0].server: expected host[:port]"},
      {"query: www.example\nrecord_type: SRV",
       "checks[0].record_type: unsupported record type \"SRV\"; use A, AAAA, CNAME, MX, NS, TXT, "
       "SOA or PTR"},
      {"query: www.example\nrecord_type: bogus", "unsupported record type \"bogus\""},
      {"query: a..example",
       "checks[0].query: cannot ask for \"a..example\": \"a..example\" has an "
       "empty label"},
      {"query: www.example\ntcp: maybe", "checks[0].tcp: expected true or false"},
      {"query: www.example\nport: 53", "checks[0].port: unknown field"},
  };
  for (const auto& c : cases) {
    auto loaded = load(c.fields);
    EXPECT_EQ(loaded.config, nullptr) << c.fields;
    ASSERT_EQ(loaded.errors.size(), 1u)
        << c.fields << ": " << ::testing::PrintToString(loaded.errors);
    EXPECT_THAT(loaded.errors[0], HasSubstr(c.error)) << c.fields;
  }
}

TEST(DnsSettings, PtrQueriesTurnAddressesIntoReverseNames) {
  auto loaded = load("query: 192.0.2.1\nrecord_type: PTR");
  ASSERT_THAT(loaded.errors, IsEmpty());
  EXPECT_EQ(loaded.settings().query, "1.2.0.192.in-addr.arpa.");
  // Other types ask for the name as written (a resolver answers an A query for an address).
  EXPECT_EQ(load("query: 192.0.2.1").settings().query, "192.0.2.1.");
}

TEST(DnsSettings, AWarnListAloneKeepsTheDefaultExpectations) {
  auto loaded = load("query: www.example\nwarn: [latency < 100ms]");
  ASSERT_THAT(loaded.errors, IsEmpty());
  EXPECT_TRUE(loaded.settings().default_expectations);
}

TEST(DnsUrl, ServerNameAndTypeBecomeFields) {
  auto f = from_url("dns://127.0.0.1:5353/www.test.example?type=MX");
  EXPECT_EQ(f.error, "");
  EXPECT_THAT(f.scalars, ElementsAre(Pair("server", "127.0.0.1:5353"),
                                     Pair("query", "www.test.example"), Pair("record_type", "MX")));
}

TEST(DnsUrl, AnEmptyServerMeansTheSystemResolver) {
  auto f = from_url("DNS:///www.example");
  EXPECT_EQ(f.error, "");
  EXPECT_THAT(f.scalars, ElementsAre(Pair("query", "www.example")));
}

TEST(DnsUrl, SwitchesAndRfc4501Separators) {
  auto f = from_url("dns://[::1]:53/example;type=SOA;tcp;recursion=false&edns=false&class=IN");
  // ';' after the name is part of RFC 4501's form only after '?': here it stays in the name.
  EXPECT_THAT(f.scalars, ::testing::Contains(Pair("server", "[::1]:53")));
  auto g = from_url("dns://[::1]:53/example?type=SOA;tcp;recursion=false&edns=false&class=IN");
  EXPECT_EQ(g.error, "");
  EXPECT_THAT(g.scalars, ElementsAre(Pair("server", "[::1]:53"), Pair("query", "example"),
                                     Pair("record_type", "SOA"), Pair("tcp", "true"),
                                     Pair("recursion", "false"), Pair("edns", "false")));
}

TEST(DnsUrl, WrongFormsSayWhatIsExpected) {
  EXPECT_THAT(from_url("dns://127.0.0.1").error, HasSubstr("expected dns://SERVER[:PORT]/NAME"));
  EXPECT_THAT(from_url("dns://127.0.0.1/").error, HasSubstr("no name to look up"));
  EXPECT_THAT(from_url("dns://127.0.0.1/x?colour=red").error,
              HasSubstr("unknown parameter \"colour\""));
  EXPECT_THAT(from_url("dns://127.0.0.1/x?class=CH").error, HasSubstr("only class IN"));
}

}  // namespace
}  // namespace lk::probe::dns
