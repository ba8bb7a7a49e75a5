// The engine's life around the results: configuring checks, reconfiguring and removing them,
// ignoring what it does not know, and asking for a write only when persisted state changed.

#include <gtest/gtest.h>

#include "story.hpp"

namespace lk::state::testing {
namespace {

TEST(Configure, NewChecksStartPendingSinceNow) {
  StateEngine engine;
  const Transitions t = engine.configure({policy("shop"), policy("blog")}, at_second(5));
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.changed_checks, (std::vector<std::string>{"blog", "shop"}));

  const CheckState* shop = engine.state("shop");
  ASSERT_NE(shop, nullptr);
  EXPECT_EQ(shop->check, "shop");
  EXPECT_EQ(shop->state, State::pending);
  EXPECT_EQ(shop->since, at_second(5));
  EXPECT_TRUE(shop->locations.empty());
  EXPECT_EQ(engine.state("nope"), nullptr);
}

TEST(Configure, ChecksThatRemainKeepTheirStateAndTakeNewThresholds) {
  auto engine = engine_with({policy("shop", /*failure*/ 3)});
  play(engine, "shop",
       {
           {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
           {60, "eu", kFail, "ok", "eu soft ok>fail"},
       });

  const Transitions t = engine.configure({policy("shop", /*failure*/ 2)}, at_second(90));
  EXPECT_TRUE(t.empty());
  EXPECT_TRUE(t.changed_checks.empty());
  EXPECT_EQ(engine.state("shop")->since, at_second(0));

  // The failure counted before the reload still counts: the second one confirms.
  play(engine, "shop", {{120, "eu", kFail, "fail", "eu hard ok>fail, check ok>fail, open #1"}});
}

TEST(Configure, RemovedCheckClosesItsIncidentAndAsksForItsRowToBeDeleted) {
  auto engine = engine_with({policy("shop", /*failure*/ 1), policy("blog")});
  play(engine, "shop",
       {{0, "eu", kFail, "fail",
         "eu soft pending>fail, eu hard pending>fail, check pending>fail, open #1"}});

  const Transitions t = engine.configure({policy("blog")}, at_second(300));
  EXPECT_EQ(describe(t), "close #1");
  ASSERT_EQ(t.closed.size(), 1u);
  EXPECT_EQ(t.closed[0].check, "shop");
  EXPECT_EQ(t.closed[0].closed_at, at_second(300));
  EXPECT_EQ(t.closed[0].last_message, "check removed");
  EXPECT_EQ(t.changed_checks, std::vector<std::string>{"shop"});
  EXPECT_EQ(engine.state("shop"), nullptr);
  EXPECT_EQ(engine.incident(1), nullptr);
  EXPECT_NE(engine.state("blog"), nullptr);

  // Results still in flight for the removed check are ignored.
  EXPECT_TRUE(engine.apply(result_for("shop", {301, "eu", kFail, "", ""}), at_second(301)).empty());
}

TEST(Configure, ACheckAddedBackStartsOverWithANewIncidentId) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  play(engine, "shop",
       {{0, "eu", kFail, "fail",
         "eu soft pending>fail, eu hard pending>fail, check pending>fail, open #1"}});
  engine.configure({}, at_second(60));
  engine.configure({policy("shop", /*failure*/ 1)}, at_second(120));
  EXPECT_EQ(engine.state("shop")->state, State::pending);
  play(engine, "shop",
       {{180, "eu", kFail, "fail",
         "eu soft pending>fail, eu hard pending>fail, check pending>fail, open #2"}});
}

TEST(Apply, ResultsForUnknownChecksAreIgnored) {
  auto engine = engine_with({policy("shop")});
  const Transitions t = engine.apply(result_for("ghost", {0, "eu", kFail, "", ""}), kStart);
  EXPECT_TRUE(t.empty());
  EXPECT_TRUE(t.changed_checks.empty());
  EXPECT_EQ(engine.state("ghost"), nullptr);
}

TEST(Apply, AsksForAWriteOnlyWhenPersistedStateChanges) {
  struct Case {
    int at_s;
    Status status;
    bool want_write;
  } story[] = {
      {0, kOk, true},                         // first result: pending -> ok
      {60, kOk, false},                       // only counters move
      {120, kFail, true},                     // soft change
      {180, kFail, true},                     // hard change, check change, incident opened
      {240, kFail, false}, {300, kOk, true},  // soft change
      {360, kOk, true},                       // recovery, incident closed
      {420, kOk, false},
  };
  auto engine = engine_with({policy("shop", /*failure*/ 2)});
  for (const auto& step : story) {
    const Transitions t = engine.apply(result_for("shop", {step.at_s, "eu", step.status, "", ""}),
                                       at_second(step.at_s));
    EXPECT_EQ(!t.changed_checks.empty(), step.want_write) << "at +" << step.at_s << "s";
  }
}

TEST(Tick, ChangesNothingForPlainChecks) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  engine.apply(result_for("shop", {0, "eu", kFail, "", ""}), kStart);
  const Transitions t = engine.tick(at_second(3600));
  EXPECT_TRUE(t.empty());
  EXPECT_TRUE(t.changed_checks.empty());
  EXPECT_EQ(engine.state("shop")->state, State::fail);
}

}  // namespace
}  // namespace lk::state::testing
