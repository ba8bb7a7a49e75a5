// The icmp check's config and URL form.

#include "probe/icmp/settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../kind_config.hpp"
#include "config/config.hpp"

namespace lk::probe::icmp {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

using Loaded = test::LoadedCheck<Settings>;

Loaded load(std::string_view fields) {
  const config::ProbeKindParser kinds[] = {{"icmp", options(), &parse}};
  return test::load_check<Settings>(kinds, "icmp", fields);
}

TEST(IcmpSettings, DefaultsAndValues) {
  auto r = load("    host: 192.0.2.7\n");
  ASSERT_THAT(r.errors, IsEmpty());
  const auto& s = r.settings();
  EXPECT_EQ(s.host, "192.0.2.7");
  EXPECT_EQ(s.count, 3);
  EXPECT_EQ(s.interval, Duration{500ms});
  EXPECT_EQ(s.reply_timeout, Duration{1s});
  EXPECT_EQ(s.size, 56u);
  EXPECT_EQ(r.spec().target, "192.0.2.7");

  auto v6 =
      load("    host: \"2001:db8::7\"\n    count: 5\n    echo_interval: 100ms\n    size: 1400\n");
  ASSERT_THAT(v6.errors, IsEmpty());
  EXPECT_EQ(v6.settings().count, 5);
}

TEST(IcmpSettings, NamesEachMistake) {
  struct Case {
    std::string fields;
    std::string error;
  } cases[] = {
      {"    count: 3\n", "checks[0].host: missing required field"},
      {"    host: db1:80\n", "without port or brackets"},
      {"    host: \"[::1]\"\n", "without port or brackets"},
      {"    host: x\n    count: 0\n", "must be between 1 and 100"},
      {"    host: x\n    size: 70000\n", "must be between 0 and 65000"},
      {"    host: x\n    echo_interval: 1ms\n", "must be at least 10ms"},
      {"    host: x\n    count: 30\n",
       "30 requests 500ms apart plus a reply_timeout of 1s take "
       "15.5s, longer than the timeout 10s"},
  };
  for (const auto& c : cases) {
    auto r = load(c.fields);
    EXPECT_FALSE(r.config) << c.fields;
    EXPECT_THAT(r.errors, ElementsAre(HasSubstr(c.error))) << c.fields;
  }
}

TEST(IcmpUrl, HostAndParameters) {
  auto f = from_url("icmp://host.example?count=3&interval=200ms&size=100&reply_timeout=2s");
  EXPECT_EQ(f.error, "");
  EXPECT_THAT(f.scalars, ElementsAre(Pair("host", "host.example"), Pair("count", "3"),
                                     Pair("echo_interval", "200ms"), Pair("size", "100"),
                                     Pair("reply_timeout", "2s")));
  EXPECT_THAT(from_url("icmp://[::1]").scalars, ElementsAre(Pair("host", "::1")));
  EXPECT_THAT(from_url("icmp://127.0.0.1/").scalars, ElementsAre(Pair("host", "127.0.0.1")));
}

TEST(IcmpUrl, RefusesWhatItDoesNotKnow) {
  EXPECT_THAT(from_url("icmp://").error, HasSubstr("no host"));
  EXPECT_THAT(from_url("icmp://h?ttl=3").error, HasSubstr("unknown parameter \"ttl\""));
  EXPECT_THAT(from_url("icmp://h/path").error, HasSubstr("unexpected path"));
}

}  // namespace
}  // namespace lk::probe::icmp
