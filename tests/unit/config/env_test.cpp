// `${VAR}` substitution: the rules, and how the loader applies them.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/env.hpp"
#include "support.hpp"

namespace lk::config {
namespace {

using ::testing::ElementsAre;
using testing::error_lines;
using testing::fake_env;
using testing::fake_kinds;
using testing::FakeHttpSettings;
using ::testing::IsEmpty;

struct Substitution {
  std::string text;
  std::string expected;
};

TEST(SubstituteEnv, ReplacesVariablesAndHonoursDefaultsAndEscapes) {
  const Substitution cases[] = {
      {"plain text", "plain text"},
      {"${HOST}", "db.example"},
      {"https://${HOST}:${PORT}/x", "https://db.example:5432/x"},
      {"${MISSING:-fallback}", "fallback"},
      {"${EMPTY:-fallback}", "fallback"},
      {"${HOST:-fallback}", "db.example"},
      {"${MISSING:-}", ""},
      {"${EMPTY}", ""},
      {"$${HOST}", "${HOST}"},
      {"cost: $5 {not a var}", "cost: $5 {not a var}"},
      {"$$${HOST}", "$${HOST}"},
      {"${MISSING:-a:-b}", "a:-b"},
  };
  auto env = fake_env({{"HOST", "db.example"}, {"PORT", "5432"}, {"EMPTY", ""}});
  for (const Substitution& c : cases) {
    auto result = substitute_env(c.text, env);
    ASSERT_TRUE(std::holds_alternative<std::string>(result)) << c.text;
    EXPECT_EQ(std::get<std::string>(result), c.expected) << c.text;
  }
}

struct SubstitutionError {
  std::string text;
  std::size_t offset = 0;
  std::string message;
};

TEST(SubstituteEnv, RefusesUnsetVariablesAndMalformedReferences) {
  const SubstitutionError cases[] = {
      {"x ${TOKEN}", 2,
       "environment variable TOKEN is not set (set it, or give a default: ${TOKEN:-value})"},
      {"${TOKEN", 0, "unterminated ${ (close it with }, or write $${ for a literal ${)"},
      {"${}", 0,
       "invalid environment variable name \"\" (letters, digits and _, not starting with a digit)"},
      {"${1X}", 0,
       "invalid environment variable name \"1X\" (letters, digits and _, not starting with a "
       "digit)"},
      {"${A-B}", 0,
       "invalid environment variable name \"A-B\" (letters, digits and _, not starting with a "
       "digit)"},
  };
  for (const SubstitutionError& c : cases) {
    auto result = substitute_env(c.text, fake_env());
    ASSERT_TRUE(std::holds_alternative<EnvError>(result)) << c.text;
    EXPECT_EQ(std::get<EnvError>(result).offset, c.offset) << c.text;
    EXPECT_EQ(std::get<EnvError>(result).message, c.message) << c.text;
  }
}

TEST(LoadWithEnv, EveryKindOfValueIsSubstitutedBeforeItIsInterpreted) {
  auto kinds = fake_kinds();
  auto env = fake_env({{"SHOP", "shop.example"}, {"EVERY", "15s"}, {"PAUSED", "true"}});
  LoadResult result = load_string(R"(title: ${TITLE:-Status of ${SHOP}}
checks:
  - name: web
    type: http
    url: https://${SHOP}/health
    interval: ${EVERY}
    timeout: ${TIMEOUT:-3s}
    paused: ${PAUSED}
    tags: ["${SHOP}", "$${literal}"]
    expect: ["latency < ${LIMIT:-800ms}"]
)",
                                  "lk.yaml", kinds, env);
  ASSERT_THAT(error_lines(result), IsEmpty());
  const Config& config = *result.config;
  // No nesting: the default ends at the first '}', and the rest is literal text.
  EXPECT_EQ(config.title, "Status of ${SHOP}");
  const Check& web = config.checks.at(0);
  EXPECT_EQ(web.spec.settings_as<FakeHttpSettings>().url, "https://shop.example/health");
  EXPECT_EQ(web.spec.interval, std::chrono::seconds{15});
  EXPECT_EQ(web.spec.timeout, std::chrono::seconds{3});
  EXPECT_TRUE(web.spec.paused);
  EXPECT_THAT(web.spec.tags, ElementsAre("shop.example", "${literal}"));
  EXPECT_EQ(web.expect.at(0).text(), "latency < 800ms");
}

TEST(LoadWithEnv, AnUnsetVariableIsAnErrorAtItsValueNamingTheVariable) {
  auto kinds = fake_kinds();
  LoadResult result = load_string(R"(checks:
  - name: db
    type: tcp
    target: ${DB_HOST}:5432
    tags: [a, "${TEAM}"]
)",
                                  "lk.yaml", kinds, fake_env());
  EXPECT_THAT(error_lines(result),
              ElementsAre("lk.yaml:4:13: checks[0].target: environment variable DB_HOST is not "
                          "set (set it, or give a default: ${DB_HOST:-value})",
                          "lk.yaml:5:15: checks[0].tags[1]: environment variable TEAM is not set "
                          "(set it, or give a default: ${TEAM:-value})"));
}

TEST(LoadWithEnv, UnknownFieldsAreNotSubstitutedSoTheirVariablesNeedNotExist) {
  auto kinds = fake_kinds();
  LoadResult result = load_string("titel: ${NOPE}\n", "lk.yaml", kinds, fake_env());
  EXPECT_THAT(error_lines(result),
              ElementsAre("lk.yaml:1:1: titel: unknown field; did you mean 'title'?"));
}

}  // namespace
}  // namespace lk::config
