// Fingerprints: equal exactly when two YAML values mean the same after ${VAR} substitution.

#include <gtest/gtest.h>

#include "config/fingerprint.hpp"
#include "support.hpp"

namespace lk::config {
namespace {

using testing::fake_env;

struct Pair {
  std::string a;
  std::string b;
};

std::string fingerprint_of(const std::string& yaml, const EnvLookup& env = fake_env({{"X", "1"}})) {
  yaml::Tree tree = yaml::parse(yaml);
  EXPECT_FALSE(tree.error()) << yaml;
  Fingerprinter fingerprinter;
  return fingerprinter.fingerprint(tree.root(), env);
}

TEST(Fingerprint, FormattingKeyOrderQuotingAnchorsAndVariablesDoNotShow) {
  const Pair cases[] = {
      {"{a: 1, b: [x, y]}", "b: [x, 'y']\na: \"1\"\n"},
      {"a: 1 # comment", "{a: 1}"},
      {"{a: '${X}'}", "{a: 1}"},
      {"{a: [x, y], b: [x, y]}", "{a: &l [x, y], b: *l}"},
      {"{a: {c: 1, b: 2}}", "{a: {b: 2, c: 1}}"},
      {"{a: ~}", "{a: }"},
      {"{[k]: v, s: 1}", "{s: 1, [k]: v}"},
  };
  for (const Pair& c : cases) {
    EXPECT_EQ(fingerprint_of(c.a), fingerprint_of(c.b)) << c.a << " vs " << c.b;
  }
}

TEST(Fingerprint, AnyChangeOfMeaningShows) {
  const Pair cases[] = {
      {"{a: 1}", "{a: 2}"},           {"{a: [x]}", "{a: x}"},
      {"{a: ~}", "{a: '~'}"},         {"{a: ''}", "{a: ~}"},
      {"{a: [x, y]}", "{a: [y, x]}"}, {"{'a: b': c}", "{a: 'b: c'}"},
      {"{a: [xy]}", "{a: [x, y]}"},   {"{a: {}}", "{a: []}"},
      {"{a: 1}", "{a: 1, b: 1}"},     {"{a: '${X}'}", "{a: '$${X}'}"},
  };
  for (const Pair& c : cases) {
    EXPECT_NE(fingerprint_of(c.a), fingerprint_of(c.b)) << c.a << " vs " << c.b;
  }
}

TEST(Fingerprint, IsShortAndTheSameForOneFingerprinterCalledAgain) {
  yaml::Tree first = yaml::parse("{name: web, url: 'https://a/', nested: {list: [1, {x: y}]}}");
  yaml::Tree second = yaml::parse("{other: 1}");
  Fingerprinter fingerprinter;
  auto env = fake_env();
  std::string once = fingerprinter.fingerprint(first.root(), env);
  fingerprinter.fingerprint(second.root(), env);
  EXPECT_EQ(fingerprinter.fingerprint(first.root(), env), once);
  EXPECT_EQ(once.size(), 11u);
}

}  // namespace
}  // namespace lk::config
