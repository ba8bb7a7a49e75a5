// A reload copies the running config's unchanged checks instead of parsing them again; what it
// reads must be exactly what a fresh load reads.

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
using testing::FakeHttpSettings;
using ::testing::IsEmpty;
using testing::ScratchDir;

constexpr std::string_view kConfig = R"(checks:
  - name: web
    type: http
    url: https://shop.example/
    expect: [status == 200]
  - name: api
    type: http
    url: ${API_URL}
  - name: db
    type: tcp
    target: db:5432
)";

struct Loaded {
  LoadResult first, fresh, reloaded;
};

/// Loads `after` twice: fresh, and as a reload of `before` (both with `env`).
Loaded load_both(const ScratchDir& dir, std::string_view before, std::string_view after,
                 std::map<std::string, std::string> env) {
  auto kinds = fake_kinds();
  const std::string file = dir.write("lk.yaml", std::string(before));
  LoadResult first = load_file(file, kinds, fake_env(env));
  EXPECT_THAT(error_lines(first), IsEmpty());
  dir.write("lk.yaml", std::string(after));
  Loaded out;
  out.first = first;
  out.fresh = load_file(file, kinds, fake_env(env));
  out.reloaded = load_file(file, kinds, fake_env(env), first.config.get());
  return out;
}

void expect_same_checks(const Config& a, const Config& b) {
  ASSERT_EQ(a.checks.size(), b.checks.size());
  for (std::size_t i = 0; i < a.checks.size(); ++i) {
    const Check& x = a.checks[i];
    const Check& y = b.checks[i];
    EXPECT_EQ(x.spec.name, y.spec.name);
    EXPECT_EQ(x.spec.target, y.spec.target) << x.spec.name;
    EXPECT_EQ(x.fingerprint, y.fingerprint) << x.spec.name;
    EXPECT_EQ(x.pos.line, y.pos.line) << x.spec.name;
    EXPECT_EQ(x.expect.size(), y.expect.size()) << x.spec.name;
    EXPECT_EQ(x.spec.interval, y.spec.interval) << x.spec.name;
  }
}

TEST(ReloadReuse, ReadsWhatAFreshLoadReads) {
  ScratchDir dir;
  std::string after(kConfig);
  // One check changed, one moved down by a new check in front, one unchanged.
  after.replace(after.find("db:5432"), 7, "db:6432");
  after.insert(after.find("  - name: web"), "  - name: new\n    type: tcp\n    target: n:1\n");
  auto both = load_both(dir, kConfig, after, {{"API_URL", "https://api.example/"}});
  ASSERT_TRUE(both.fresh.config && both.reloaded.config);
  expect_same_checks(*both.fresh.config, *both.reloaded.config);
  EXPECT_EQ(both.reloaded.config->checks[1].pos.line, 5) << "a reused check gets its new position";
  EXPECT_EQ(both.reloaded.config->checks[3].spec.target, "db:6432");
  // Reused, not parsed again: the unchanged checks share their settings with the first load.
  const auto& first = both.first.config->checks;
  const auto& reloaded = both.reloaded.config->checks;
  EXPECT_EQ(reloaded[1].spec.settings, first[0].spec.settings) << "web";
  EXPECT_EQ(reloaded[2].spec.settings, first[1].spec.settings) << "api";
  EXPECT_NE(reloaded[3].spec.settings, first[2].spec.settings) << "db changed";
  EXPECT_NE(both.fresh.config->checks[1].spec.settings, first[0].spec.settings);
}

TEST(ReloadReuse, AChangedEnvironmentValueIsReadAgain) {
  ScratchDir dir;
  auto kinds = fake_kinds();
  const std::string file = dir.write("lk.yaml", std::string(kConfig));
  LoadResult first = load_file(file, kinds, fake_env({{"API_URL", "https://a.example/"}}));
  ASSERT_TRUE(first.config);
  LoadResult second =
      load_file(file, kinds, fake_env({{"API_URL", "https://b.example/"}}), first.config.get());
  ASSERT_TRUE(second.config);
  EXPECT_EQ(second.config->checks[1].spec.settings_as<FakeHttpSettings>().url,
            "https://b.example/");
}

TEST(ReloadReuse, ADuplicateOfAnUnchangedCheckIsStillAnError) {
  ScratchDir dir;
  std::string after(kConfig);
  after += "  - name: web\n    type: tcp\n    target: x:1\n";
  auto both = load_both(dir, kConfig, after, {{"API_URL", "https://api.example/"}});
  EXPECT_FALSE(both.reloaded.config);
  EXPECT_EQ(error_lines(both.reloaded), error_lines(both.fresh));
  EXPECT_THAT(error_lines(both.reloaded),
              ElementsAre(::testing::HasSubstr("duplicate check name")));
}

TEST(ReloadReuse, AnUnsetVariableIsStillAnError) {
  ScratchDir dir;
  auto kinds = fake_kinds();
  const std::string file = dir.write("lk.yaml", std::string(kConfig));
  LoadResult first = load_file(file, kinds, fake_env({{"API_URL", "https://a.example/"}}));
  ASSERT_TRUE(first.config);
  LoadResult second = load_file(file, kinds, fake_env({}), first.config.get());
  EXPECT_FALSE(second.config);
  EXPECT_THAT(error_lines(second), ElementsAre(::testing::HasSubstr("API_URL")));
}

}  // namespace
}  // namespace lk::config
