// postgres and mysql checks as the config and `lightkeeper check URL` give them.

#include <gtest/gtest.h>

#include <map>

#include "../kind_config.hpp"
#include "config/config.hpp"
#include "probe/sql/mysql_probe.hpp"
#include "probe/sql/postgres_probe.hpp"
#include "probe/sql/settings.hpp"

namespace lk::probe::sql {
namespace {

using Loaded = test::LoadedCheck<Settings>;

Loaded load(std::string_view type, const std::string& fields, const test::Environment& env = {}) {
  const config::ProbeKindParser kinds[] = {{"postgres", postgres::options(), &postgres::parse},
                                           {"mysql", mysql::options(), &mysql::parse}};
  return test::load_check<Settings>(kinds, type, fields, env);
}

TEST(PostgresSettings, DefaultsAreAQuickSelectOneAsPostgres) {
  auto loaded = load("postgres", "    target: db.internal\n");
  ASSERT_TRUE(loaded.config) << ::testing::PrintToString(loaded.errors);
  const auto& s = loaded.settings();
  EXPECT_EQ(s.address.text(), "db.internal:5432");
  EXPECT_EQ(s.username, "postgres");
  EXPECT_EQ(s.database, "");
  EXPECT_EQ(s.query, "SELECT 1");
  EXPECT_EQ(s.tls, "prefer");
  EXPECT_FALSE(s.replication);
  EXPECT_EQ(loaded.spec().target, "postgres://postgres@db.internal:5432");
}

TEST(PostgresSettings, EveryOptionWithThePasswordFromTheEnvironment) {
  auto loaded =
      load("postgres",
           "    host: 10.0.0.5\n    port: 6432\n    database: app\n    username: monitor\n"
           "    password: ${PG_PASSWORD}\n    query: SELECT count(*) FROM jobs\n"
           "    tls: verify-full\n    ca_file: /etc/ssl/db-ca.pem\n    replication: true\n",
           {{"PG_PASSWORD", "s3cret"}});
  ASSERT_TRUE(loaded.config) << ::testing::PrintToString(loaded.errors);
  const auto& s = loaded.settings();
  EXPECT_EQ(s.address.text(), "10.0.0.5:6432");
  EXPECT_EQ(s.password, "s3cret");
  EXPECT_EQ(s.query, "SELECT count(*) FROM jobs");
  EXPECT_EQ(s.tls, "verify-full");
  EXPECT_EQ(s.ca_file, "/etc/ssl/db-ca.pem");
  EXPECT_TRUE(s.replication);
  EXPECT_EQ(loaded.spec().target, "postgres://monitor@10.0.0.5:6432/app");  // never the password
}

TEST(MysqlSettings, DefaultsAndTls) {
  auto loaded = load("mysql", "    target: \"[::1]\"\n    tls: true\n");
  ASSERT_TRUE(loaded.config) << ::testing::PrintToString(loaded.errors);
  EXPECT_EQ(loaded.settings().address.text(), "[::1]:3306");
  EXPECT_EQ(loaded.settings().username, "root");
  EXPECT_EQ(loaded.settings().tls, "require");
  EXPECT_EQ(loaded.spec().target, "mysql://root@[::1]:3306");
  EXPECT_EQ(load("mysql", "    target: db\n").settings().tls, "");
}

TEST(SqlSettings, OptionErrorsNameTheFieldAndWhatToWrite) {
  struct Case {
    std::string_view type;
    std::string fields;
    std::string error;
  } cases[] = {
      {"postgres", "", "checks[0].target: missing: set target (host:port) or host"},
      {"mysql", "    target: db\n    host: db\n",
       "checks[0].target: set either target (host:port) or host and port, not both"},
      {"postgres", "    target: \"db:5432:1\"\n",
       "checks[0].target: expected host or host:port (e.g. db.example:5432 or [::1]:5432), got "
       "\"db:5432:1\""},
      {"mysql", "    host: db\n    port: 70000\n",
       "checks[0].port: must be between 1 and 65535, got 70000"},
      {"postgres", "    target: db\n    tls: yes-please\n",
       "checks[0].tls: expected disable, allow, prefer, require, verify-ca or verify-full, got "
       "\"yes-please\""},
      {"mysql", "    target: db\n    query: \" ; \"\n",
       "checks[0].query: the query is empty; write one that answers quickly, e.g. SELECT 1"},
      {"postgres", "    target: db\n    password: ${NOPE}\n",
       "checks[0].password: environment variable NOPE is not set"},
  };
  for (const auto& c : cases) {
    auto loaded = load(c.type, c.fields);
    EXPECT_FALSE(loaded.config) << c.fields;
    ASSERT_FALSE(loaded.errors.empty()) << c.fields;
    EXPECT_EQ(loaded.errors.front().substr(0, c.error.size()), c.error) << c.fields;
  }
}

std::map<std::string, std::string> scalars(const UrlFields& fields) {
  return {fields.scalars.begin(), fields.scalars.end()};
}

TEST(SqlUrl, PostgresUrlForms) {
  auto full = postgres::from_url(
      "postgresql://monitor:p%40ss@db.internal:6432/app?sslmode=verify-full&replication=true"
      "&query=SELECT%20count(*)%20FROM%20jobs");
  EXPECT_EQ(full.error, "");
  EXPECT_EQ(scalars(full),
            (std::map<std::string, std::string>{{"host", "db.internal"},
                                                {"port", "6432"},
                                                {"username", "monitor"},
                                                {"password", "p@ss"},
                                                {"database", "app"},
                                                {"tls", "verify-full"},
                                                {"replication", "true"},
                                                {"query", "SELECT count(*) FROM jobs"}}));
  auto bare = postgres::from_url("postgres://127.0.0.1");
  EXPECT_EQ(scalars(bare), (std::map<std::string, std::string>{{"host", "127.0.0.1"}}));
  EXPECT_EQ(postgres::from_url("postgres://db?connect_timeout=3").error,
            "unknown URL parameter \"connect_timeout\" (known: query, tls, ca_file, replication)");
  EXPECT_EQ(postgres::from_url("mysql://db").error, "not a postgres:// URL: \"mysql://db\"");
}

TEST(SqlUrl, MysqlUrlForms) {
  auto full = mysql::from_url("mariadb://root:@[::1]:3307/shop?tls=true");
  EXPECT_EQ(full.error, "");
  EXPECT_EQ(scalars(full), (std::map<std::string, std::string>{{"host", "::1"},
                                                               {"port", "3307"},
                                                               {"username", "root"},
                                                               {"password", ""},
                                                               {"database", "shop"},
                                                               {"tls", "true"}}));
  EXPECT_EQ(mysql::from_url("mysql://db?sslmode=require").error,
            "unknown URL parameter \"sslmode\" (known: query, tls, replication)");
}

}  // namespace
}  // namespace lk::probe::sql
