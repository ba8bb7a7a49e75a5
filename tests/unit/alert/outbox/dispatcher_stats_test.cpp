// The outbox dispatcher's figures per notifier (what /metrics shows): real sends to receivers
// on loopback through a real SQLite outbox.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

#include "../deliver/loopback_server.hpp"
#include "../notify/sample_message.hpp"
#include "alert/notify/channel.hpp"
#include "alert/notify/webhook/webhook.hpp"
#include "alert/outbox/dispatcher.hpp"

namespace lk::alert {
namespace {

using namespace std::chrono_literals;
using deliver::test::LoopbackServer;

std::string answer(std::string_view status_line) {
  return "HTTP/1.1 " + std::string(status_line) +
         "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}

Notifier webhook_to(std::string name, const std::string& url) {
  Notifier n;
  n.name = std::move(name);
  n.type = "webhook";
  n.kind = find_channel_kind("webhook");
  n.settings = std::make_shared<SettingsOf<webhook::Settings>>(webhook::Settings{.url = url});
  n.timeout = 5s;
  return n;
}

Dispatch problem_for(std::string channel, std::string key) {
  return Dispatch{.channel = std::move(channel),
                  .kind = "problem",
                  .key = std::move(key),
                  .message = test::sample_problem()};
}

class DispatcherStatsTest : public ::testing::Test {
 protected:
  DispatcherStatsTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "lk-dispatcher-XXXXXX");
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    dir_ = pattern;
  }
  ~DispatcherStatsTest() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::unique_ptr<store::Store> open_store() {
    store::SqliteOptions o;
    o.path = (dir_ / "lk.db").string();
    o.flush_interval = 50ms;
    return store::open_sqlite(o, clock_);
  }

  static DispatcherOptions fast() {
    DispatcherOptions o;
    o.poll = 20ms;
    o.retry.initial_backoff = 1h;  // a retried notification stays pending for the test's life
    o.retry.min_backoff = 1h;
    return o;
  }

  // Polls the dispatcher's stats until `done` holds for them (at most 10 s); returns the last.
  static DispatcherStats wait_for(const Dispatcher& d,
                                  const std::function<bool(const DispatcherStats&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    DispatcherStats s = d.stats();
    while (!done(s) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
      s = d.stats();
    }
    return s;
  }

  SystemClock clock_;
  std::filesystem::path dir_;
};

TEST_F(DispatcherStatsTest, CountsEachNotifiersOutcomesAndEmptiesItsQueue) {
  LoopbackServer accepting(answer("200 OK"));
  LoopbackServer rejecting(answer("400 Bad Request"));
  auto store = open_store();
  Dispatcher d(*store, clock_, fast());
  d.set_notifiers({webhook_to("ops-hook", accepting.url("/hook")),
                   webhook_to("bad-hook", rejecting.url("/hook"))});
  d.submit({problem_for("ops-hook", "k1"), problem_for("bad-hook", "k2")});

  auto s = wait_for(d, [](const DispatcherStats& s) { return s.sent + s.failed == 2; });
  ASSERT_EQ(s.notifiers.size(), 2u);
  const auto& ok = s.notifiers.at("ops-hook");
  EXPECT_EQ(ok.type, "webhook");
  EXPECT_EQ(ok.enqueued, 1u);
  EXPECT_EQ(ok.sent, 1u);
  EXPECT_EQ(ok.retried + ok.failed, 0u);
  EXPECT_EQ(ok.queued, 0u);
  EXPECT_EQ(ok.in_flight, 0u);
  const auto& bad = s.notifiers.at("bad-hook");
  EXPECT_EQ(bad.enqueued, 1u);
  EXPECT_EQ(bad.failed, 1u) << "a 400 is given up for good";
  EXPECT_EQ(bad.sent + bad.retried, 0u);
  EXPECT_EQ(bad.queued, 0u);
  EXPECT_EQ(s.queued, 0u);
  EXPECT_EQ(s.in_flight, 0u);
}

TEST_F(DispatcherStatsTest, ANotifierWithNothingSentYetIsListedAtZero) {
  auto store = open_store();
  Dispatcher d(*store, clock_, fast());
  d.set_notifiers({webhook_to("quiet-hook", "http://127.0.0.1:9/")});
  auto s = d.stats();
  ASSERT_EQ(s.notifiers.count("quiet-hook"), 1u);
  EXPECT_EQ(s.notifiers.at("quiet-hook").type, "webhook");
  EXPECT_EQ(s.notifiers.at("quiet-hook").sent, 0u);
}

TEST_F(DispatcherStatsTest, ARetriedNotificationStaysQueuedAndAReplayedKeyIsNotCountedTwice) {
  LoopbackServer failing(answer("503 Service Unavailable"));
  auto store = open_store();
  Dispatcher d(*store, clock_, fast());
  d.set_notifiers({webhook_to("ops-hook", failing.url("/hook"))});
  d.submit({problem_for("ops-hook", "k1")});
  auto s = wait_for(d, [](const DispatcherStats& s) { return s.retried == 1; });
  EXPECT_EQ(s.notifiers.at("ops-hook").retried, 1u);
  EXPECT_EQ(s.notifiers.at("ops-hook").queued, 1u);

  d.submit({problem_for("ops-hook", "k1")});  // the same key again: the outbox keeps one
  d.flush();
  s = d.stats();
  EXPECT_EQ(s.notifiers.at("ops-hook").enqueued, 1u);
  EXPECT_EQ(s.notifiers.at("ops-hook").queued, 1u);
  EXPECT_EQ(s.queued, 1u);
}

TEST_F(DispatcherStatsTest, WhatAnEarlierRunLeftPendingCountsAsQueued) {
  LoopbackServer failing(answer("503 Service Unavailable"));
  auto store = open_store();
  {
    Dispatcher first(*store, clock_, fast());
    first.set_notifiers({webhook_to("ops-hook", failing.url("/hook"))});
    first.submit({problem_for("ops-hook", "k1"), problem_for("ops-hook", "k2")});
    auto s = wait_for(first, [](const DispatcherStats& s) { return s.retried == 2; });
    ASSERT_EQ(s.retried, 2u);
  }
  Dispatcher second(*store, clock_, fast());
  second.set_notifiers({webhook_to("ops-hook", failing.url("/hook"))});
  auto s = wait_for(second, [](const DispatcherStats& s) { return s.queued == 2; });
  EXPECT_EQ(s.notifiers.at("ops-hook").queued, 2u);
  EXPECT_EQ(s.notifiers.at("ops-hook").enqueued, 0u) << "enqueued by the earlier run";

  second.submit({problem_for("ops-hook", "k2"), problem_for("ops-hook", "k3")});
  second.flush();
  s = second.stats();
  EXPECT_EQ(s.notifiers.at("ops-hook").enqueued, 1u) << "k2 was already in the outbox";
  EXPECT_EQ(s.notifiers.at("ops-hook").queued, 3u);
}

}  // namespace
}  // namespace lk::alert
