// One check seen from one location: results are counted into a soft state and confirmed into
// a hard state by the failure and recovery thresholds. With a single location the check-level
// state follows the location's hard state.

#include <gtest/gtest.h>

#include "state/location_machine.hpp"
#include "story.hpp"

namespace lk::state::testing {
namespace {

TEST(LocationState, FirstOkGoesHardAtOnce) {
  auto engine = engine_with({policy("shop", /*failure*/ 3, /*recovery*/ 3)});
  play(engine, "shop",
       {
           {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
           {60, "eu", kOk, "ok", ""},
       });
}

TEST(LocationState, FailuresBelowTheThresholdStaySoft) {
  auto engine = engine_with({policy("shop", /*failure*/ 3)});
  play(engine, "shop",
       {
           {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
           {60, "eu", kFail, "ok", "eu soft ok>fail"},
           {120, "eu", kFail, "ok", ""},
           {180, "eu", kOk, "ok", "eu soft fail>ok"},
           {240, "eu", kFail, "ok", "eu soft ok>fail"},
           {300, "eu", kFail, "ok", ""},
       });
}

TEST(LocationState, ThresholdFailuresGoHardAndOpenOneIncident) {
  auto engine = engine_with({policy("shop", /*failure*/ 3)});
  play(engine, "shop",
       {
           {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
           {60, "eu", kFail, "ok", "eu soft ok>fail"},
           {120, "eu", kFail, "ok", ""},
           {180, "eu", kFail, "fail", "eu hard ok>fail, check ok>fail, open #1"},
           {240, "eu", kFail, "fail", ""},
           {300, "eu", kFail, "fail", ""},
       });
}

TEST(LocationState, NewCheckThatFailsNeedsTheFailureThresholdToo) {
  auto engine = engine_with({policy("shop", /*failure*/ 2)});
  play(engine, "shop",
       {
           {0, "eu", kFail, "pending", "eu soft pending>fail"},
           {60, "eu", kFail, "fail", "eu hard pending>fail, check pending>fail, open #1"},
       });
}

TEST(LocationState, RecoveryNeedsRecoveryThresholdOks) {
  auto engine = engine_with({policy("shop", /*failure*/ 1, /*recovery*/ 3)});
  play(engine, "shop",
       {
           {0, "eu", kFail, "fail",
            "eu soft pending>fail, eu hard pending>fail, "
            "check pending>fail, open #1"},
           {60, "eu", kOk, "fail", "eu soft fail>ok"},
           {120, "eu", kOk, "fail", ""},
           {180, "eu", kOk, "ok", "eu hard fail>ok, check fail>ok, close #1"},
           {240, "eu", kOk, "ok", ""},
       });
}

TEST(LocationState, OneLuckyOkInsideAnOutageDoesNotRecover) {
  auto engine = engine_with({policy("shop", /*failure*/ 1, /*recovery*/ 2)});
  play(engine, "shop",
       {
           {0, "eu", kFail, "fail",
            "eu soft pending>fail, eu hard pending>fail, "
            "check pending>fail, open #1"},
           {60, "eu", kOk, "fail", "eu soft fail>ok"},
           {120, "eu", kFail, "fail", "eu soft ok>fail"},
           {180, "eu", kOk, "fail", "eu soft fail>ok"},
           {240, "eu", kOk, "ok", "eu hard fail>ok, check fail>ok, close #1"},
       });
}

TEST(LocationState, UnknownCountsAsBad) {
  auto engine = engine_with({policy("shop", /*failure*/ 2)});
  play(engine, "shop",
       {
           {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
           {60, "eu", kUnknown, "ok", "eu soft ok>unknown"},
           {120, "eu", kUnknown, "unknown", "eu hard ok>unknown, check ok>unknown"},
           {180, "eu", kOk, "unknown", "eu soft unknown>ok"},
           {240, "eu", kOk, "ok", "eu hard unknown>ok, check unknown>ok"},
       });
}

TEST(LocationState, MixedProblemsCountTogetherAndTheLatestNamesTheHardState) {
  auto engine = engine_with({policy("shop", /*failure*/ 3)});
  play(engine, "shop",
       {
           {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
           {60, "eu", kFail, "ok", "eu soft ok>fail"},
           {120, "eu", kUnknown, "ok", "eu soft fail>unknown"},
           {180, "eu", kWarn, "warn", "eu soft unknown>warn, eu hard ok>warn, check ok>warn"},
       });
}

TEST(LocationState, ConfirmedOutageChangesSeverityAtOnce) {
  auto engine = engine_with({policy("shop", /*failure*/ 2)});
  play(engine, "shop",
       {
           {0, "eu", kWarn, "pending", "eu soft pending>warn"},
           {60, "eu", kWarn, "warn", "eu hard pending>warn, check pending>warn"},
           {120, "eu", kFail, "fail",
            "eu soft warn>fail, eu hard warn>fail, check warn>fail, open #1"},
           {180, "eu", kUnknown, "unknown",
            "eu soft fail>unknown, eu hard fail>unknown, check fail>unknown, update #1"},
       });
}

TEST(LocationState, HardTransitionsCarryTheTimeLocationAndMessageOfTheResult) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  Step step{90, "eu", kFail, "fail", "", "connect to 10.0.0.5:443 refused"};
  const Transitions t = engine.apply(result_for("shop", step), at_second(90));

  ASSERT_EQ(t.changes.size(), 3u);
  const Transition& soft = t.changes[0];
  const Transition& hard = t.changes[1];
  const Transition& check = t.changes[2];
  EXPECT_FALSE(soft.hard);
  EXPECT_EQ(soft.location, "eu");
  EXPECT_TRUE(hard.hard);
  EXPECT_EQ(hard.location, "eu");
  EXPECT_EQ(hard.check, "shop");
  EXPECT_EQ(hard.from, State::pending);
  EXPECT_EQ(hard.to, State::fail);
  EXPECT_EQ(hard.at, at_second(90));
  EXPECT_EQ(hard.message, "connect to 10.0.0.5:443 refused");
  EXPECT_TRUE(check.hard);
  EXPECT_EQ(check.location, "");
  EXPECT_EQ(check.message, "connect to 10.0.0.5:443 refused");

  const CheckState* state = engine.state("shop");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->since, at_second(90));
  EXPECT_EQ(state->last_message, "connect to 10.0.0.5:443 refused");
  const LocationState& eu = state->locations.at("eu");
  EXPECT_EQ(eu.since, at_second(90));
  EXPECT_EQ(eu.last_result, at_second(90));
  EXPECT_EQ(eu.consecutive_bad, 1);
}

TEST(LocationState, ResultWithoutLocationCountsAsLocal) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  play(engine, "shop",
       {
           {0, "", kOk, "ok", "local soft pending>ok, local hard pending>ok, check pending>ok"},
       });
}

TEST(LocationState, ThresholdsBelowOneActLikeOne) {
  auto engine = engine_with({policy("shop", /*failure*/ 0, /*recovery*/ -1)});
  play(engine, "shop",
       {
           {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
           {60, "eu", kFail, "fail", "eu soft ok>fail, eu hard ok>fail, check ok>fail, open #1"},
           {120, "eu", kOk, "ok", "eu soft fail>ok, eu hard fail>ok, check fail>ok, close #1"},
       });
}

TEST(NextHardState, FollowsTheRulesForEveryStartingState) {
  const CheckPolicy p = policy("shop", /*failure*/ 3, /*recovery*/ 2);
  struct Case {
    State hard;
    State latest;
    int bad;
    int good;
    State want;
  } cases[] = {
      // pending: an ok is believed at once, a problem needs the failure threshold
      {State::pending, State::ok, 0, 1, State::ok},
      {State::pending, State::fail, 2, 0, State::pending},
      {State::pending, State::fail, 3, 0, State::fail},
      // ok: a problem needs the failure threshold
      {State::ok, State::warn, 2, 0, State::ok},
      {State::ok, State::warn, 3, 0, State::warn},
      {State::ok, State::ok, 0, 9, State::ok},
      // a problem: recovery needs the recovery threshold, another problem is taken at once
      {State::fail, State::ok, 0, 1, State::fail},
      {State::fail, State::ok, 0, 2, State::ok},
      {State::fail, State::warn, 1, 0, State::warn},
      {State::warn, State::fail, 1, 0, State::fail},
      {State::fail, State::unknown, 1, 0, State::unknown},
      {State::fail, State::fail, 7, 0, State::fail},
  };
  for (const auto& c : cases) {
    LocationState loc;
    loc.hard = c.hard;
    loc.soft = c.latest;
    loc.consecutive_bad = c.bad;
    loc.consecutive_good = c.good;
    EXPECT_EQ(next_hard_state(loc, p), c.want)
        << to_string(c.hard) << " then " << to_string(c.latest) << " (bad " << c.bad << ", good "
        << c.good << ")";
  }
}

}  // namespace
}  // namespace lk::state::testing
