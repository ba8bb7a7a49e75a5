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

TEST(Configure, ReportsRemovedChecksFirstThenTheRestInNameOrder) {
  auto engine = engine_with({policy("blog", /*failure*/ 1, /*recovery*/ 1, /*quorum*/ 1),
                             policy("docs"), policy("shop")});
  play(engine, "blog",
       {
           {0, "eu", kFail, "fail",
            "eu soft pending>fail, eu hard pending>fail, check pending>fail, open #1"},
           {1, "us", kOk, "fail", "us soft pending>ok, us hard pending>ok"},
       });

  // "blog" stays and now needs a majority of its locations down; "docs" goes; "api" and "cdn"
  // are new.
  const Transitions t = engine.configure(
      {policy("shop"), policy("cdn"), policy("blog", 1, 1), policy("api")}, at_second(60));
  EXPECT_EQ(describe(t), "check fail>ok, close #1");
  EXPECT_EQ(t.changed_checks, (std::vector<std::string>{"docs", "api", "blog", "cdn"}));
  EXPECT_EQ(engine.state("docs"), nullptr);
  EXPECT_EQ(engine.state("api")->since, at_second(60));
  EXPECT_EQ(engine.state("blog")->state, State::ok);
  EXPECT_EQ(engine.snapshot().checks.size(), 4u);
}

TEST(Configure, OfTwoPoliciesForOneCheckTheLastCounts) {
  auto engine = engine_with({policy("shop", /*failure*/ 3), policy("shop", /*failure*/ 1)});
  EXPECT_EQ(engine.snapshot().checks.size(), 1u);
  play(engine, "shop",
       {{0, "eu", kFail, "fail",
         "eu soft pending>fail, eu hard pending>fail, check pending>fail, open #1"}});
}

TEST(Apply, TheCheckMessageIsTheLatestResultsFromAnyLocation) {
  auto engine = engine_with({policy("shop")});
  play(engine, "shop",
       {
           {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok",
            "HTTP 200 in 123 ms"},
           {1, "us", kOk, "ok", "us soft pending>ok, us hard pending>ok", "HTTP 200 in 98 ms"},
           {60, "eu", kOk, "ok", "", "HTTP 200 in 131 ms"},
       });
  const CheckState* shop = engine.state("shop");
  EXPECT_EQ(shop->last_message, "HTTP 200 in 131 ms");
  EXPECT_EQ(shop->locations.at("eu").last_message, "HTTP 200 in 131 ms");
  EXPECT_EQ(shop->locations.at("us").last_message, "HTTP 200 in 98 ms");

  play(engine, "shop", {{61, "us", kOk, "ok", "", "HTTP 200 in 101 ms"}});
  EXPECT_EQ(shop->last_message, "HTTP 200 in 101 ms");
  EXPECT_EQ(shop->locations.at("eu").last_message, "HTTP 200 in 131 ms");
  EXPECT_EQ(shop->locations.at("us").last_message, "HTTP 200 in 101 ms");
}

TEST(Apply, ResultsBetweenRestoreAndConfigureAreIgnored) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  StateEngine after;
  after.restore(engine.snapshot());
  EXPECT_TRUE(after.apply(result_for("shop", {0, "eu", kFail, "", ""}), kStart).empty());
  EXPECT_TRUE(after.state("shop")->locations.empty());
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
