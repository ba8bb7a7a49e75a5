// A config with many mistakes: every one is reported at once, each at its exact position.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "support.hpp"

namespace lk::config {
namespace {

using ::testing::ElementsAre;
using testing::error_lines;
using testing::fake_env;
using testing::fake_kinds;
using ::testing::IsEmpty;

LoadResult load_text(std::string_view yaml, EnvLookup env = fake_env()) {
  auto kinds = fake_kinds();
  return load_string(yaml, "lk.yaml", kinds, env);
}

// The wording of a condition error belongs to expect/; config owns where and how it is shown.
std::string condition_error(const std::string& where, const std::string& condition) {
  auto parsed = expect::parse(condition);
  const auto& error = std::get<expect::ParseError>(parsed);
  return where + ": condition \"" + condition + "\": " + error.message + " at offset " +
         std::to_string(error.offset);
}

TEST(Mistakes, EveryMistakeInAFileIsReportedAtOnceInFileOrder) {
  constexpr std::string_view yaml = R"(listen: 127.0.0.1:8080
checks:
  - name: web
    type: http
    url: https://shop.example/
    interval: 30 seconds
    intervl: 30s
  - type: http
    url: https://a.example/
  - name: web
    type: http
    url: https://b.example/
  - name: dns
    type: dnss
  - name: api
    type: http
    url: https://api.example/
    methd: POST
    expect: [status = 200]
  - name: slow
    type: tcp
    target: db:5432
    interval: 10s
    timeout: 30s
  - name: secret
    type: http
    url: https://x.example/?token=${API_TOKEN}
)";
  LoadResult result = load_text(yaml);

  EXPECT_EQ(result.config, nullptr);
  EXPECT_THAT(
      error_lines(result),
      ElementsAre(
          "lk.yaml:6:15: checks[0].interval: expected a duration like 30s, got \"30 seconds\"",
          "lk.yaml:7:5: checks[0].intervl: unknown field; did you mean 'interval'?",
          "lk.yaml:8:5: checks[1].name: missing required field",
          "lk.yaml:10:11: checks[2].name: duplicate check name \"web\"; the first is at "
          "lk.yaml:3:11",
          "lk.yaml:14:11: checks[3].type: unknown type \"dnss\"; known types: http, tcp",
          "lk.yaml:18:5: checks[4].methd: unknown field; did you mean 'method'?",
          condition_error("lk.yaml:19:21: checks[4].expect[0]", "status = 200"),
          "lk.yaml:24:14: checks[5].timeout: timeout 30s must not exceed the interval 10s",
          "lk.yaml:27:10: checks[6].url: environment variable API_TOKEN is not set (set it, or "
          "give a default: ${API_TOKEN:-value})"));
}

struct CheckMistake {
  std::string check;  ///< the lines of one check after "checks:\n  - "
  std::string error;
};

TEST(Mistakes, EachCheckMistakeHasItsOwnMessage) {
  const CheckMistake cases[] = {
      {"name: a\n    url: https://a/", "lk.yaml:2:5: checks[0].type: missing required field"},
      {"name: a\n    type: http", "lk.yaml:2:5: checks[0].url: missing required field"},
      {"name: a\n    type: htp\n    url: x",
       "lk.yaml:3:11: checks[0].type: unknown type \"htp\"; did you mean 'http'? known types: "
       "http, tcp"},
      {"name: a b\n    type: tcp\n    target: x",
       "lk.yaml:2:11: checks[0].name: may contain only letters, digits, '.', '_' and '-', got "
       "\"a b\""},
      {"name: " + std::string(101, 'n') + "\n    type: tcp\n    target: x",
       "lk.yaml:2:11: checks[0].name: must be 1 to 100 characters long, got 101"},
      {"name: a\n    type: tcp\n    target: x\n    interval: 50ms",
       "lk.yaml:5:15: checks[0].interval: must be at least 100ms, got 50ms"},
      {"name: a\n    type: tcp\n    target: x\n    interval: 5s",
       "lk.yaml:5:15: checks[0].interval: interval 5s is shorter than the default timeout 10s; "
       "set a shorter timeout"},
      {"name: a\n    type: tcp\n    target: x\n    timeout: 0s",
       "lk.yaml:5:14: checks[0].timeout: must be more than 0s"},
      {"name: a\n    type: tcp\n    target: x\n    failure_threshold: 0",
       "lk.yaml:5:24: checks[0].failure_threshold: must be between 1 and 100, got 0"},
      {"name: a\n    type: tcp\n    target: x\n    recovery_threshold: 101",
       "lk.yaml:5:25: checks[0].recovery_threshold: must be between 1 and 100, got 101"},
      {"name: a\n    type: tcp\n    target: x\n    paused: maybe",
       "lk.yaml:5:13: checks[0].paused: expected true or false, got \"maybe\""},
      {"name: a\n    type: tcp\n    target: x\n    tags: [a, {b: c}]",
       "lk.yaml:5:15: checks[0].tags[1]: expected a string, got a mapping"},
      {"name: a\n    type: tcp\n    target: x\n    name: b",
       "lk.yaml:5:5: checks[0].name: field given twice; the first is on line 2"},
  };
  for (const CheckMistake& c : cases) {
    LoadResult result = load_text("checks:\n  - " + c.check + "\n");
    EXPECT_THAT(error_lines(result), ElementsAre(c.error)) << c.check;
  }
}

TEST(Mistakes, ACheckThatIsNotAMappingIsReportedAndTheOthersStillRead) {
  LoadResult result = load_text("checks:\n  - just-a-name\n  - name: b\n    type: tcp\n");
  EXPECT_THAT(error_lines(result),
              ElementsAre("lk.yaml:2:5: checks[0]: expected a check (a mapping with name, type, "
                          "...), got \"just-a-name\"",
                          "lk.yaml:3:5: checks[1].target: missing required field"));
}

struct ConditionPosition {
  std::string expect_yaml;  ///< written after "    expect:"
  std::string condition;
  int line = 0;
  int column = 0;  ///< where the error must point
};

// `status = 200` fails at its '=' (offset 7). The column points at it whenever the value is
// written verbatim; otherwise (escapes, folded text, ${VAR}) at the start of the value.
TEST(Mistakes, ConditionErrorPointsAtTheOffendingCharacterWhenItCan) {
  const ConditionPosition cases[] = {
      {" [status = 200]", "status = 200", 5, 21},
      {"\n      - status = 200", "status = 200", 6, 16},
      {"\n      - \"status = 200\"", "status = 200", 6, 17},
      {"\n      - 'status = 200'", "status = 200", 6, 17},
      {" status = 200", "status = 200", 5, 20},
      {"\n      - \"status \\x3d 200\"", "status = 200", 6, 9},
      {"\n      - >-\n        status\n        = 200", "status = 200", 6, 9},
      {"\n      - ${CONDITION}", "status = 200", 6, 9},
  };
  auto env = fake_env({{"CONDITION", "status = 200"}});
  for (const ConditionPosition& c : cases) {
    LoadResult result = load_text(
        "checks:\n  - name: a\n    type: tcp\n    target: x\n    expect:" + c.expect_yaml + "\n",
        env);
    std::string path =
        c.expect_yaml.find('-') == std::string::npos && c.expect_yaml.find('[') == std::string::npos
            ? "checks[0].expect"
            : "checks[0].expect[0]";
    std::string where =
        "lk.yaml:" + std::to_string(c.line) + ":" + std::to_string(c.column) + ": " + path;
    EXPECT_THAT(error_lines(result), ElementsAre(condition_error(where, c.condition)))
        << c.expect_yaml;
  }
}

TEST(Mistakes, ASingleConditionStringCountsAsAListOfOne) {
  LoadResult result =
      load_text("checks:\n  - name: a\n    type: tcp\n    target: x\n    expect: status == 200\n");
  ASSERT_THAT(error_lines(result), IsEmpty());
  EXPECT_EQ(result.config->checks[0].expect.at(0).text(), "status == 200");
}

}  // namespace
}  // namespace lk::config
