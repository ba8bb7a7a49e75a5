// The YAML document model built from libyaml's events: the YAML that configs are written in,
// positions, anchors, and what is refused (syntax errors, alias bombs, runaway nesting).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/yaml/document.hpp"

namespace lk::config::yaml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

/// The value of `key` in a mapping (an absent node when missing).
Node get(Node mapping, std::string_view key) {
  for (auto [k, v] : mapping.entries()) {
    if (k.scalar() == key) return v;
  }
  return {};
}

std::vector<std::string> strings(Node sequence) {
  std::vector<std::string> out;
  for (Node item : sequence.items()) out.emplace_back(item.scalar());
  return out;
}

std::vector<std::string> keys(Node mapping) {
  std::vector<std::string> out;
  for (auto [k, v] : mapping.entries()) out.emplace_back(k.scalar());
  return out;
}

/// Parses text that must be valid.
Tree valid(std::string text) {
  Tree tree = parse(std::move(text));
  EXPECT_FALSE(tree.error()) << tree.error()->message;
  return tree;
}

TEST(YamlDocument, BlockAndFlowCollectionsNestInEachOther) {
  Tree tree = valid(R"(checks:
  - name: web
    tags: [a, "b", 'c']
    headers: {Accept: text/html, X-Empty: ""}
  - {name: db, tags: [], nested: {list: [1, [2, 3]]}}
)");
  Node checks = get(tree.root(), "checks");
  ASSERT_TRUE(checks.is_sequence());
  ASSERT_EQ(checks.size(), 2u);
  std::vector<Node> items(checks.items().begin(), checks.items().end());
  EXPECT_THAT(keys(items[0]), ElementsAre("name", "tags", "headers"));
  EXPECT_THAT(strings(get(items[0], "tags")), ElementsAre("a", "b", "c"));
  Node headers = get(items[0], "headers");
  EXPECT_TRUE(headers.is_mapping());
  EXPECT_EQ(headers.size(), 2u);
  EXPECT_EQ(get(headers, "Accept").scalar(), "text/html");
  EXPECT_TRUE(get(headers, "X-Empty").is_scalar());
  EXPECT_EQ(get(items[1], "name").scalar(), "db");
  EXPECT_TRUE(get(items[1], "tags").is_sequence());
  EXPECT_EQ(get(items[1], "tags").size(), 0u);
  Node list = get(get(items[1], "nested"), "list");
  ASSERT_EQ(list.size(), 2u);
  std::vector<Node> inner(list.items().begin(), list.items().end());
  EXPECT_EQ(inner[0].scalar(), "1");
  EXPECT_THAT(strings(inner[1]), ElementsAre("2", "3"));
}

struct ScalarCase {
  std::string yaml;  ///< the value, after "v: "
  std::string value;
};

TEST(YamlDocument, ScalarsReadAsYamlDefinesThem) {
  const ScalarCase cases[] = {
      {"plain text here", "plain text here"},
      {"\"double \\\"quoted\\\"\\ttab\\nline \\x3d \\u00e9\"", "double \"quoted\"\ttab\nline = é"},
      {"'single ''quoted'' \\n'", "single 'quoted' \\n"},
      {"|\n  line one\n  line two\n", "line one\nline two\n"},
      {"|-\n  kept\n   indented\n", "kept\n indented"},
      {">\n  folded\n  into one\n\n  paragraph\n", "folded into one\nparagraph\n"},
      {">-\n  status\n  == 200\n", "status == 200"},
      {"plain # a comment", "plain"},
      {"multi\n  line plain", "multi line plain"},
      {"!!str 123", "123"},
      {"!custom tagged", "tagged"},
      {"\"null\"", "null"},
      {"!!str ~", "~"},
  };
  for (const ScalarCase& c : cases) {
    Tree tree = valid("v: " + c.yaml + "\n");
    Node v = get(tree.root(), "v");
    EXPECT_TRUE(v.is_scalar()) << c.yaml;
    EXPECT_EQ(v.scalar(), c.value) << c.yaml;
  }
}

TEST(YamlDocument, PlainNullSpellingsAndEmptyValuesAreNull) {
  Tree tree = valid("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nUll\ng: ''\n");
  for (std::string_view key : {"a", "b", "c", "d", "e"}) {
    EXPECT_TRUE(get(tree.root(), key).is_null()) << key;
    EXPECT_TRUE(get(tree.root(), key).defined()) << key;
  }
  EXPECT_TRUE(get(tree.root(), "f").is_scalar());
  EXPECT_TRUE(get(tree.root(), "g").is_scalar());
  EXPECT_FALSE(Node().defined());
  EXPECT_TRUE(Node().is_null());
}

TEST(YamlDocument, MarksAreLinesAndColumnsOfWhereNodesStart) {
  Tree tree = valid("title: x\nchecks:\n  - name: é-web\n    url: \"https://a/\"\n");
  Node check = *get(tree.root(), "checks").items().begin();
  EXPECT_EQ(tree.root().mark().line, 0u);
  EXPECT_EQ(check.mark().line, 2u);
  EXPECT_EQ(check.mark().column, 4u);
  Node url = get(check, "url");
  EXPECT_EQ(url.mark().line, 3u);
  EXPECT_EQ(url.mark().column, 9u);
  EXPECT_EQ(url.value_column(), 10u);  // after the quote
}

TEST(YamlDocument, ValuesWrittenAsTheyReadAreViewsOfTheTextEvenAfterNonAsciiText) {
  Tree tree = valid(
      "\xEF\xBB\xBFtitle: Café ☕\r\nplain: status == 200\r\nquoted: 'a b'\r\n"
      "escaped: \"a\\tb\"\r\nfolded: >-\r\n  x\r\n");
  Node root = tree.root();
  EXPECT_EQ(get(root, "title").scalar(), "Café ☕");
  EXPECT_TRUE(get(root, "title").is_verbatim());
  EXPECT_TRUE(get(root, "plain").is_verbatim());
  EXPECT_EQ(get(root, "plain").value_column(), 7u);
  EXPECT_TRUE(get(root, "quoted").is_verbatim());
  EXPECT_EQ(get(root, "quoted").value_column(), 9u);
  EXPECT_FALSE(get(root, "escaped").is_verbatim());
  EXPECT_EQ(get(root, "escaped").scalar(), "a\tb");
  EXPECT_FALSE(get(root, "folded").is_verbatim());
  EXPECT_EQ(get(root, "folded").scalar(), "x");
}

TEST(YamlDocument, Utf16WithAByteOrderMarkIsRead) {
  std::string text = "\xFF\xFE";  // UTF-16LE
  for (char c : std::string("a: b\n")) text += {c, '\0'};
  Tree tree = valid(text);
  EXPECT_EQ(get(tree.root(), "a").scalar(), "b");
}

TEST(YamlDocument, AliasesReadAsTheAnchoredNodeWithTheMarkOfTheAlias) {
  Tree tree = valid(R"(defaults: &defaults {interval: 30s, tags: &tags [a, b]}
first: *defaults
second:
  tags: *tags
  name: &name web
  again: *name
)");
  Node root = tree.root();
  Node first = get(root, "first");
  EXPECT_TRUE(first.is_mapping());
  EXPECT_EQ(get(first, "interval").scalar(), "30s");
  EXPECT_EQ(first.mark().line, 1u);
  EXPECT_EQ(first.mark().column, 7u);
  Node second = get(root, "second");
  EXPECT_THAT(strings(get(second, "tags")), ElementsAre("a", "b"));
  EXPECT_EQ(get(second, "again").scalar(), "web");
  EXPECT_FALSE(get(second, "again").is_verbatim());  // the text there is "*name"
  EXPECT_EQ(get(second, "again").mark().line, 5u);
}

TEST(YamlDocument, DuplicateKeysAreKeptInOrderForTheReaderToReport) {
  Tree tree = valid("a: 1\nb: 2\na: 3\n");
  EXPECT_THAT(keys(tree.root()), ElementsAre("a", "b", "a"));
}

TEST(YamlDocument, EveryDocumentOfAStreamIsKept) {
  Tree tree = valid("title: a\n---\ntitle: b\n");
  ASSERT_EQ(tree.document_count(), 2u);
  EXPECT_EQ(tree.document(1).mark().line, 2u);
  EXPECT_EQ(get(tree.document(1), "title").scalar(), "b");
  EXPECT_EQ(valid("").document_count(), 0u);
  EXPECT_EQ(valid("# only a comment\n").document_count(), 0u);
  EXPECT_FALSE(valid("").root().defined());
}

struct Refused {
  std::string yaml;
  std::uint32_t line = 0;  ///< 0-based
  std::uint32_t column = 0;
  std::string message;  ///< a fragment of it
};

TEST(YamlDocument, SyntaxErrorsAndBadAliasesAreRefusedWithTheirPosition) {
  const Refused cases[] = {
      {"a: [1, 2\nb: 3\n", 1, 1, "did not find expected ',' or ']'"},
      {"a: b: c\n", 0, 4, "mapping values are not allowed in this context"},
      {"a: 'open\n", 1, 0, "found unexpected end of stream"},
      {"a: *nowhere\n", 0, 3, "alias *nowhere refers to no anchor &nowhere defined before it"},
      {"a: *later\nb: &later 1\n", 0, 3, "refers to no anchor"},
      {"a: &loop [1, *loop]\n", 0, 13, "recursive alias"},
      {"a: \xFF\n", 0, 3, "invalid leading UTF-8 octet #FF"},
  };
  for (const Refused& c : cases) {
    Tree tree = parse(c.yaml);
    ASSERT_TRUE(tree.error()) << c.yaml;
    EXPECT_EQ(tree.error()->mark.line, c.line) << c.yaml;
    EXPECT_EQ(tree.error()->mark.column, c.column) << c.yaml;
    EXPECT_THAT(tree.error()->message, HasSubstr(c.message)) << c.yaml;
    EXPECT_EQ(tree.document_count(), 0u) << c.yaml;
    EXPECT_EQ(tree.node_count(), 0u) << c.yaml;
  }
}

// "Billion laughs": ten levels of ten aliases each would be 10^10 nodes if copied.
std::string deep_alias_bomb() {
  std::string text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 10; ++level) {
    std::string previous = "*l" + std::to_string(level - 1);
    text += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + previous;
    text += "]\n";
  }
  return text;
}

// One wide list repeated many times: 10,000 items times 200 aliases.
std::string wide_alias_bomb() {
  std::string text = "wide: &wide [";
  for (int i = 0; i < 10'000; ++i) text += (i ? ",x" : "x");
  text += "]\nrepeat:\n";
  for (int i = 0; i < 200; ++i) text += "  - *wide\n";
  return text;
}

TEST(YamlDocument, AnAliasBombIsRefusedWithoutExpandingIt) {
  for (const std::string& text : {deep_alias_bomb(), wide_alias_bomb()}) {
    Tree tree = parse(text);
    ASSERT_TRUE(tree.error());
    EXPECT_THAT(tree.error()->message, HasSubstr("aliases repeat more than"));
    EXPECT_THAT(tree.error()->message, HasSubstr("alias bomb"));
    EXPECT_EQ(tree.node_count(), 0u);  // nothing is kept of a refused document
  }
}

TEST(YamlDocument, AliasesWithinTheLimitAreFine) {
  // Many uses of a small anchor (defaults shared by every check) are what anchors are for.
  std::string text = "base: &base {interval: 30s, timeout: 5s, tags: [a, b, c]}\nchecks:\n";
  for (int i = 0; i < 5'000; ++i) text += "  - {name: c" + std::to_string(i) + ", d: *base}\n";
  Tree tree = valid(text);
  EXPECT_EQ(get(tree.root(), "checks").size(), 5'000u);
  // A small limit makes the same document too much.
  Tree limited = parse(text, Limits{.alias_floor = 1'000, .alias_factor = 1});
  ASSERT_TRUE(limited.error());
  EXPECT_THAT(limited.error()->message, HasSubstr("alias bomb"));
}

TEST(YamlDocument, NestingDeeperThanTheLimitIsRefused) {
  std::string deep(2'000, '[');
  deep += std::string(2'000, ']');
  Tree tree = parse(deep);
  ASSERT_TRUE(tree.error());
  EXPECT_THAT(tree.error()->message, HasSubstr("nesting deeper than 1000 levels"));
  Tree fine = valid(std::string(500, '[') + std::string(500, ']'));
  EXPECT_EQ(fine.node_count(), 500u);
}

}  // namespace
}  // namespace lk::config::yaml
