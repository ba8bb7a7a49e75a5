// A check seen from several locations: the check-level state is what enough locations agree
// on, so that one location's network trouble is not reported as the service being down.

#include <gtest/gtest.h>

#include "state/quorum.hpp"
#include "story.hpp"

namespace lk::state::testing {
namespace {

// Three locations that all see the service up, with one result each.
const std::vector<Step> kAllUp = {
    {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
    {1, "us", kOk, "ok", "us soft pending>ok, us hard pending>ok"},
    {2, "ap", kOk, "ok", "ap soft pending>ok, ap hard pending>ok"},
};

TEST(Quorum, OneLocationGlitchDoesNotOpenAnIncident) {
  auto engine = engine_with({policy("shop", /*failure*/ 2)});
  play(engine, "shop", kAllUp);
  play(engine, "shop",
       {
           {60, "eu", kFail, "ok", "eu soft ok>fail"},
           {61, "us", kOk, "ok", ""},
           {62, "ap", kOk, "ok", ""},
           {120, "eu", kFail, "ok", "eu hard ok>fail"},
           {121, "us", kOk, "ok", ""},
           {122, "ap", kOk, "ok", ""},
           {180, "eu", kFail, "ok", ""},
       });
  EXPECT_FALSE(engine.state("shop")->open_incident);
}

TEST(Quorum, TwoOfThreeLocationsFailingOpenAnIncident) {
  auto engine = engine_with({policy("shop", /*failure*/ 2)});
  play(engine, "shop", kAllUp);
  play(engine, "shop",
       {
           {60, "eu", kFail, "ok", "eu soft ok>fail"},
           {61, "us", kFail, "ok", "us soft ok>fail"},
           {62, "ap", kOk, "ok", ""},
           {120, "eu", kFail, "ok", "eu hard ok>fail"},
           {121, "us", kFail, "fail", "us hard ok>fail, check ok>fail, open #1"},
           {122, "ap", kOk, "fail", ""},
           // One location back is not enough: a majority still sees the outage.
           {180, "eu", kOk, "fail", "eu soft fail>ok"},
           {240, "eu", kOk, "ok", "eu hard fail>ok, check fail>ok, close #1"},
       });
}

TEST(Quorum, ExplicitQuorumOfOneFollowsTheWorstLocation) {
  auto engine = engine_with({policy("shop", /*failure*/ 2, /*recovery*/ 2, /*quorum*/ 1)});
  play(engine, "shop", kAllUp);
  play(engine, "shop",
       {
           {60, "ap", kFail, "ok", "ap soft ok>fail"},
           {120, "ap", kFail, "fail", "ap hard ok>fail, check ok>fail, open #1"},
           {121, "eu", kOk, "fail", ""},
           {180, "ap", kOk, "fail", "ap soft fail>ok"},
           {240, "ap", kOk, "ok", "ap hard fail>ok, check fail>ok, close #1"},
       });
}

TEST(Quorum, TheCheckIsAsBadAsTheQuorumAgreesNotAsTheWorstLocation) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  play(engine, "shop", kAllUp);
  play(engine, "shop",
       {
           {60, "eu", kFail, "ok", "eu soft ok>fail, eu hard ok>fail"},
           // eu fails and us warns: two of three see a problem, the milder one is agreed on.
           {61, "us", kWarn, "warn", "us soft ok>warn, us hard ok>warn, check ok>warn"},
           {62, "ap", kFail, "fail", "ap soft ok>fail, ap hard ok>fail, check warn>fail, open #1"},
       });
}

TEST(Quorum, LocationsStillPendingDoNotVote) {
  auto engine = engine_with({policy("shop", /*failure*/ 2)});
  play(engine, "shop",
       {
           // eu has not confirmed anything yet, so us alone decides.
           {0, "eu", kFail, "pending", "eu soft pending>fail"},
           {1, "us", kOk, "ok", "us soft pending>ok, us hard pending>ok, check pending>ok"},
           // Now both report, and a majority of two is both.
           {60, "eu", kFail, "ok", "eu hard pending>fail"},
       });
}

TEST(Quorum, ANewQuorumAppliesAtOnceOnReconfigure) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  play(engine, "shop", kAllUp);
  play(engine, "shop", {{60, "eu", kFail, "ok", "eu soft ok>fail, eu hard ok>fail"}});

  const Transitions t = engine.configure(
      {policy("shop", /*failure*/ 1, /*recovery*/ 2, /*quorum*/ 1)}, at_second(90));
  EXPECT_EQ(describe(t), "check ok>fail, open #1");
  EXPECT_EQ(t.changed_checks, std::vector<std::string>{"shop"});
}

TEST(LocationsNeeded, IsTheQuorumCappedByReportersOrElseAMajority) {
  struct Case {
    int reporting;
    int quorum;
    int want;
  } cases[] = {
      {1, 0, 1}, {2, 0, 2}, {3, 0, 2}, {4, 0, 3}, {5, 0, 3},
      {3, 1, 1}, {3, 2, 2}, {3, 5, 3}, {1, 2, 1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(locations_needed(c.reporting, c.quorum), c.want)
        << c.reporting << " reporting, quorum " << c.quorum;
  }
}

}  // namespace
}  // namespace lk::state::testing
