// Server addresses and URLs as users write them for the kinds that reach a server by host and
// port (postgres, mysql, redis).

#include "probe/address.hpp"

#include <gtest/gtest.h>

namespace lk::probe {
namespace {

TEST(SplitAddress, HostsPortsAndIpv6) {
  struct Case {
    std::string_view text;
    std::string host;
    std::uint16_t port;
  } cases[] = {
      {"db.example", "db.example", 5432}, {"db.example:6000", "db.example", 6000},
      {"10.0.0.5:1", "10.0.0.5", 1},      {"[::1]", "::1", 5432},
      {"[::1]:6000", "::1", 6000},        {"fe80::1", "fe80::1", 5432},
  };
  for (const auto& c : cases) {
    auto a = split_address(c.text, 5432);
    ASSERT_TRUE(a) << c.text;
    EXPECT_EQ(a->host, c.host) << c.text;
    EXPECT_EQ(a->port, c.port) << c.text;
  }
  for (std::string_view bad : {"", ":5432", "db:", "db:0", "db:65536", "db:x", "[::1", "[::1]x",
                               "[]:1", "a b", "user@db", "db/x"})
    EXPECT_FALSE(split_address(bad, 5432)) << bad;
}

TEST(SplitAddress, TextPutsIpv6InBrackets) {
  EXPECT_EQ((Address{"::1", 5432}).text(), "[::1]:5432");
  EXPECT_EQ((Address{"db", 3306}).text(), "db:3306");
}

TEST(ServerUrl, ReadsEveryPartAndDecodesEscapes) {
  auto parsed = parse_server_url(
      "PostgreSQL://app%20user:p%40ss:word@[2001:db8::1]:6432/"
      "my%2Fdb?query=SELECT%201+1&tls=require#x");
  ASSERT_TRUE(std::holds_alternative<ServerUrl>(parsed)) << std::get<std::string>(parsed);
  const auto& u = std::get<ServerUrl>(parsed);
  EXPECT_EQ(u.scheme, "postgresql");
  EXPECT_EQ(u.username, "app user");
  EXPECT_EQ(u.password, "p@ss:word");  // only the first ':' separates
  EXPECT_EQ(u.host, "2001:db8::1");
  EXPECT_EQ(u.port, 6432);
  EXPECT_EQ(u.path, "my/db");
  ASSERT_EQ(u.params.size(), 2u);
  EXPECT_EQ(u.params[0], (std::pair<std::string, std::string>{"query", "SELECT 1+1"}));
  EXPECT_EQ(u.params[1], (std::pair<std::string, std::string>{"tls", "require"}));
}

TEST(ServerUrl, AnEmptyPasswordIsStillAPassword) {
  auto u = std::get<ServerUrl>(parse_server_url("mysql://root:@db"));
  EXPECT_EQ(u.username, "root");
  EXPECT_EQ(u.password, "");
  EXPECT_EQ(u.port, std::nullopt);
  auto bare = std::get<ServerUrl>(parse_server_url("mysql://db/"));
  EXPECT_EQ(bare.username, std::nullopt);
  EXPECT_EQ(bare.password, std::nullopt);
  EXPECT_EQ(bare.path, "");
}

TEST(ServerUrl, MalformedUrlsAreRefusedWithAReason) {
  auto error = [](std::string_view url) {
    auto parsed = parse_server_url(url);
    return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
  };
  EXPECT_EQ(error("db:5432"), "expected scheme://host, got \"db:5432\"");
  EXPECT_EQ(error("postgres://u@"), "no host in \"postgres://u@\"");
  EXPECT_EQ(error("postgres://db:port"),
            "expected host or host:port after postgres://, got \"db:port\"");
  EXPECT_EQ(error("postgres://db/a%2"), "malformed %-escape in the path \"a%2\"");
  EXPECT_EQ(error("postgres://db?x=%G0"), "malformed %-escape in the parameter \"x=%G0\"");
}

TEST(PercentDecode, DecodesAndRefusesBrokenEscapes) {
  EXPECT_EQ(percent_decode("a%20b%2fc"), "a b/c");
  EXPECT_EQ(percent_decode("100%"), std::nullopt);
  EXPECT_EQ(percent_decode("%4"), std::nullopt);
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
}

}  // namespace
}  // namespace lk::probe
