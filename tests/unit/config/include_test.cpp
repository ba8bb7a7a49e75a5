// `include:` of files and directories, relative paths, cycles and names across files.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "config/config.hpp"
#include "support.hpp"

namespace lk::config {
namespace {

using ::testing::ElementsAre;
using testing::error_lines;
using testing::fake_env;
using testing::fake_kinds;
using ::testing::IsEmpty;
using testing::ScratchDir;

std::vector<std::string> check_names(const Config& config) {
  std::vector<std::string> names;
  for (const Check& check : config.checks) names.push_back(check.spec.name);
  return names;
}

std::string tcp_check(const std::string& name) {
  return "  - name: " + name + "\n    type: tcp\n    target: " + name + ":1\n";
}

LoadResult load(const std::string& file) {
  auto kinds = fake_kinds();
  return load_file(file, kinds, fake_env());
}

TEST(Include, ADirectoryIncludesItsYamlFilesSortedByName) {
  ScratchDir dir;
  std::string main = dir.write("main.yaml", "include: checks.d\nchecks:\n" + tcp_check("main"));
  std::string b = dir.write("checks.d/b.yml", "checks:\n" + tcp_check("b"));
  std::string a = dir.write("checks.d/a.yaml", "checks:\n" + tcp_check("a"));
  dir.write("checks.d/notes.txt", "not yaml: [");
  dir.write("checks.d/sub/c.yaml", "checks:\n" + tcp_check("c"));

  LoadResult result = load(main);

  ASSERT_THAT(error_lines(result), IsEmpty());
  EXPECT_THAT(check_names(*result.config), ElementsAre("main", "a", "b"));
  EXPECT_THAT(result.config->files, ElementsAre(main, a, b));
  EXPECT_EQ(result.config->checks[1].pos.file, a);
}

TEST(Include, AListOfPathsIsReadInOrderAndIncludedFilesMayIncludeMore) {
  ScratchDir dir;
  std::string main = dir.write("main.yaml", "include: [web.yaml, more/db.yaml]\n");
  dir.write("web.yaml", "checks:\n" + tcp_check("web"));
  dir.write("more/db.yaml", "include: deeper/\nchecks:\n" + tcp_check("db"));
  dir.write("more/deeper/cache.yaml", "checks:\n" + tcp_check("cache"));

  LoadResult result = load(main);

  ASSERT_THAT(error_lines(result), IsEmpty());
  EXPECT_THAT(check_names(*result.config), ElementsAre("web", "db", "cache"));
}

TEST(Include, AFileReachedTwiceWithoutACycleIsReadOnce) {
  ScratchDir dir;
  std::string main = dir.write("main.yaml", "include: [shared.yaml, ./shared.yaml, other.yaml]\n");
  dir.write("shared.yaml", "checks:\n" + tcp_check("shared"));
  dir.write("other.yaml", "include: shared.yaml\n");

  LoadResult result = load(main);

  ASSERT_THAT(error_lines(result), IsEmpty());
  EXPECT_THAT(check_names(*result.config), ElementsAre("shared"));
}

TEST(Include, ACycleIsReportedAtTheIncludeThatClosesIt) {
  ScratchDir dir;
  std::string main = dir.write("main.yaml", "include: a.yaml\n");
  std::string a = dir.write("a.yaml", "include: b.yaml\nchecks:\n" + tcp_check("a"));
  std::string b = dir.write("b.yaml", "checks:\n" + tcp_check("b") + "include: [a.yaml]\n");

  LoadResult result = load(main);

  EXPECT_THAT(error_lines(result),
              ElementsAre(b + ":5:11: include[0]: include cycle: " + a + " -> " + b + " -> " + a));
  EXPECT_EQ(result.config, nullptr);
}

TEST(Include, AFileIncludingItselfIsACycle) {
  ScratchDir dir;
  std::string main = dir.write("main.yaml", "include: main.yaml\n");
  EXPECT_THAT(error_lines(load(main)),
              ElementsAre(main + ":1:10: include: include cycle: " + main + " -> " + main));
}

TEST(Include, AMissingIncludeIsReportedAtItsEntry) {
  ScratchDir dir;
  std::string main = dir.write("main.yaml", "include:\n  - gone.yaml\n");
  EXPECT_THAT(error_lines(load(main)),
              ElementsAre(main + ":2:5: include[0]: cannot read \"" +
                          (dir.path() / "gone.yaml").string() + "\": " + std::strerror(ENOENT)));
}

TEST(Include, AnIncludedFileMayHoldOnlyChecksAndIncludes) {
  ScratchDir dir;
  std::string main = dir.write("main.yaml", "include: extra.yaml\n");
  std::string extra =
      dir.write("extra.yaml", "listen: 0.0.0.0:80\nchecks:\n" + tcp_check("x") + "chekcs: []\n");
  EXPECT_THAT(error_lines(load(main)),
              ElementsAre(extra + ":1:9: listen: allowed only in the main config file; an "
                                  "included file may contain only checks and include",
                          extra + ":6:1: chekcs: unknown field; did you mean 'checks'?"));
}

TEST(Include, NamesStayUniqueAcrossThousandsOfChecksInManyFiles) {
  ScratchDir dir;
  std::string main =
      dir.write("main.yaml", "include: [one.yaml, two.yaml]\nchecks:\n" + tcp_check("m"));
  std::string one_text = "checks:\n", two_text = "checks:\n";
  for (int i = 0; i < 3000; ++i) one_text += tcp_check("one-" + std::to_string(i));
  for (int i = 0; i < 3000; ++i) two_text += tcp_check("two-" + std::to_string(i));
  two_text += tcp_check("one-2999");
  std::string one = dir.write("one.yaml", one_text);
  std::string two = dir.write("two.yaml", two_text);

  LoadResult result = load(main);

  EXPECT_THAT(error_lines(result),
              ElementsAre(two +
                          ":9002:11: checks[3000].name: duplicate check name \"one-2999\"; "
                          "the first is at " +
                          one + ":8999:11"));
}

TEST(Include, ErrorsComeInFileOrderThenIncludeOrder) {
  ScratchDir dir;
  std::string main = dir.write(
      "main.yaml", "include: [one.yaml, two.yaml]\ntitel: x\nchecks:\n" + tcp_check("dup"));
  std::string one = dir.write("one.yaml", "checks:\n" + tcp_check("dup"));
  std::string two = dir.write("two.yaml", "checks: [a, b: c\n");

  EXPECT_THAT(error_lines(load(main)),
              ElementsAre(main + ":2:1: titel: unknown field; did you mean 'title'?",
                          one +
                              ":2:11: checks[0].name: duplicate check name \"dup\"; the first "
                              "is at " +
                              main + ":4:11",
                          two + ":2:1: invalid YAML: did not find expected ',' or ']' (while "
                                "parsing a flow sequence that starts at line 1, column 9)"));
}

}  // namespace
}  // namespace lk::config
