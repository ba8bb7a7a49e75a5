#include "state/heartbeat/settings.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.hpp"

using namespace std::chrono_literals;
using namespace lk;
using namespace lk::state;

namespace {

std::vector<config::ProbeKindParser> kinds() {
  return {{"heartbeat", heartbeat::options(), &heartbeat::parse, /*passive=*/true}};
}

config::LoadResult load(const std::string& check_body) {
  auto env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "PING_TOKEN") return "0123456789abcdef-0123";
    return std::nullopt;
  };
  return config::load_string("checks:\n  - name: backup\n    type: heartbeat\n" + check_body,
                             "hb.yaml", kinds(), env);
}

std::vector<std::string> errors(const std::string& check_body) {
  std::vector<std::string> out;
  for (const auto& e : load(check_body).errors) out.push_back(e.path + ": " + e.message);
  return out;
}

const heartbeat::Settings& settings_of(const config::LoadResult& r) {
  return r.config->checks.at(0).spec.settings_as<heartbeat::Settings>();
}

TEST(HeartbeatSettings, APeriodGetsATenthOfItAsGraceAndThresholdsOfOne) {
  auto r = load("    period: 1d\n");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].to_string());
  const auto& check = r.config->checks.at(0);
  EXPECT_EQ(settings_of(r).period, 24h);
  EXPECT_EQ(settings_of(r).grace, 1h);  // 2h24m capped at 1h
  EXPECT_EQ(check.failure_threshold, 1);
  EXPECT_EQ(check.recovery_threshold, 1);
  EXPECT_EQ(check.spec.target, "every 1d, grace 1h");
  EXPECT_TRUE(settings_of(r).token.empty());
}

TEST(HeartbeatSettings, DefaultGraceIsATenthOfThePeriodWithinOneMinuteAndOneHour) {
  EXPECT_EQ(heartbeat::default_grace(1h, false), 6min);
  EXPECT_EQ(heartbeat::default_grace(2min, false), 1min);
  EXPECT_EQ(heartbeat::default_grace(7 * 24h, false), 1h);
  EXPECT_EQ(heartbeat::default_grace({}, true), 1h);
}

TEST(HeartbeatSettings, AScheduleTakesATimeZoneAndExplicitValues) {
  auto r = load(
      "    schedule: \"0 3 * * *\"\n    timezone: Europe/London\n    grace: 30m\n"
      "    token: ${PING_TOKEN}\n    failure_threshold: 2\n");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].to_string());
  const auto& s = settings_of(r);
  ASSERT_TRUE(s.schedule);
  EXPECT_EQ(s.schedule->timezone(), "Europe/London");
  EXPECT_EQ(s.grace, 30min);
  EXPECT_EQ(s.token, "0123456789abcdef-0123");
  EXPECT_EQ(r.config->checks[0].failure_threshold, 2);
  EXPECT_EQ(r.config->checks[0].spec.target, "schedule 0 3 * * * (Europe/London), grace 30m");
}

TEST(HeartbeatSettings, MistakesAreReportedAtTheField) {
  EXPECT_EQ(errors(""), (std::vector<std::string>{
                            "checks[0].type: a heartbeat needs a period (e.g. `period: 1d`) or a "
                            "schedule (e.g. `schedule: \"0 3 * * *\"`)"}));
  EXPECT_EQ(
      errors("    period: 1d\n    schedule: \"@daily\"\n"),
      (std::vector<std::string>{"checks[0].schedule: give either period or schedule, not both"}));
  EXPECT_EQ(errors("    schedule: \"0 25 * * *\"\n"),
            (std::vector<std::string>{"checks[0].schedule: hour field \"25\": 25 is not in 0-23"}));
  EXPECT_EQ(errors("    schedule: \"@daily\"\n    timezone: Europe/Lundon\n"),
            (std::vector<std::string>{
                "checks[0].timezone: unknown time zone \"Europe/Lundon\"; use an IANA name such as "
                "UTC, Europe/London or America/New_York"}));
  EXPECT_EQ(errors("    period: 1d\n    timezone: UTC\n"),
            (std::vector<std::string>{
                "checks[0].timezone: applies only to a schedule; a period needs no time zone"}));
  EXPECT_EQ(errors("    period: 500ms\n"),
            (std::vector<std::string>{"checks[0].period: must be at least 1s, got 500ms"}));
  // The token is a secret: the message gives its length, never its value.
  EXPECT_EQ(errors("    period: 1d\n    token: short-secret\n"),
            (std::vector<std::string>{"checks[0].token: must be 16 to 128 letters, digits, '-' or "
                                      "'_' (got 12 characters)"}));
}

}  // namespace
