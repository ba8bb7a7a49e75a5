// One-off overrides and primary/secondary pairs.

#include <gtest/gtest.h>

#include "support.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::alert::oncall;
using namespace lk::alert::oncall::testing;

namespace {

Schedule weekly_trio(bool paired = false) {
  return schedule_of({"ana", "ben", "cleo", "xia"},
                     {Layer{"primary",
                            rotation({"ana", "ben", "cleo"}, weekly, "UTC", 9h, 2026y / 1 / 5),
                            {},
                            paired}});
}

TEST(Overrides, AnOverrideTakesPrecedenceAndEndsOnTime) {
  Schedule s = weekly_trio();
  s.overrides = {Override{"xia", at("2026-01-06T18:00:00Z"), at("2026-01-07T08:00:00Z")}};
  EXPECT_EQ(primary_at(s, "2026-01-06T17:59:59Z"), "ana");
  EXPECT_EQ(primary_at(s, "2026-01-06T18:00:00Z"), "xia");
  EXPECT_EQ(who_is_on(s, at("2026-01-06T18:00:00Z")).decided_by, "override");
  EXPECT_EQ(primary_at(s, "2026-01-07T07:59:59Z"), "xia");
  EXPECT_EQ(primary_at(s, "2026-01-07T08:00:00Z"), "ana");
  EXPECT_EQ(who_is_on(s, at("2026-01-07T08:00:00Z")).decided_by, "primary");
  EXPECT_EQ(handoffs(s, "2026-01-06T00:00:00Z", 3),
            (std::vector<std::string>{"2026-01-06T18:00:00Z xia", "2026-01-07T08:00:00Z ana",
                                      "2026-01-12T09:00:00Z ben"}));
}

TEST(Overrides, AnOverrideAcrossAHandoffHidesItUntilItEnds) {
  Schedule s = weekly_trio();
  s.overrides = {Override{"xia", at("2026-01-12T00:00:00Z"), at("2026-01-12T12:00:00Z")}};
  EXPECT_EQ(handoffs(s, "2026-01-11T00:00:00Z", 2),
            (std::vector<std::string>{"2026-01-12T00:00:00Z xia", "2026-01-12T12:00:00Z ben"}));
}

TEST(Overrides, TheLastListedOverrideWinsWhereTheyOverlap) {
  Schedule s = weekly_trio();
  s.overrides = {Override{"xia", at("2026-01-06T00:00:00Z"), at("2026-01-08T00:00:00Z")},
                 Override{"cleo", at("2026-01-07T00:00:00Z"), at("2026-01-07T06:00:00Z")}};
  EXPECT_EQ(handoffs(s, "2026-01-05T12:00:00Z", 4),
            (std::vector<std::string>{"2026-01-06T00:00:00Z xia", "2026-01-07T00:00:00Z cleo",
                                      "2026-01-07T06:00:00Z xia", "2026-01-08T00:00:00Z ana"}));
}

TEST(Overrides, AnOverrideCoversWhenNoLayerHasAnyone) {
  Schedule s = weekly_trio();
  s.overrides = {Override{"xia", at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z")}};
  EXPECT_EQ(primary_at(s, "2026-01-01T12:00:00Z"), "xia");  // before the rotation starts
  EXPECT_EQ(primary_at(s, "2026-01-02T12:00:00Z"), "nobody");
}

TEST(Pairs, TheSecondaryIsTheNextMemberOfTheRotation) {
  const Schedule s = weekly_trio(/*paired=*/true);
  auto pair_at = [&](std::string_view t) {
    OnCall on = who_is_on(s, at(t));
    return on.primary.value_or("-") + "+" + on.secondary.value_or("-");
  };
  EXPECT_EQ(pair_at("2026-01-06T00:00:00Z"), "ana+ben");
  EXPECT_EQ(pair_at("2026-01-13T00:00:00Z"), "ben+cleo");
  EXPECT_EQ(pair_at("2026-01-20T00:00:00Z"), "cleo+ana");
}

TEST(Pairs, PrimaryAndSecondaryChangeTogether) {
  const Schedule s = weekly_trio(/*paired=*/true);
  const auto next = next_handoffs(s, at("2026-01-06T00:00:00Z"), 1);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(text(next[0].at), "2026-01-12T09:00:00Z");
  EXPECT_EQ(next[0].before.primary, "ana");
  EXPECT_EQ(next[0].before.secondary, "ben");
  EXPECT_EQ(next[0].after.primary, "ben");
  EXPECT_EQ(next[0].after.secondary, "cleo");
}

TEST(Pairs, AOneMemberRotationHasNoSecondary) {
  auto s = schedule_of(
      {"ana"},
      {Layer{"solo", rotation({"ana"}, weekly, "UTC", 9h, 2026y / 1 / 5), {}, /*paired=*/true}});
  EXPECT_EQ(who_is_on(s, at("2026-01-06T00:00:00Z")).secondary, std::nullopt);
}

TEST(Pairs, AnOverrideByTheSecondaryLeavesNoSecondary) {
  Schedule s = weekly_trio(/*paired=*/true);
  s.overrides = {Override{"ben", at("2026-01-06T00:00:00Z"), at("2026-01-07T00:00:00Z")},
                 Override{"xia", at("2026-01-08T00:00:00Z"), at("2026-01-09T00:00:00Z")}};
  OnCall swapped = who_is_on(s, at("2026-01-06T12:00:00Z"));
  EXPECT_EQ(swapped.primary, "ben");
  EXPECT_EQ(swapped.secondary, std::nullopt);
  OnCall covered = who_is_on(s, at("2026-01-08T12:00:00Z"));
  EXPECT_EQ(covered.primary, "xia");
  EXPECT_EQ(covered.secondary, "ben");  // the pair's secondary is unchanged
}

}  // namespace
