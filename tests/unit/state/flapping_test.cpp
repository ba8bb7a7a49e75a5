// Flapping: a location whose results keep changing state is flapping; it starts above
// flap_high and stops only below flap_low (defaults 0.5 and 0.25), once it has seen at least
// ten results. Stories are written as one letter per result (o ok, f fail) above one mark per
// result for the flapping flag after it ('-' steady, 'F' flapping).

#include <gtest/gtest.h>

#include "state/flapping.hpp"
#include "story.hpp"

namespace lk::state::testing {
namespace {

struct FlapStory {
  const char* name;
  std::string results;
  std::string flapping;
};

Status status_of(char letter) {
  return letter == 'o' ? kOk : kFail;
}

void play_flapping(const FlapStory& story) {
  SCOPED_TRACE(story.name);
  ASSERT_EQ(story.results.size(), story.flapping.size());
  auto engine = engine_with({policy("shop", /*failure*/ 3)});
  bool was_flapping = false;
  for (std::size_t i = 0; i < story.results.size(); ++i) {
    SCOPED_TRACE("result " + std::to_string(i + 1) + " '" + story.results[i] + "'");
    Step step{int(i) * 60, "eu", status_of(story.results[i]), "", ""};
    const Transitions t = engine.apply(result_for("shop", step), at_second(step.at_s));

    const bool want_flapping = story.flapping[i] == 'F';
    const CheckState* shop = engine.state("shop");
    EXPECT_EQ(shop->locations.at("eu").flapping, want_flapping);
    EXPECT_EQ(shop->flapping, want_flapping);
    if (want_flapping != was_flapping) {
      // Starting or stopping to flap is persisted even when nothing else changed.
      EXPECT_EQ(t.changed_checks, std::vector<std::string>{"shop"});
    }
    was_flapping = want_flapping;
  }
}

TEST(Flapping, StartsAfterTenAlternatingResultsAndStopsOnlyOnceCalmAgain) {
  play_flapping({"alternating, then steady ok",
                 "ofofofofofofoooooooooooooooooooo",    // results
                 "---------FFFFFFFFFFFFFFFFFF-----"});  // flapping
}

TEST(Flapping, AShareHoveringAroundTheHighMarkDoesNotToggle) {
  play_flapping({"two up, two down",
                 "ooffooffooffooffooffooff",    // results
                 "----------FFFFFFFFFFFFFF"});  // flapping
}

TEST(Flapping, ASlowerRhythmBetweenTheMarksNeverStartsFlapping) {
  play_flapping({"three up, three down",
                 "ooofffooofffooofffooofffoooooo",    // results
                 "------------------------------"});  // flapping
}

TEST(Flapping, OneFlappingLocationMakesTheCheckFlapping) {
  auto engine = engine_with({policy("shop")});
  for (int i = 0; i < 10; ++i) {
    engine.apply(result_for("shop", {i * 60, "eu", i % 2 ? kFail : kOk, "", ""}),
                 at_second(i * 60));
    engine.apply(result_for("shop", {i * 60 + 1, "us", kOk, "", ""}), at_second(i * 60 + 1));
  }
  const CheckState* shop = engine.state("shop");
  EXPECT_TRUE(shop->locations.at("eu").flapping);
  EXPECT_FALSE(shop->locations.at("us").flapping);
  EXPECT_TRUE(shop->flapping);
}

TEST(StateChangeShare, CountsChangesWithNewerOnesWeighingMore) {
  using S = State;
  const StateHistory steady(10, S::ok);
  const StateHistory alternating = {S::ok, S::fail, S::ok, S::fail, S::ok, S::fail};
  const StateHistory old_change = {S::fail, S::ok, S::ok, S::ok, S::ok, S::ok};
  const StateHistory new_change = {S::ok, S::ok, S::ok, S::ok, S::ok, S::fail};
  const StateHistory severity_change = {S::fail, S::warn, S::fail};

  EXPECT_DOUBLE_EQ(state_change_share({}), 0.0);
  EXPECT_DOUBLE_EQ(state_change_share({S::ok}), 0.0);
  EXPECT_DOUBLE_EQ(state_change_share(steady), 0.0);
  EXPECT_DOUBLE_EQ(state_change_share(alternating), 1.0);
  EXPECT_DOUBLE_EQ(state_change_share(severity_change), 1.0);
  // One change in five: 0.8 / 5 when it is the oldest, 1.2 / 5 when it is the newest.
  EXPECT_NEAR(state_change_share(old_change), 0.16, 1e-12);
  EXPECT_NEAR(state_change_share(new_change), 0.24, 1e-12);
}

TEST(FlappingAfter, NeedsTenResultsBeforeItJudges) {
  const StateHistory nine_alternating = {State::ok,   State::fail, State::ok,
                                         State::fail, State::ok,   State::fail,
                                         State::ok,   State::fail, State::ok};
  EXPECT_FALSE(flapping_after(false, nine_alternating, 0.5, 0.25));
  EXPECT_TRUE(flapping_after(true, nine_alternating, 0.5, 0.25));
}

}  // namespace
}  // namespace lk::state::testing
