// Loading a whole file: the reference config, defaults, top-level validation, unreadable input.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "config/config.hpp"
#include "support.hpp"

namespace lk::config {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using testing::error_lines;
using testing::fake_env;
using testing::fake_kinds;
using testing::FakeHttpSettings;
using testing::FakeTcpSettings;
using ::testing::IsEmpty;
using testing::ScratchDir;

constexpr std::string_view kReferenceConfig = R"(listen: 127.0.0.1:8080
storage: ./lightkeeper.db
checks:
  - name: shop-web
    type: http
    url: https://shop.example/health
    interval: 30s
    timeout: 5s
    expect: [status == 200, latency < 800ms]
  - name: shop-db-port
    type: tcp
    target: db.shop.example:5432
    interval: 1m
)";

LoadResult load_text(std::string_view yaml, EnvLookup env = fake_env()) {
  auto kinds = fake_kinds();
  return load_string(yaml, "lk.yaml", kinds, env);
}

TEST(LoadFile, ReferenceConfigLoadsWithItsValuesAndDefaults) {
  ScratchDir dir;
  std::string file = dir.write("lightkeeper.yaml", std::string(kReferenceConfig));
  auto kinds = fake_kinds();

  LoadResult result = load_file(file, kinds, fake_env());

  ASSERT_THAT(error_lines(result), IsEmpty());
  ASSERT_NE(result.config, nullptr);
  const Config& config = *result.config;
  EXPECT_EQ(config.listen, "127.0.0.1:8080");
  EXPECT_EQ(config.storage, (dir.path() / "lightkeeper.db").string());
  EXPECT_EQ(config.location, "local");
  EXPECT_EQ(config.title, "Lightkeeper");
  EXPECT_EQ(config.public_url, "");
  EXPECT_EQ(config.log_level, "info");
  EXPECT_EQ(config.raw_retention, std::chrono::hours{24 * 30});
  EXPECT_EQ(config.flush_interval, 1s);
  EXPECT_EQ(config.max_concurrency, 2000);
  EXPECT_THAT(config.files, ElementsAre(file));
  ASSERT_EQ(config.checks.size(), 2u);

  const Check& web = config.checks[0];
  EXPECT_EQ(web.spec.name, "shop-web");
  EXPECT_EQ(web.spec.type, "http");
  EXPECT_EQ(web.spec.target, "https://shop.example/health");
  EXPECT_EQ(web.spec.interval, 30s);
  EXPECT_EQ(web.spec.timeout, 5s);
  EXPECT_EQ(web.spec.settings_as<FakeHttpSettings>().method, "GET");
  ASSERT_EQ(web.expect.size(), 2u);
  EXPECT_EQ(web.expect[0].text(), "status == 200");
  EXPECT_EQ(web.expect[1].text(), "latency < 800ms");
  EXPECT_THAT(web.warn, IsEmpty());
  EXPECT_EQ(web.failure_threshold, 2);
  EXPECT_EQ(web.recovery_threshold, 2);
  EXPECT_FALSE(web.spec.paused);
  EXPECT_EQ(web.pos.file, file);
  EXPECT_EQ(web.pos.line, 4);
  EXPECT_EQ(web.pos.column, 5);

  const Check& db = config.checks[1];
  EXPECT_EQ(db.spec.name, "shop-db-port");
  EXPECT_EQ(db.spec.settings_as<FakeTcpSettings>().target, "db.shop.example:5432");
  EXPECT_EQ(db.spec.interval, 1min);
  EXPECT_EQ(db.spec.timeout, 10s);
  EXPECT_EQ(config.find("shop-db-port"), &db);
  EXPECT_EQ(config.find("nope"), nullptr);
}

TEST(LoadString, EveryCommonCheckOptionIsRead) {
  LoadResult result = load_text(R"(checks:
  - name: api
    type: http
    url: https://api.example/
    method: HEAD
    interval: 100ms
    timeout: 100ms
    warn: ["latency < 200ms"]
    failure_threshold: 3
    recovery_threshold: 5
    tags: [prod, eu]
    description: The public API
    group: Shop
    paused: yes
)");
  ASSERT_THAT(error_lines(result), IsEmpty());
  const Check& check = result.config->checks.at(0);
  EXPECT_EQ(check.spec.interval, 100ms);
  EXPECT_EQ(check.spec.settings_as<FakeHttpSettings>().method, "HEAD");
  ASSERT_EQ(check.warn.size(), 1u);
  EXPECT_EQ(check.warn[0].text(), "latency < 200ms");
  EXPECT_EQ(check.failure_threshold, 3);
  EXPECT_EQ(check.recovery_threshold, 5);
  EXPECT_THAT(check.spec.tags, ElementsAre("prod", "eu"));
  EXPECT_EQ(check.spec.description, "The public API");
  EXPECT_EQ(check.spec.group, "Shop");
  EXPECT_TRUE(check.spec.paused);
}

TEST(LoadString, AnEmptyFileIsAConfigOfDefaultsWithoutChecks) {
  for (std::string_view text : {"", "# nothing yet\n", "checks:\n"}) {
    LoadResult result = load_text(text);
    ASSERT_THAT(error_lines(result), IsEmpty()) << text;
    EXPECT_EQ(result.config->listen, "127.0.0.1:8080");
    EXPECT_THAT(result.config->checks, IsEmpty());
  }
}

TEST(LoadString, RelativeStorageIsResolvedAgainstTheConfigFilesDirectory) {
  auto kinds = fake_kinds();
  auto env = fake_env();
  auto load = [&](std::string_view yaml) {
    return load_string(yaml, "/etc/lightkeeper/main.yaml", kinds, env).config->storage;
  };
  EXPECT_EQ(load(""), "/etc/lightkeeper/lightkeeper.db");
  EXPECT_EQ(load("storage: data/lk.db"), "/etc/lightkeeper/data/lk.db");
  EXPECT_EQ(load("storage: ../lk.db"), "/etc/lk.db");
  EXPECT_EQ(load("storage: /var/lib/lk.db"), "/var/lib/lk.db");
  EXPECT_EQ(load("storage: \":memory:\""), ":memory:");
}

struct BadSetting {
  std::string yaml;
  std::string error;
};

TEST(LoadString, EachBadTopLevelSettingIsReportedAtItsValue) {
  const BadSetting cases[] = {
      {"listen: localhost",
       "lk.yaml:1:9: listen: expected host:port like 127.0.0.1:8080, got \"localhost\""},
      {"listen: 127.0.0.1:99999",
       "lk.yaml:1:9: listen: port must be between 0 and 65535, got 99999"},
      {"listen: 127.0.0.1:http",
       "lk.yaml:1:9: listen: expected a port number after the ':', got \"127.0.0.1:http\""},
      {"listen: ::1:80",
       "lk.yaml:1:9: listen: write an IPv6 address in brackets, like [::1]:8080, got \"::1:80\""},
      {"log_level: verbose",
       "lk.yaml:1:12: log_level: expected one of trace, debug, info, warn, error, got \"verbose\""},
      {"flush_interval: 2s",
       "lk.yaml:1:17: flush_interval: must be more than 0s and at most 1s, got 2s"},
      {"raw_retention: forever",
       "lk.yaml:1:16: raw_retention: expected a duration like 30s, got \"forever\""},
      {"max_concurrency: 0", "lk.yaml:1:18: max_concurrency: must be between 1 and 1000000, got 0"},
      {"max_concurrency: lots", "lk.yaml:1:18: max_concurrency: expected an integer, got \"lots\""},
      {"public_url: status.example",
       "lk.yaml:1:13: public_url: expected a URL starting with http:// or https://, got "
       "\"status.example\""},
      {"location: eu west",
       "lk.yaml:1:11: location: may contain only letters, digits, '.', '_' and '-', got \"eu "
       "west\""},
      {"title: [a, b]", "lk.yaml:1:8: title: expected a string, got a list"},
      {"checks: {name: x}",
       "lk.yaml:1:9: checks: expected a list of checks (each starting with '- name:')"},
      {"listn: 0.0.0.0:80", "lk.yaml:1:1: listn: unknown field; did you mean 'listen'?"},
      {"- a\n- b\n",
       "lk.yaml:1:1: expected a mapping of settings (listen:, checks:, ...) at the top level"},
      {"title: a\n---\ntitle: b\n",
       "lk.yaml:3:1: only one YAML document per file is allowed (remove the '---')"},
  };
  for (const BadSetting& c : cases) {
    LoadResult result = load_text(c.yaml);
    EXPECT_THAT(error_lines(result), ElementsAre(c.error)) << c.yaml;
    EXPECT_EQ(result.config, nullptr) << c.yaml;
  }
}

TEST(LoadString, GoodListenAddressesAreAccepted) {
  for (std::string listen : {"0.0.0.0:80", "[::1]:8080", "localhost:0", "status.example:443"}) {
    EXPECT_THAT(error_lines(load_text("listen: \"" + listen + "\"")), IsEmpty()) << listen;
  }
}

struct SyntaxCase {
  std::string yaml;
  std::string error;
};

TEST(LoadString, YamlSyntaxErrorIsOneErrorAtItsPosition) {
  const SyntaxCase cases[] = {
      {"checks: [a, b\ntitle: x\n",
       "lk.yaml:2:6: invalid YAML: did not find expected ',' or ']' (while parsing a flow "
       "sequence that starts at line 1, column 9)"},
      {"title: a: b\n",
       "lk.yaml:1:9: invalid YAML: mapping values are not allowed in this context"},
      {"checks:\n  - name: a\n   type: http\n",
       "lk.yaml:3:4: invalid YAML: did not find expected '-' indicator (while parsing a block "
       "collection that starts at line 2, column 3)"},
  };
  for (const SyntaxCase& c : cases) {
    LoadResult result = load_text(c.yaml);
    EXPECT_THAT(error_lines(result), ElementsAre(c.error)) << c.yaml;
    EXPECT_EQ(result.config, nullptr);
  }
}

TEST(LoadString, AnchorsAndAliasesReadAsTheValuesTheyStandFor) {
  LoadResult result = load_text(R"(checks:
  - name: web
    type: http
    url: https://shop.example/
    expect: &ok [status == 200, latency < 800ms]
    tags: &prod [prod, eu]
  - name: api
    type: http
    url: https://api.example/
    expect: *ok
    tags: *prod
    description: &text Shared text
    group: *text
)");
  ASSERT_THAT(error_lines(result), IsEmpty());
  const Check& api = result.config->checks.at(1);
  ASSERT_EQ(api.expect.size(), 2u);
  EXPECT_EQ(api.expect[1].text(), "latency < 800ms");
  EXPECT_THAT(api.spec.tags, ElementsAre("prod", "eu"));
  EXPECT_EQ(api.spec.group, "Shared text");
}

TEST(LoadString, AnAliasBombIsOneClearErrorAtTheAliasThatGoesTooFar) {
  std::string yaml = "checks:\n  - name: a\n    type: tcp\n    target: x:1\n    tags: &t0 [";
  for (int i = 0; i < 10; ++i) yaml += i ? ", lol" : "lol";
  yaml += "]\n";
  for (int level = 1; level <= 9; ++level) {
    yaml += "  - name: b" + std::to_string(level) + "\n    type: tcp\n    target: x:1\n";
    yaml += "    tags: &t" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) yaml += (i ? ", *t" : "*t") + std::to_string(level - 1);
    yaml += "]\n";
  }
  LoadResult result = load_text(yaml);
  ASSERT_EQ(result.errors.size(), 1u) << ::testing::PrintToString(error_lines(result));
  const Error& error = result.errors[0];
  // Tags of b5, whose eighth alias takes the count past a million nodes.
  EXPECT_EQ(error.pos.line, 25);
  EXPECT_THAT(error.message, ::testing::StartsWith("invalid YAML: aliases repeat more than 1000000 "
                                                   "nodes (an alias bomb?)"));
  EXPECT_EQ(result.config, nullptr);
}

TEST(LoadString, NonAsciiTextAndWindowsLineEndingsKeepExactPositions) {
  LoadResult result = load_text(
      "title: Café ☕\r\nchecks:\r\n  - name: ü\r\n    type: tcp\r\n    target: x:1\r\n"
      "    description: \"naïve\"\r\n    expect: [body contains \"é\", status = 200]\r\n");
  ASSERT_EQ(result.errors.size(), 2u) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(error_lines(result)[0],
            "lk.yaml:3:11: checks[0].name: may contain only letters, digits, '.', '_' and '-', "
            "got \"ü\"");
  EXPECT_EQ(result.errors[1].pos.line, 7);
  EXPECT_EQ(result.errors[1].pos.column, 40);  // the '=', counted in characters
  EXPECT_EQ(result.errors[1].path, "checks[0].expect[1]");
}

TEST(LoadFile, MissingFileIsAnErrorNamingThePathAndTheReason) {
  ScratchDir dir;
  std::string missing = (dir.path() / "nope.yaml").string();
  auto kinds = fake_kinds();
  LoadResult result = load_file(missing, kinds, fake_env());
  EXPECT_THAT(error_lines(result),
              ElementsAre(missing + ": cannot read config file: " + std::strerror(ENOENT)));
  EXPECT_EQ(result.config, nullptr);
}

TEST(LoadFile, ADirectoryIsNotAConfigFile) {
  ScratchDir dir;
  auto kinds = fake_kinds();
  LoadResult result = load_file(dir.path().string(), kinds, fake_env());
  EXPECT_THAT(
      error_lines(result),
      ElementsAre(dir.path().string() + ": cannot read config file: " + std::strerror(EISDIR)));
}

TEST(ErrorToString, OmitsThePathWhenEmptyAndThePositionWhenUnknown) {
  EXPECT_EQ((Error{{"a.yaml", 3, 7}, "checks[1].url", "missing required field"}).to_string(),
            "a.yaml:3:7: checks[1].url: missing required field");
  EXPECT_EQ((Error{{"a.yaml", 3, 7}, "", "invalid YAML: x"}).to_string(),
            "a.yaml:3:7: invalid YAML: x");
  EXPECT_EQ((Error{{"a.yaml", 0, 0}, "", "cannot read"}).to_string(), "a.yaml: cannot read");
}

}  // namespace
}  // namespace lk::config
