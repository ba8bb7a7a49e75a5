// Incidents: one per outage of the check as a whole, opened when the check-level state
// becomes fail, kept through changes of severity, closed on recovery.

#include <gtest/gtest.h>

#include "story.hpp"

namespace lk::state::testing {
namespace {

TEST(Incidents, FailToWarnKeepsTheIncidentOpenWithSeverityFail) {
  auto engine = engine_with({policy("shop", /*failure*/ 2)});
  play(engine, "shop",
       {
           {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
           {60, "eu", kFail, "ok", "eu soft ok>fail"},
           {120, "eu", kFail, "fail", "eu hard ok>fail, check ok>fail, open #1"},
           {180, "eu", kWarn, "warn",
            "eu soft fail>warn, eu hard fail>warn, check fail>warn, "
            "update #1"},
           {240, "eu", kWarn, "warn", ""},
           {300, "eu", kOk, "warn", "eu soft warn>ok"},
           {360, "eu", kOk, "ok", "eu hard warn>ok, check warn>ok, close #1"},
       });
}

TEST(Incidents, TheIncidentRemembersCauseWorstSeverityAndLatestMessage) {
  auto engine = engine_with({policy("shop", /*failure*/ 1, /*recovery*/ 1)});
  play(engine, "shop",
       {
           {0, "eu", kFail, "fail",
            "eu soft pending>fail, eu hard pending>fail, "
            "check pending>fail, open #1",
            "connect refused"},
           {60, "eu", kWarn, "warn",
            "eu soft fail>warn, eu hard fail>warn, check fail>warn, "
            "update #1",
            "slow answer: 2.1s"},
       });
  const CheckState* shop = engine.state("shop");
  ASSERT_TRUE(shop->open_incident);
  const Incident* incident = engine.incident(*shop->open_incident);
  ASSERT_NE(incident, nullptr);
  EXPECT_EQ(incident->id, 1);
  EXPECT_EQ(incident->check, "shop");
  EXPECT_EQ(incident->severity, State::fail);
  EXPECT_EQ(incident->opened_at, at_second(0));
  EXPECT_FALSE(incident->closed_at);
  EXPECT_EQ(incident->cause, "connect refused");
  EXPECT_EQ(incident->last_message, "slow answer: 2.1s");

  const Transitions closing =
      engine.apply(result_for("shop", {120, "eu", kOk, "", ""}), at_second(120));
  ASSERT_EQ(closing.closed.size(), 1u);
  EXPECT_EQ(closing.closed[0].id, 1);
  EXPECT_EQ(closing.closed[0].closed_at, at_second(120));
  EXPECT_EQ(closing.closed[0].last_message, "slow answer: 2.1s");
  EXPECT_FALSE(engine.state("shop")->open_incident);
  EXPECT_EQ(engine.incident(1), nullptr);
}

TEST(Incidents, ANewFailingMessageUpdatesTheIncidentOnlyWhenItsTextChanges) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  play(engine, "shop",
       {
           {0, "eu", kFail, "fail",
            "eu soft pending>fail, eu hard pending>fail, "
            "check pending>fail, open #1",
            "connect refused"},
           {60, "eu", kFail, "fail", "", "connect refused"},
           {120, "eu", kFail, "fail", "update #1", "connect timed out after 10s"},
           {180, "eu", kFail, "fail", "", "connect timed out after 10s"},
       });
  EXPECT_EQ(engine.incident(1)->last_message, "connect timed out after 10s");
}

TEST(Incidents, LocationsFailingWithDifferentSteadyMessagesDoNotUpdateOnEveryResult) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  play(engine, "shop",
       {
           {0, "eu", kFail, "fail",
            "eu soft pending>fail, eu hard pending>fail, "
            "check pending>fail, open #1",
            "connect refused"},
           {1, "us", kFail, "fail", "us soft pending>fail, us hard pending>fail, update #1",
            "connect timed out"},
           {60, "eu", kFail, "fail", "", "connect refused"},
           {61, "us", kFail, "fail", "", "connect timed out"},
           {120, "eu", kFail, "fail", "update #1", "TLS handshake failed"},
       });
  EXPECT_EQ(engine.incident(1)->last_message, "TLS handshake failed");
}

TEST(Incidents, WarnAloneNeverOpensAnIncident) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  play(engine, "shop",
       {
           {0, "eu", kWarn, "warn",
            "eu soft pending>warn, eu hard pending>warn, "
            "check pending>warn"},
           {60, "eu", kUnknown, "unknown",
            "eu soft warn>unknown, eu hard warn>unknown, "
            "check warn>unknown"},
       });
  EXPECT_FALSE(engine.state("shop")->open_incident);
}

TEST(Incidents, EachOutageGetsTheNextId) {
  auto engine = engine_with({policy("shop", /*failure*/ 1, /*recovery*/ 1)});
  play(engine, "shop",
       {
           {0, "eu", kFail, "fail",
            "eu soft pending>fail, eu hard pending>fail, "
            "check pending>fail, open #1"},
           {60, "eu", kOk, "ok", "eu soft fail>ok, eu hard fail>ok, check fail>ok, close #1"},
           {120, "eu", kFail, "fail", "eu soft ok>fail, eu hard ok>fail, check ok>fail, open #2"},
       });
}

TEST(Incidents, ChecksHaveTheirOwnIncidents) {
  auto engine = engine_with({policy("shop", 1), policy("blog", 1)});
  play(engine, "shop",
       {{0, "eu", kFail, "fail",
         "eu soft pending>fail, eu hard pending>fail, check pending>fail, open #1"}});
  play(engine, "blog",
       {{5, "eu", kFail, "fail",
         "eu soft pending>fail, eu hard pending>fail, check pending>fail, open #2"}});
  EXPECT_EQ(engine.incident(1)->check, "shop");
  EXPECT_EQ(engine.incident(2)->check, "blog");
}

}  // namespace
}  // namespace lk::state::testing
