// The local check's config and URL forms: each check with its own options, and every mistake
// named where it was made.

#include "probe/local/settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../kind_config.hpp"
#include "config/config.hpp"

namespace lk::probe::local {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

using Loaded = test::LoadedCheck<Settings>;

Loaded load(std::string_view fields) {
  const config::ProbeKindParser kinds[] = {{"local", options(), &parse}};
  return test::load_check<Settings>(kinds, "local", fields);
}

TEST(LocalSettings, EachCheckReadsItsOwnOptions) {
  auto disk = load("    check: disk\n    path: /var\n");
  ASSERT_THAT(disk.errors, IsEmpty());
  EXPECT_EQ(disk.settings().what, What::disk);
  EXPECT_EQ(disk.settings().path, "/var");
  EXPECT_EQ(disk.spec().target, "disk /var");

  auto root = load("    check: disk\n");
  EXPECT_EQ(root.settings().path, "/");

  auto load_check = load("    check: load\n    per_cpu: true\n");
  ASSERT_THAT(load_check.errors, IsEmpty());
  EXPECT_TRUE(load_check.settings().per_cpu);

  auto clock = load("    check: clock\n    server: \"[::1]:1123\"\n");
  ASSERT_THAT(clock.errors, IsEmpty());
  EXPECT_EQ(clock.settings().server_host, "::1");
  EXPECT_EQ(clock.settings().server_port, 1123);
  EXPECT_EQ(clock.spec().target, "clock against [::1]:1123");
}

TEST(LocalSettings, ServerFormsWithAndWithoutPort) {
  EXPECT_EQ(split_server("pool.ntp.org", 123),
            (std::pair<std::string, std::uint16_t>{"pool.ntp.org", 123}));
  EXPECT_EQ(split_server("127.0.0.1:5123", 123),
            (std::pair<std::string, std::uint16_t>{"127.0.0.1", 5123}));
  EXPECT_EQ(split_server("2001:db8::1", 123),
            (std::pair<std::string, std::uint16_t>{"2001:db8::1", 123}));
  EXPECT_EQ(split_server("[2001:db8::1]", 123),
            (std::pair<std::string, std::uint16_t>{"2001:db8::1", 123}));
  EXPECT_FALSE(split_server("host:0", 123));
  EXPECT_FALSE(split_server("host:99999", 123));
  EXPECT_FALSE(split_server("[::1]x", 123));
  EXPECT_FALSE(split_server("", 123));
}

TEST(LocalSettings, NamesEachMistake) {
  struct Case {
    std::string fields;
    std::string error;
  } cases[] = {
      {"    path: /\n", "checks[0].check: missing required field"},
      {"    check: cpu\n", "unknown local check \"cpu\"; use disk, load, memory or clock"},
      {"    check: load\n    path: /var\n", "path applies only to check: disk, not to check: load"},
      {"    check: disk\n    server: ntp1\n", "server applies only to check: clock"},
      {"    check: memory\n    per_cpu: true\n", "per_cpu applies only to check: load"},
      {"    check: disk\n    path: var/log\n", "expected an absolute path"},
      {"    check: clock\n", "needs the NTP server"},
      {"    check: clock\n    server: \"ntp1:abc\"\n", "expected host[:port]"},
  };
  for (const auto& c : cases) {
    auto r = load(c.fields);
    EXPECT_FALSE(r.config) << c.fields;
    EXPECT_THAT(r.errors, ElementsAre(HasSubstr(c.error))) << c.fields;
  }
}

TEST(LocalUrl, EachCheckHasItsForm) {
  auto disk = from_url("local://disk/?path=/");
  EXPECT_EQ(disk.error, "");
  EXPECT_THAT(disk.scalars, ElementsAre(Pair("check", "disk"), Pair("path", "/")));
  EXPECT_THAT(from_url("local://disk/var/lib").scalars,
              ElementsAre(Pair("check", "disk"), Pair("path", "/var/lib")));
  EXPECT_THAT(from_url("local://load").scalars, ElementsAre(Pair("check", "load")));
  EXPECT_THAT(from_url("local://load?per_cpu=true").scalars,
              ElementsAre(Pair("check", "load"), Pair("per_cpu", "true")));
  EXPECT_THAT(from_url("local://memory").scalars, ElementsAre(Pair("check", "memory")));
  EXPECT_THAT(from_url("local://clock?server=127.0.0.1:123").scalars,
              ElementsAre(Pair("check", "clock"), Pair("server", "127.0.0.1:123")));
}

TEST(LocalUrl, RefusesWhatItDoesNotKnow) {
  EXPECT_THAT(from_url("local://cpu").error, HasSubstr("unknown local check \"cpu\""));
  EXPECT_THAT(from_url("local://disk?size=1").error, HasSubstr("unknown parameter \"size\""));
  EXPECT_THAT(from_url("local://load/x").error, HasSubstr("unexpected path"));
  EXPECT_THAT(from_url("local://disk/var?path=/").error, HasSubstr("unexpected path"));
}

}  // namespace
}  // namespace lk::probe::local
