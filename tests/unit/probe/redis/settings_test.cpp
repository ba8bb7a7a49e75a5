// Redis checks as the config and `lightkeeper check redis://...` give them.

#include <gtest/gtest.h>

#include <map>

#include "../kind_config.hpp"
#include "config/config.hpp"
#include "probe/redis/redis_probe.hpp"

namespace lk::probe::redis {
namespace {

using Loaded = test::LoadedCheck<Settings>;

Loaded load(const std::string& fields, const test::Environment& env = {}) {
  const config::ProbeKindParser kinds[] = {{"redis", options(), &parse}};
  return test::load_check<Settings>(kinds, "redis", fields, env);
}

TEST(RedisSettings, ATargetWithoutAPortUsesTheDefaultPort) {
  auto loaded = load("    target: cache.internal\n");
  ASSERT_TRUE(loaded.config) << ::testing::PrintToString(loaded.errors);
  EXPECT_EQ(loaded.settings().address.host, "cache.internal");
  EXPECT_EQ(loaded.settings().address.port, 6379);
  EXPECT_EQ(loaded.settings().password, "");
  EXPECT_FALSE(loaded.settings().replication);
  EXPECT_EQ(loaded.spec().target, "redis://cache.internal:6379");
}

TEST(RedisSettings, HostAndPortAndAPasswordFromTheEnvironment) {
  auto loaded = load(
      "    host: \"::1\"\n    port: 6380\n    username: monitor\n    password: ${REDIS_PW}\n"
      "    database: 2\n    replication: true\n",
      {{"REDIS_PW", "s3cret"}});
  ASSERT_TRUE(loaded.config) << ::testing::PrintToString(loaded.errors);
  EXPECT_EQ(loaded.settings().address.host, "::1");
  EXPECT_EQ(loaded.settings().address.port, 6380);
  EXPECT_EQ(loaded.settings().password, "s3cret");
  EXPECT_EQ(loaded.settings().database, 2);
  EXPECT_TRUE(loaded.settings().replication);
  EXPECT_EQ(loaded.spec().target, "redis://monitor@[::1]:6380/2");  // never the password
}

TEST(RedisSettings, OptionErrorsNameTheFieldAndWhatToWrite) {
  struct Case {
    std::string fields;
    std::string error;
  } cases[] = {
      {"", "checks[0].target: missing: set target (host:port) or host"},
      {"    target: \"a:b:c:d\"\n    port: 1\n",
       "checks[0].target: set either target (host:port) or host and port, not both"},
      {"    target: \"cache:99999\"\n",
       "checks[0].target: expected host or host:port (e.g. db.example:5432 or [::1]:5432), got "
       "\"cache:99999\""},
      {"    host: \"cache:6379\"\n",
       "checks[0].host: expected a host name or address without a port, got \"cache:6379\""},
      {"    target: cache\n    username: bob\n",
       "checks[0].username: a username needs a password (AUTH takes both)"},
      {"    target: cache\n    database: -1\n",
       "checks[0].database: must be between 0 and 1000000, got -1"},
  };
  for (const auto& c : cases) {
    auto loaded = load(c.fields);
    EXPECT_FALSE(loaded.config) << c.fields;
    ASSERT_FALSE(loaded.errors.empty()) << c.fields;
    EXPECT_EQ(loaded.errors.front(), c.error) << c.fields;
  }
}

std::map<std::string, std::string> scalars(const UrlFields& fields) {
  return {fields.scalars.begin(), fields.scalars.end()};
}

TEST(RedisUrl, TheUrlFormsOfLightkeeperCheck) {
  auto plain = from_url("redis://127.0.0.1:6380");
  EXPECT_EQ(plain.error, "");
  EXPECT_EQ(scalars(plain),
            (std::map<std::string, std::string>{{"host", "127.0.0.1"}, {"port", "6380"}}));

  auto full = from_url("redis://mon%40itor:p%3Aw@[::1]/3?replication=true");
  EXPECT_EQ(full.error, "");
  EXPECT_EQ(scalars(full), (std::map<std::string, std::string>{{"host", "::1"},
                                                               {"username", "mon@itor"},
                                                               {"password", "p:w"},
                                                               {"database", "3"},
                                                               {"replication", "true"}}));

  auto password_only = from_url("redis://:secret@cache");
  EXPECT_EQ(scalars(password_only),
            (std::map<std::string, std::string>{{"host", "cache"}, {"password", "secret"}}));
}

TEST(RedisUrl, MalformedUrlsSayWhatIsWrong) {
  EXPECT_EQ(from_url("redis://").error, "no host in \"redis://\"");
  EXPECT_EQ(from_url("redis://cache:0").error,
            "expected host or host:port after redis://, got \"cache:0\"");
  EXPECT_EQ(from_url("redis://cache?db=1").error,
            "unknown URL parameter \"db\" (known: replication)");
  EXPECT_EQ(from_url("redis://u:%zz@cache").error.substr(0, 25), "malformed %-escape in the");
  EXPECT_EQ(from_url("postgres://cache").error, "not a redis:// URL: \"postgres://cache\"");
}

}  // namespace
}  // namespace lk::probe::redis
