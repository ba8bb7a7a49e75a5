#include "core/time.hpp"

#include <gtest/gtest.h>

using namespace std::chrono;
using namespace lk;

TEST(ParseDuration, ReadsEveryUnitAndCombinations) {
  struct Case {
    const char* text;
    Duration want;
  } cases[] = {
      {"800ms", milliseconds{800}}, {"30s", seconds{30}},         {"5m", minutes{5}},
      {"1h30m", minutes{90}},       {"14d", hours{14 * 24}},      {"1w", hours{7 * 24}},
      {"250us", microseconds{250}}, {"1.5s", milliseconds{1500}},
  };
  for (const auto& c : cases) {
    auto got = parse_duration(c.text);
    ASSERT_TRUE(got) << c.text;
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(ParseDuration, RefusesMissingUnitsAndGarbage) {
  for (const char* bad : {"", "30", "s", "5 m", "-5s", "1.s", "3x", "1h30"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(FormatDuration, IsCompactAndRoundTrips) {
  EXPECT_EQ(format_duration(milliseconds{800}), "800ms");
  EXPECT_EQ(format_duration(seconds{30}), "30s");
  EXPECT_EQ(format_duration(minutes{90}), "1h30m");
  EXPECT_EQ(format_duration(hours{24 * 14}), "14d");
  for (Duration d : {Duration{seconds{45}}, Duration{minutes{61}}, Duration{milliseconds{5}}}) {
    EXPECT_EQ(parse_duration(format_duration(d)), d);
  }
}

TEST(Time, FormatsAndParsesRfc3339) {
  auto t = parse_time("2026-03-29T01:00:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_time(*t), "2026-03-29T01:00:00.000Z");
  EXPECT_EQ(parse_time("2026-03-29T02:00:00+01:00"), t);
  EXPECT_EQ(parse_time("1774746000"), t);
  EXPECT_EQ(format_time(*parse_time("2026-11-21T08:35:00.123Z")), "2026-11-21T08:35:00.123Z");
  EXPECT_FALSE(parse_time("yesterday"));
  EXPECT_FALSE(parse_time("2026-13-01T00:00:00Z"));
}
