// From a finished plugin to an observation, and from that to the check's status: the exit code
// decides (0 ok, 1 warn, 2 fail, 3 unknown), conditions can only make an ok or a warning
// worse, and what is not a plugin's answer is unknown with a message saying why.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/runner.hpp"
#include "probe/command/command_probe.hpp"

namespace lk::probe::command {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ProcessEnd exited(int code, std::string out, std::string err = "") {
  ProcessEnd end;
  end.how = ProcessEnd::How::exited;
  end.exit_code = code;
  end.out = std::move(out);
  end.err = std::move(err);
  return end;
}

Observation see(const ProcessEnd& end) {
  return observe(end, "/usr/lib/nagios/plugins/check_x", 10s, 1s);
}

TEST(CommandObserve, ExitCodesZeroToThreeAreThePluginsVerdict) {
  const Status expected[] = {Status::ok, Status::warn, Status::fail, Status::unknown};
  for (int code = 0; code <= 3; ++code) {
    auto obs = see(exited(code, "X - said " + std::to_string(code) + " | t=1s\n"));
    EXPECT_EQ(obs.failed_at, Layer::none);
    ASSERT_TRUE(obs.verdict);
    EXPECT_EQ(obs.verdict->status, expected[code]);
    EXPECT_EQ(obs.verdict->message, "X - said " + std::to_string(code));
    ASSERT_EQ(obs.metrics.size(), 1u);
    EXPECT_EQ(obs.metrics[0].name, "t");
    EXPECT_EQ(obs.metrics[0].unit, "s");
    EXPECT_EQ(obs.body, "X - said " + std::to_string(code) + " | t=1s\n");
  }
}

TEST(CommandObserve, OtherExitCodesAreUnknownAndSayWhy) {
  auto obs = see(exited(127, "", "sh: 1: snmpget: not found\n"));
  ASSERT_TRUE(obs.verdict);
  EXPECT_EQ(obs.verdict->status, Status::unknown);
  EXPECT_THAT(obs.verdict->message, HasSubstr("check_x exited with code 127, not a plugin status"));
  EXPECT_THAT(obs.verdict->message, HasSubstr("may be missing"));
  EXPECT_THAT(obs.verdict->message, HasSubstr("stderr: sh: 1: snmpget: not found"));
}

TEST(CommandObserve, BinaryOutputIsUnknownWhateverTheExitCode) {
  auto obs = see(exited(0, std::string("\x7f"
                                       "ELF\x02\x01\x01\0\0",
                                       9)));
  ASSERT_TRUE(obs.verdict);
  EXPECT_EQ(obs.verdict->status, Status::unknown);
  EXPECT_THAT(obs.verdict->message, HasSubstr("check_x printed binary data, not plugin output"));
  EXPECT_THAT(obs.metrics, IsEmpty());
}

TEST(CommandObserve, MalformedPerformanceDataKeepsTheStatusAndNamesTheProblem) {
  auto obs = see(exited(0, "OK - fine | good=1 bad==2\n"));
  EXPECT_EQ(obs.verdict->status, Status::ok);
  EXPECT_THAT(obs.verdict->message, HasSubstr("OK - fine (performance data ignored: \"bad==2\""));
  ASSERT_EQ(obs.metrics.size(), 1u);
}

TEST(CommandObserve, NoOutputSaysSoAndQuotesStderr) {
  auto obs = see(exited(2, "", "connection refused\n"));
  EXPECT_EQ(obs.verdict->status, Status::fail);
  EXPECT_EQ(obs.verdict->message, "check_x printed no output; stderr: connection refused");
}

TEST(CommandObserve, NotStartedAndKilledBySignalAreUnknown) {
  ProcessEnd missing;
  missing.how = ProcessEnd::How::not_started;
  missing.spawn_error = ENOENT;
  auto obs = see(missing);
  EXPECT_EQ(obs.verdict->status, Status::unknown);
  EXPECT_EQ(obs.verdict->message,
            "cannot run /usr/lib/nagios/plugins/check_x: No such file or directory");

  ProcessEnd killed;
  killed.how = ProcessEnd::How::signaled;
  killed.signal = 9;
  obs = see(killed);
  EXPECT_EQ(obs.verdict->status, Status::unknown);
  EXPECT_THAT(obs.verdict->message, HasSubstr("check_x was killed by signal 9"));
}

TEST(CommandObserve, ATimeoutFailsAtTheTimeoutLayerAndSaysTheGroupWasKilled) {
  ProcessEnd hung;
  hung.how = ProcessEnd::How::timed_out;
  hung.leader_exited = true;
  auto obs = see(hung);
  EXPECT_EQ(obs.failed_at, Layer::timeout);
  EXPECT_FALSE(obs.verdict);
  EXPECT_THAT(obs.error, HasSubstr("timed out after 10s waiting for check_x to exit"));
  EXPECT_THAT(obs.error, HasSubstr("a process it started kept its output open"));
  EXPECT_THAT(obs.error, HasSubstr("killed its process group (SIGTERM, then SIGKILL after 1s)"));
}

// The table of app::merge_own_verdict: the plugin's verdict against the conditions' judgement.
TEST(OwnVerdictMerge, PluginVerdictAndConditionsCombineAsDocumented) {
  struct Case {
    Status plugin;
    Status conditions;
    Status expected;
    const char* message;
  } cases[] = {
      {Status::ok, Status::ok, Status::ok, "plugin"},
      {Status::ok, Status::warn, Status::warn, "conditions"},
      {Status::ok, Status::fail, Status::fail, "conditions"},
      {Status::warn, Status::ok, Status::warn, "plugin"},
      {Status::warn, Status::warn, Status::warn, "plugin"},
      {Status::warn, Status::fail, Status::fail, "conditions"},
      {Status::fail, Status::ok, Status::fail, "plugin"},
      {Status::fail, Status::fail, Status::fail, "plugin"},
      {Status::unknown, Status::ok, Status::unknown, "plugin"},
      {Status::unknown, Status::fail, Status::unknown, "plugin"},
  };
  for (const auto& c : cases) {
    Observation obs;
    obs.verdict = OwnVerdict{c.plugin, "plugin"};
    auto merged = app::merge_own_verdict({c.conditions, "conditions"}, obs);
    EXPECT_EQ(merged.status, c.expected) << to_string(c.plugin) << " + " << to_string(c.conditions);
    EXPECT_EQ(merged.message, c.message) << to_string(c.plugin) << " + " << to_string(c.conditions);
  }
}

TEST(OwnVerdictMerge, AFailedExchangeIgnoresTheVerdictAndNoVerdictChangesNothing) {
  Observation obs;
  obs.failed_at = Layer::timeout;
  obs.verdict = OwnVerdict{Status::ok, "plugin"};
  EXPECT_EQ(app::merge_own_verdict({Status::fail, "timed out"}, obs).message, "timed out");
  Observation plain;
  EXPECT_EQ(app::merge_own_verdict({Status::warn, "slow"}, plain).status, Status::warn);
}

}  // namespace
}  // namespace lk::probe::command
