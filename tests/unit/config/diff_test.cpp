// What a reload changes: checks by fingerprint, settings by value.

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

std::shared_ptr<const Config> load(std::string_view yaml,
                                   std::map<std::string, std::string> variables = {}) {
  auto kinds = fake_kinds();
  LoadResult result = load_string(yaml, "lk.yaml", kinds, fake_env(std::move(variables)));
  EXPECT_THAT(error_lines(result), IsEmpty()) << yaml;
  return result.config;
}

constexpr std::string_view kBefore = R"(title: Shop
checks:
  - name: web
    type: http
    url: https://shop.example/
    expect: [status == 200]
  - name: db
    type: tcp
    target: db:5432
)";

struct Reload {
  std::string description;
  std::string after;
  std::vector<std::string> changed;
  std::vector<std::string> unchanged;
};

TEST(Diff, OnlyAChangeOfMeaningMakesACheckChanged) {
  const Reload cases[] = {
      {"same text", std::string(kBefore), {}, {"web", "db"}},
      {"formatting, comments, key order and quoting",
       R"(title: Shop   # the shop
checks:
  # the front end
  - {type: http, name: "web", url: 'https://shop.example/', expect: ["status == 200"]}
  - target: db:5432
    name: db


    type: tcp
)",
       {},
       {"web", "db"}},
      {"a new value",
       R"(title: Shop
checks:
  - name: web
    type: http
    url: https://shop.example/
    expect: [status == 201]
  - name: db
    type: tcp
    target: db:5432
)",
       {"web"},
       {"db"}},
      {"a default written out",
       R"(title: Shop
checks:
  - name: web
    type: http
    url: https://shop.example/
    expect: [status == 200]
  - name: db
    type: tcp
    target: db:5432
    interval: 60s
)",
       {"db"},
       {"web"}},
  };
  auto before = load(kBefore);
  for (const Reload& c : cases) {
    auto after = load(c.after);
    ASSERT_NE(after, nullptr) << c.description;
    Diff d = diff(*before, *after);
    EXPECT_THAT(d.added, IsEmpty()) << c.description;
    EXPECT_THAT(d.removed, IsEmpty()) << c.description;
    EXPECT_EQ(d.changed, c.changed) << c.description;
    EXPECT_EQ(d.unchanged, c.unchanged) << c.description;
    EXPECT_FALSE(d.settings_changed) << c.description;
  }
}

TEST(Diff, AddedAndRemovedChecksAreNamed) {
  auto before = load(kBefore);
  auto after = load(R"(title: Shop
checks:
  - name: web
    type: http
    url: https://shop.example/
    expect: [status == 200]
  - name: cache
    type: tcp
    target: cache:6379
)");
  Diff d = diff(*before, *after);
  EXPECT_THAT(d.added, ElementsAre("cache"));
  EXPECT_THAT(d.removed, ElementsAre("db"));
  EXPECT_THAT(d.changed, IsEmpty());
  EXPECT_THAT(d.unchanged, ElementsAre("web"));
}

TEST(Diff, AnchorsAndAliasesDoNotShow) {
  auto before = load(R"(checks:
  - name: a
    type: tcp
    target: x:1
    tags: [one, two]
  - name: b
    type: tcp
    target: x:1
    tags: [one, two]
)");
  auto after = load(R"(checks:
  - name: a
    type: tcp
    target: &target x:1
    tags: &tags [one, two]
  - name: b
    type: tcp
    target: *target
    tags: *tags
)");
  Diff d = diff(*before, *after);
  EXPECT_THAT(d.changed, IsEmpty());
  EXPECT_THAT(d.unchanged, ElementsAre("a", "b"));
}

TEST(Diff, AChangedEnvironmentValueChangesTheCheckThatUsesIt) {
  constexpr std::string_view yaml = "checks:\n  - name: db\n    type: tcp\n    target: ${DB}\n";
  auto before = load(yaml, {{"DB", "db1:5432"}});
  auto same = load(yaml, {{"DB", "db1:5432"}});
  auto moved = load(yaml, {{"DB", "db2:5432"}});
  EXPECT_THAT(diff(*before, *same).unchanged, ElementsAre("db"));
  EXPECT_THAT(diff(*before, *moved).changed, ElementsAre("db"));
}

TEST(Diff, AnyChangedTopLevelValueIsASettingsChange) {
  const std::string settings[] = {
      "listen: 127.0.0.1:9090", "storage: other.db",      "location: eu-west",
      "title: Other",           "public_url: https://x/", "log_level: debug",
      "raw_retention: 7d",      "flush_interval: 500ms",  "max_concurrency: 10",
  };
  auto before = load("");
  EXPECT_FALSE(diff(*before, *load("# only a comment\n")).settings_changed);
  for (const std::string& setting : settings) {
    EXPECT_TRUE(diff(*before, *load(setting)).settings_changed) << setting;
  }
}

}  // namespace
}  // namespace lk::config
