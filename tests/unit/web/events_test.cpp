#include "web/events.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace lk::web;

namespace {

std::vector<std::uint64_t> ids(const EventHub::Backlog& backlog) {
  std::vector<std::uint64_t> out;
  for (const auto& event : backlog.events) out.push_back(event->id);
  return out;
}

}  // namespace

TEST(EventHub, GivesEventsIncreasingIdsFromTheFirstId) {
  EventHub hub(8, 100);
  EXPECT_EQ(hub.last_id(), 99u);
  EXPECT_EQ(hub.publish("update", "a"), 100u);
  EXPECT_EQ(hub.publish("update", "b"), 101u);
  EXPECT_EQ(hub.last_id(), 101u);
}

TEST(EventHub, ReadersGetTheEventsAfterTheirLastOneOldestFirst) {
  EventHub hub;
  hub.publish("update", "one");
  hub.publish("", "two");
  hub.publish("update", "three");
  auto backlog = hub.events_after(1);
  EXPECT_TRUE(backlog.complete);
  ASSERT_EQ(ids(backlog), (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(backlog.events[0]->name, "");
  EXPECT_EQ(backlog.events[0]->data, "two");
  EXPECT_EQ(backlog.events[1]->name, "update");
  EXPECT_TRUE(hub.events_after(3).events.empty());
  EXPECT_TRUE(hub.events_after(3).complete);
}

TEST(EventHub, NothingPublishedIsACompleteEmptyBacklog) {
  EventHub hub;
  auto backlog = hub.events_after(0);
  EXPECT_TRUE(backlog.complete);
  EXPECT_TRUE(backlog.events.empty());
}

TEST(EventHub, KeepsOnlyTheNewestEventsAndSaysWhenSomeAreGone) {
  EventHub hub(4);
  for (int i = 1; i <= 10; ++i) hub.publish("update", std::to_string(i));
  auto kept = hub.events_after(6);  // 7..10: exactly what is kept
  EXPECT_TRUE(kept.complete);
  EXPECT_EQ(ids(kept), (std::vector<std::uint64_t>{7, 8, 9, 10}));
  EXPECT_EQ(kept.events.front()->data, "7");

  auto gone = hub.events_after(3);  // 4..6 fell out of the ring
  EXPECT_FALSE(gone.complete);
  EXPECT_EQ(ids(gone), (std::vector<std::uint64_t>{7, 8, 9, 10}));
}

TEST(EventHub, AnIdFromTheFutureIsAnIncompleteBacklog) {
  // A page that was open across a restart of a hub whose ids did not grow past the old ones.
  EventHub hub;
  hub.publish("update", "x");
  auto backlog = hub.events_after(500);
  EXPECT_FALSE(backlog.complete);
  EXPECT_EQ(ids(backlog), (std::vector<std::uint64_t>{1})) << "all that is kept";
}

TEST(EventHub, AnIdFromBeforeTheFirstIdIsAnIncompleteBacklog) {
  EventHub hub(8, 1000);
  hub.publish("update", "x");
  auto backlog = hub.events_after(17);
  EXPECT_FALSE(backlog.complete);
  EXPECT_EQ(ids(backlog), (std::vector<std::uint64_t>{1000}));
  EXPECT_TRUE(hub.events_after(999).complete);
}

TEST(EventHub, WakesEverySubscriberOnPublishUntilTheSubscriptionEnds) {
  EventHub hub;
  int first = 0, second = 0;
  auto a = hub.subscribe([&] { ++first; });
  {
    auto b = hub.subscribe([&] { ++second; });
    EXPECT_EQ(hub.subscriber_count(), 2u);
    hub.publish("update", "1");
  }
  EXPECT_EQ(hub.subscriber_count(), 1u);
  hub.publish("update", "2");
  a.reset();
  hub.publish("update", "3");
  EXPECT_EQ(first, 2);
  EXPECT_EQ(second, 1);
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

TEST(EventHub, AMovedSubscriptionStaysSubscribedOnce) {
  EventHub hub;
  int woken = 0;
  EventHub::Subscription moved;
  {
    auto original = hub.subscribe([&] { ++woken; });
    moved = std::move(original);
    EXPECT_FALSE(original);  // NOLINT(bugprone-use-after-move): the point of the test
  }
  EXPECT_TRUE(moved);
  hub.publish("update", "x");
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(hub.subscriber_count(), 1u);
}

TEST(EventHub, AWakeUpMayReadTheEvents) {
  EventHub hub;
  std::uint64_t seen = 0;
  auto subscription = hub.subscribe([&] { seen = hub.events_after(0).events.back()->id; });
  hub.publish("update", "x");
  EXPECT_EQ(seen, 1u);
}

TEST(EventHub, PublishersOnManyThreadsLoseNoIdAndNoWakeUp) {
  EventHub hub(1024);
  std::atomic<int> woken{0};
  auto subscription = hub.subscribe([&] { ++woken; });
  std::vector<std::thread> publishers;
  for (int t = 0; t < 4; ++t)
    publishers.emplace_back([&] {
      for (int i = 0; i < 200; ++i) hub.publish("update", "x");
    });
  // A reader polling meanwhile must always see a gap-free run of ids.
  for (int i = 0; i < 200; ++i) {
    auto backlog = hub.events_after(0);
    for (std::size_t k = 0; k < backlog.events.size(); ++k) ASSERT_EQ(backlog.events[k]->id, k + 1);
  }
  for (auto& thread : publishers) thread.join();
  EXPECT_EQ(hub.last_id(), 800u);
  EXPECT_EQ(woken.load(), 800);
  EXPECT_EQ(hub.events_after(0).events.size(), 800u);
}

TEST(EventHub, ResetWaitsForAWakeUpInProgress) {
  EventHub hub;
  std::atomic<bool> inside{false}, finished{false};
  auto subscription = hub.subscribe([&] {
    inside = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    finished = true;
  });
  std::thread publisher([&] { hub.publish("update", "x"); });
  while (!inside) std::this_thread::yield();
  subscription.reset();
  EXPECT_TRUE(finished) << "reset() returned while the wake-up was still running";
  publisher.join();
}

TEST(FormatEvent, WritesIdNameAndData) {
  EXPECT_EQ(format_event({7, "update", "{\"check\":\"web\"}"}),
            "id: 7\nevent: update\ndata: {\"check\":\"web\"}\n\n");
}

TEST(FormatEvent, LeavesOutAnEmptyName) {
  EXPECT_EQ(format_event({1, "", "x"}), "id: 1\ndata: x\n\n");
}

TEST(FormatEvent, SplitsDataOnEveryKindOfLineBreak) {
  EXPECT_EQ(format_event({2, "", "a\nb\r\nc\rd"}), "id: 2\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(format_event({3, "", "end\n"}), "id: 3\ndata: end\ndata: \n\n");
}

TEST(FormatEvent, ANameCannotInjectAField) {
  EXPECT_EQ(format_event({4, "up\ndata: evil", "x"}), "id: 4\nevent: updata: evil\ndata: x\n\n");
}

TEST(ParseLastEventId, AcceptsDecimalIdsOnly) {
  EXPECT_EQ(parse_last_event_id("42"), 42u);
  EXPECT_EQ(parse_last_event_id(" 42 "), 42u);
  EXPECT_EQ(parse_last_event_id("0"), 0u);
  EXPECT_EQ(parse_last_event_id(""), std::nullopt);
  EXPECT_EQ(parse_last_event_id("abc"), std::nullopt);
  EXPECT_EQ(parse_last_event_id("42x"), std::nullopt);
  EXPECT_EQ(parse_last_event_id("-1"), std::nullopt);
  EXPECT_EQ(parse_last_event_id("99999999999999999999999"), std::nullopt);
}
