// The persisted form of one check's state: compact JSON that round-trips exactly, and a decoder
// that refuses what it cannot read instead of throwing.

#include <gtest/gtest.h>

#include "state/flapping.hpp"
#include "story.hpp"

namespace lk::state::testing {
namespace {

CheckState a_check_in_an_outage() {
  CheckState s;
  s.check = "shop";
  s.state = State::fail;
  s.since = at_second(120) + std::chrono::nanoseconds{123};
  s.flapping = true;
  s.open_incident = 7;
  s.last_message = "connect to 10.0.0.5:443 refused";

  LocationState eu;
  eu.hard = State::fail;
  eu.soft = State::warn;
  eu.consecutive_bad = 4;
  eu.consecutive_good = 0;
  eu.since = at_second(120);
  eu.last_result = at_second(300);
  eu.last_message = "slow: \"2.1s\"";
  eu.history = {State::ok, State::fail, State::unknown, State::warn};
  eu.flapping = true;
  s.locations["eu"] = eu;

  LocationState us;
  us.hard = State::ok;
  us.soft = State::ok;
  us.consecutive_good = 12;
  us.since = at_second(-86400);
  us.last_result = at_second(301);
  s.locations["us-east"] = us;
  return s;
}

void expect_same(const LocationState& got, const LocationState& want) {
  EXPECT_EQ(got.hard, want.hard);
  EXPECT_EQ(got.soft, want.soft);
  EXPECT_EQ(got.consecutive_bad, want.consecutive_bad);
  EXPECT_EQ(got.consecutive_good, want.consecutive_good);
  EXPECT_EQ(got.since, want.since);
  EXPECT_EQ(got.last_result, want.last_result);
  EXPECT_EQ(got.last_message, want.last_message);
  EXPECT_EQ(got.history, want.history);
  EXPECT_EQ(got.flapping, want.flapping);
}

void expect_same(const CheckState& got, const CheckState& want) {
  EXPECT_EQ(got.check, want.check);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.since, want.since);
  EXPECT_EQ(got.flapping, want.flapping);
  EXPECT_EQ(got.open_incident, want.open_incident);
  EXPECT_EQ(got.last_message, want.last_message);
  ASSERT_EQ(got.locations.size(), want.locations.size());
  for (const auto& [name, location] : want.locations) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(got.locations.contains(name));
    expect_same(got.locations.at(name), location);
  }
}

TEST(Codec, RoundTripsEveryField) {
  const CheckState original = a_check_in_an_outage();
  const std::string text = StateEngine::encode(original);
  const auto decoded = StateEngine::decode(text);
  ASSERT_TRUE(decoded) << text;
  expect_same(*decoded, original);
}

TEST(Codec, RoundTripsAFreshPendingCheckWithoutIncident) {
  CheckState fresh;
  fresh.check = "blog";
  fresh.since = kStart;
  const auto decoded = StateEngine::decode(StateEngine::encode(fresh));
  ASSERT_TRUE(decoded);
  expect_same(*decoded, fresh);
}

TEST(Codec, IsCompactWithTimesAsIntegerNanoseconds) {
  CheckState s;
  s.check = "blog";
  s.since = kStart;
  EXPECT_EQ(StateEngine::encode(s),
            R"({"check":"blog","flapping":false,"locations":{},"message":"",)"
            R"("since":1800000000000000000,"state":"pending","v":1})");
}

TEST(Codec, MessagesThatAreNotUtf8AreKeptReadableInsteadOfThrowing) {
  CheckState s = a_check_in_an_outage();
  s.last_message = "body: \xff\xfe broken";
  std::string text;
  ASSERT_NO_THROW(text = StateEngine::encode(s));
  const auto decoded = StateEngine::decode(text);
  ASSERT_TRUE(decoded);
  EXPECT_NE(decoded->last_message.view().find("broken"), std::string::npos);
}

TEST(Codec, DecodeRefusesGarbageWithoutThrowing) {
  const std::string valid = StateEngine::encode(a_check_in_an_outage());
  const std::string garbage[] = {
      "",
      "not json",
      "{",
      "[]",
      "42",
      "null",
      "{}",
      valid.substr(0, valid.size() / 2),
      R"({"v":2,"check":"shop","state":"ok","since":0,"locations":{}})",
      R"({"v":1,"check":"","state":"ok","since":0,"locations":{}})",
      R"({"v":1,"check":"shop","state":"sideways","since":0,"locations":{}})",
      R"({"v":1,"check":"shop","state":"ok","since":"yesterday","locations":{}})",
      R"({"v":1,"check":"shop","state":"ok","since":0.5,"locations":{}})",
      R"({"v":1,"check":"shop","state":"ok","since":0,"locations":[]})",
      R"({"v":1,"check":"shop","state":"ok","since":0})",
      R"({"v":1,"check":"shop","state":"ok","since":0,"locations":{},"incident":"seven"})",
      R"({"v":1,"check":"shop","state":"ok","since":0,"locations":{},"incident":0})",
      R"({"v":1,"check":"shop","state":"ok","since":0,"locations":{},"flapping":"yes"})",
      R"({"v":1,"check":"shop","state":"ok","since":99999999999999999999,"locations":{}})",
      R"({"v":1,"check":"shop","state":"ok","since":0,"locations":{"eu":1}})",
      R"({"v":1,"check":"shop","state":"ok","since":0,"locations":{"eu":{"hard":"ok"}}})",
      R"({"v":1,"check":"shop","state":"ok","since":0,)"
      R"("locations":{"eu":{"hard":"ok","soft":"ok","bad":-1}}})",
      R"({"v":1,"check":"shop","state":"ok","since":0,)"
      R"("locations":{"eu":{"hard":"ok","soft":"ok","history":"oxo"}}})",
  };
  for (const auto& text : garbage) {
    std::optional<CheckState> decoded;
    EXPECT_NO_THROW(decoded = StateEngine::decode(text)) << text;
    EXPECT_FALSE(decoded) << text;
  }
}

TEST(Codec, DecodeKeepsOnlyTheLatestHistoryItCanUse) {
  CheckState s;
  s.check = "shop";
  s.locations["eu"].history = StateHistory(kFlapHistorySize, State::ok);
  std::string text = StateEngine::encode(s);
  const std::string ok_run(kFlapHistorySize, 'o');
  text.replace(text.find(ok_run), ok_run.size(), "ffff" + ok_run);

  const auto decoded = StateEngine::decode(text);
  ASSERT_TRUE(decoded) << text;
  EXPECT_EQ(decoded->locations.at("eu").history, s.locations.at("eu").history);
}

TEST(Codec, DecodeAcceptsMissingIncidentAndNullIncident) {
  EXPECT_TRUE(StateEngine::decode(
      R"({"v":1,"check":"shop","state":"ok","since":0,"locations":{},"incident":null})"));
  const auto decoded =
      StateEngine::decode(R"({"v":1,"check":"shop","state":"ok","since":0,"locations":{}})");
  ASSERT_TRUE(decoded);
  EXPECT_FALSE(decoded->open_incident);
}

}  // namespace
}  // namespace lk::state::testing
