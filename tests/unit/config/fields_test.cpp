// The Fields reader: conversions, defaults from the option table, positions and unknown keys.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "config/yaml_fields.hpp"
#include "support.hpp"

namespace lk::config {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using testing::fake_env;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr Option kOptions[] = {
    {"name", "string", "", "", true},  {"label", "string", "", ""},
    {"method", "string", "GET", ""},   {"enabled", "bool", "true", ""},
    {"retries", "int", "3", ""},       {"every", "duration", "30s", ""},
    {"max_body", "size", "64KiB", ""}, {"tags", "list", "[a, b]", ""},
    {"headers", "map", "", ""},
};

constexpr Option kMoreOptions[] = {
    {"port", "int", "80", ""},
};

/// A reader over one YAML text, keeping the document and errors alive as long as it.
struct Reader {
  explicit Reader(std::string yaml, EnvLookup environment = fake_env())
      : env(std::move(environment)),
        doc{"f.yaml", yaml::parse(std::move(yaml))},
        fields(doc.tree.root(), "thing", doc, {env, errors}, {kOptions}) {}

  std::vector<std::string> error_lines() const {
    std::vector<std::string> lines;
    for (const Error& e : errors) lines.push_back(e.to_string());
    return lines;
  }

  EnvLookup env;
  std::vector<Error> errors;
  Document doc;
  YamlFields fields;
};

TEST(YamlFields, AbsentKeysTakeTheDefaultOfTheirOptionTable) {
  Reader r("name: x\n");
  EXPECT_EQ(r.fields.string("method"), "GET");
  EXPECT_EQ(r.fields.optional_string("method"), "GET");
  EXPECT_EQ(r.fields.optional_string("label"), std::nullopt);
  EXPECT_EQ(r.fields.string("label"), "");
  EXPECT_TRUE(r.fields.boolean("enabled"));
  EXPECT_EQ(r.fields.integer("retries", 0, 10), 3);
  EXPECT_EQ(r.fields.duration("every"), 30s);
  EXPECT_EQ(r.fields.size("max_body"), 65536u);
  EXPECT_THAT(r.fields.string_list("tags"), ElementsAre("a", "b"));
  EXPECT_THAT(r.fields.string_map("headers"), IsEmpty());
  EXPECT_FALSE(r.fields.has("method"));
  r.fields.finish();
  EXPECT_THAT(r.error_lines(), IsEmpty());
}

TEST(YamlFields, GivenValuesAreConverted) {
  Reader r(R"(name: x
label: ~
method: POST
enabled: off
retries: "7"
every: 1h30m
max_body: 10MB
tags: solo
headers: {Accept: text/html, X-Token: t}
)");
  EXPECT_EQ(r.fields.string("name"), "x");
  EXPECT_EQ(r.fields.optional_string("label"), std::nullopt);
  EXPECT_EQ(r.fields.string("method"), "POST");
  EXPECT_FALSE(r.fields.boolean("enabled"));
  EXPECT_EQ(r.fields.integer("retries", 0, 10), 7);
  EXPECT_EQ(r.fields.duration("every"), 90min);
  EXPECT_EQ(r.fields.size("max_body"), 10'000'000u);
  EXPECT_THAT(r.fields.string_list("tags"), ElementsAre("solo"));
  EXPECT_THAT(r.fields.string_map("headers"),
              ElementsAre(Pair("Accept", "text/html"), Pair("X-Token", "t")));
  r.fields.finish();
  EXPECT_THAT(r.error_lines(), IsEmpty());
}

struct WrongValue {
  std::string yaml;
  std::string error;
};

TEST(YamlFields, AWrongValueIsReportedAtItsPositionAndTheDefaultIsUsed) {
  const WrongValue cases[] = {
      {"every: 30 seconds",
       "f.yaml:2:8: thing.every: expected a duration like 30s, got \"30 seconds\""},
      {"every: [1s]", "f.yaml:2:8: thing.every: expected a duration like 30s, got a list"},
      {"enabled: maybe", "f.yaml:2:10: thing.enabled: expected true or false, got \"maybe\""},
      {"retries: 2.5", "f.yaml:2:10: thing.retries: expected an integer, got \"2.5\""},
      {"retries: 11", "f.yaml:2:10: thing.retries: must be between 0 and 10, got 11"},
      {"max_body: 64 kilobytes",
       "f.yaml:2:11: thing.max_body: expected a size like 64KiB, got \"64 kilobytes\""},
      {"method: {a: b}", "f.yaml:2:9: thing.method: expected a string, got a mapping"},
      {"tags: {a: b}", "f.yaml:2:7: thing.tags: expected a list of strings, got a mapping"},
      {"headers: [a]", "f.yaml:2:10: thing.headers: expected a mapping of strings, got a list"},
      {"headers:\n  a: [b]", "f.yaml:3:6: thing.headers.a: expected a string, got a list"},
  };
  for (const WrongValue& c : cases) {
    Reader r("name: x\n" + c.yaml + "\n");
    EXPECT_EQ(r.fields.duration("every"), 30s) << c.yaml;
    EXPECT_TRUE(r.fields.boolean("enabled")) << c.yaml;
    EXPECT_EQ(r.fields.integer("retries", 0, 10), 3) << c.yaml;
    EXPECT_EQ(r.fields.size("max_body"), 65536u) << c.yaml;
    EXPECT_EQ(r.fields.string("method"), "GET") << c.yaml;
    r.fields.string_list("tags");
    r.fields.string_map("headers");
    EXPECT_THAT(r.error_lines(), ElementsAre(c.error)) << c.yaml;
  }
}

TEST(YamlFields, AMissingRequiredFieldIsReportedAtTheMappingOrTheEmptyKey) {
  Reader absent("label: x\nmethod: GET\n");
  absent.fields.string("name");
  Reader empty("label: x\nname:\n");
  empty.fields.string("name");
  EXPECT_THAT(absent.error_lines(), ElementsAre("f.yaml:1:1: thing.name: missing required field"));
  EXPECT_THAT(empty.error_lines(), ElementsAre("f.yaml:2:1: thing.name: missing required field"));
}

TEST(YamlFields, FinishReportsUnknownKeysWithASuggestionWhenOneIsClose) {
  Reader r("name: x\nmethd: GET\nzzzzzz: 1\nport: 8080\n");
  r.fields.finish();
  EXPECT_THAT(r.error_lines(),
              ElementsAre("f.yaml:2:1: thing.methd: unknown field; did you mean 'method'?",
                          "f.yaml:3:1: thing.zzzzzz: unknown field",
                          "f.yaml:4:1: thing.port: unknown field"));
}

TEST(YamlFields, KeysOfEveryAddedTableAreKnown) {
  Reader r("name: x\nport: 8080\n");
  r.fields.add_options(kMoreOptions);
  EXPECT_EQ(r.fields.integer("port", 1, 65535), 8080);
  r.fields.finish();
  EXPECT_THAT(r.error_lines(), IsEmpty());
}

TEST(YamlFields, AMappingWithManyKeysIsReadLikeASmallOne) {
  std::string yaml = "name: x\n";
  for (int i = 0; i < 30; ++i) yaml += "extra" + std::to_string(i) + ": 1\n";
  yaml += "retries: 5\nretries: 6\n";
  Reader r(yaml);
  EXPECT_EQ(r.fields.integer("retries", 0, 10), 5);
  EXPECT_EQ(r.fields.pos("retries").line, 32);
  for (int i = 0; i < 30; ++i) r.fields.mark_handled("extra" + std::to_string(i));
  r.fields.finish();
  EXPECT_THAT(
      r.error_lines(),
      ElementsAre("f.yaml:33:1: thing.retries: field given twice; the first is on line 32"));
}

TEST(YamlFields, ValuesGivenThroughAliasesAreReadAndReportedWhereTheAliasIs) {
  Reader r("name: &n x\nlabel: *n\nevery: &e soon\nmethod: *e\nretries: *e\n");
  EXPECT_EQ(r.fields.string("label"), "x");
  EXPECT_EQ(r.fields.string("method"), "soon");
  EXPECT_EQ(r.fields.integer("retries", 0, 10), 3);
  EXPECT_THAT(r.error_lines(),
              ElementsAre("f.yaml:5:10: thing.retries: expected an integer, got \"soon\""));
}

TEST(YamlFields, MoreOptionTablesThanAReaderHoldsIsAProgrammingError) {
  Reader r("name: x\n");
  for (std::size_t i = 1; i < YamlFields::kMaxTables; ++i) r.fields.add_options(kMoreOptions);
  EXPECT_THROW(r.fields.add_options(kMoreOptions), std::logic_error);
}

TEST(YamlFields, ReadingAKeyThatIsInNoTableIsAProgrammingError) {
  Reader r("name: x\n");
  EXPECT_THROW(r.fields.string("colour"), std::logic_error);
  EXPECT_THROW(r.fields.duration("port"), std::logic_error);
}

TEST(YamlFields, ADefaultThatDoesNotParseIsAProgrammingError) {
  static constexpr Option kBroken[] = {{"every", "duration", "soon", ""}};
  auto env = fake_env();
  std::vector<Error> errors;
  Document doc{"f.yaml", yaml::parse("{}")};
  YamlFields fields(doc.tree.root(), "", doc, {env, errors}, {kBroken});
  EXPECT_THROW(fields.duration("every"), std::logic_error);
}

TEST(YamlFields, PathsAndErrorsNameTheKeyUnderThePrefix) {
  Reader r("name: x\nlabel: y\n");
  EXPECT_EQ(r.fields.path("label"), "thing.label");
  r.fields.error("label", "is not nice");
  r.fields.error("port", "is missing for a reason of the kind's own");
  EXPECT_THAT(r.error_lines(),
              ElementsAre("f.yaml:2:8: thing.label: is not nice",
                          "f.yaml:1:1: thing.port: is missing for a reason of the kind's own"));
}

}  // namespace
}  // namespace lk::config
