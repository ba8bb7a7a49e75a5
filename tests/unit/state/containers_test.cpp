// The compact containers of the per-check state, FlatNameMap (a check's locations) and
// StateHistory, behave like the std::map and std::deque they replace, in the ways the engine
// uses them; and the per-check state stays as small as they made it.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "state/check_state.hpp"
#include "state/flat_name_map.hpp"
#include "state/state_history.hpp"

namespace lk::state {
namespace {

TEST(FlatNameMap, IteratesInNameOrderWhateverTheInsertionOrder) {
  FlatNameMap<int> map;
  map["us-east"] = 2;
  map["ap-southeast"] = 3;
  EXPECT_TRUE(map.try_emplace(SharedText("eu-central")).second);
  map.at("eu-central") = 1;
  std::vector<std::string> names;
  for (const auto& [name, value] : map) names.push_back(name.str() + "=" + std::to_string(value));
  EXPECT_EQ(names, (std::vector<std::string>{"ap-southeast=3", "eu-central=1", "us-east=2"}));
}

TEST(FlatNameMap, FindsOnlyWhatItHolds) {
  FlatNameMap<int> map;
  EXPECT_TRUE(map.empty());
  EXPECT_TRUE(map.emplace("eu", 1).second);
  EXPECT_FALSE(map.emplace("eu", 9).second);
  EXPECT_FALSE(map.try_emplace("eu").second);
  EXPECT_EQ(map.size(), 1u);
  EXPECT_EQ(map.at("eu"), 1);
  EXPECT_TRUE(map.contains("eu"));
  EXPECT_FALSE(map.contains("e"));
  EXPECT_FALSE(map.contains("eu-central"));
  EXPECT_EQ(map.find("us"), map.end());
  EXPECT_THROW(map.at("us"), std::out_of_range);
}

TEST(StateHistory, KeepsTheLatestStatesOldestFirst) {
  StateHistory history;
  const State cycle[] = {State::pending, State::ok, State::warn, State::fail, State::unknown};
  for (int i = 0; i < 30; ++i) history.push_back(cycle[i % 5]);
  ASSERT_EQ(history.size(), StateHistory::kCapacity);
  for (std::size_t i = 0; i < history.size(); ++i) EXPECT_EQ(history[i], cycle[(i + 9) % 5]) << i;

  history.pop_front();
  EXPECT_EQ(history.size(), StateHistory::kCapacity - 1);
  EXPECT_EQ(history[0], cycle[0]);
  std::vector<State> states(history.begin(), history.end());
  EXPECT_EQ(states.back(), cycle[4]);

  history.clear();
  EXPECT_TRUE(history.empty());
  history.pop_front();
  EXPECT_TRUE(history.empty());
}

TEST(StateHistory, EqualWhenTheSameStatesWereKeptHoweverTheyGotThere) {
  StateHistory dropped_oldest(StateHistory::kCapacity, State::fail);
  for (std::size_t i = 0; i < StateHistory::kCapacity; ++i) dropped_oldest.push_back(State::ok);
  EXPECT_EQ(dropped_oldest, StateHistory(StateHistory::kCapacity, State::ok));

  StateHistory popped = {State::fail, State::ok};
  popped.pop_front();
  EXPECT_EQ(popped, StateHistory{State::ok});
  EXPECT_FALSE(popped == (StateHistory{State::ok, State::ok}));
}

// 100,000 checks must fit in the memory budget; every byte here is 100 KB per location there.
TEST(CheckState, StaysAsSmallAsItsFieldsAllow) {
  if constexpr (sizeof(void*) == 8) {
    EXPECT_LE(sizeof(StateHistory), 9u);
    EXPECT_LE(sizeof(LocationState), 48u);
    EXPECT_LE(sizeof(LocationMap::value_type), 56u);
    EXPECT_LE(sizeof(CheckState), 96u);
  }
}

}  // namespace
}  // namespace lk::state
