// The notification outbox: durable on return (even across a kill -9), deduplicated by channel
// and idempotency key, due in order, every attempt recorded, listed newest first.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <future>
#include <iostream>
#include <vector>

#include "store/sqlite/database.hpp"
#include "store_fixture.hpp"

namespace lk::store::test {
namespace {

class OutboxTest : public StoreTest {
 protected:
  /// A trigger for `check` on `channel`, due `due` after the clock's start.
  Outbound outbound(std::string channel, std::string key, Duration due = 0s,
                    std::string check = "web") const {
    Outbound n;
    n.created_at = at(0s);
    n.channel = std::move(channel);
    n.kind = "trigger";
    n.check = std::move(check);
    n.incident_id = 7;
    n.idempotency_key = std::move(key);
    n.payload = R"({"text":"web is down"})";
    n.next_attempt_at = at(due);
    return n;
  }

  static Attempt attempt(TimePoint at, AttemptOutcome outcome, std::optional<int> http_status,
                         std::string error = {}) {
    return Attempt{at, outcome, http_status, std::move(error), 250ms};
  }

  static std::vector<std::int64_t> ids(const std::vector<Notification>& notifications) {
    std::vector<std::int64_t> out;
    for (const Notification& n : notifications) out.push_back(n.id);
    return out;
  }
};

TEST_F(OutboxTest, AnEnqueuedNotificationIsReadBackAsItWasWritten) {
  auto store = open();
  const std::int64_t id = store->enqueue_notification(outbound("ops-hook", "incident-7-trigger"));
  EXPECT_GT(id, 0);

  const auto due = store->due_notifications(at(0s), 10);  // no flush(): committed on return
  ASSERT_EQ(due.size(), 1u);
  const Notification& n = due[0];
  EXPECT_EQ(n.id, id);
  EXPECT_EQ(n.outbound.created_at, at(0s));
  EXPECT_EQ(n.outbound.channel, "ops-hook");
  EXPECT_EQ(n.outbound.kind, "trigger");
  EXPECT_EQ(n.outbound.check, "web");
  EXPECT_EQ(n.outbound.incident_id, 7);
  EXPECT_EQ(n.outbound.idempotency_key, "incident-7-trigger");
  EXPECT_EQ(n.outbound.payload, R"({"text":"web is down"})");
  EXPECT_EQ(n.state, NotificationState::pending);
  EXPECT_EQ(n.attempt_count, 0);
  EXPECT_EQ(n.next_attempt_at, at(0s));
  EXPECT_FALSE(n.sent_at);
}

// The writer waits an hour before flushing results on its own (the fixture's flush_interval):
// the notification must not wait with them, and must survive what loses them.
TEST_F(OutboxTest, AnEnqueuedNotificationSurvivesAKillNineRightAfterTheCallReturns) {
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    // No gtest assertions here: the child only writes and dies.
    auto store = open();
    store->enqueue_notification(outbound("ops-hook", "incident-7-trigger"));
    store->append(result("web", 0s, 1));  // queued, not committed: lost with the process
    kill(getpid(), SIGKILL);
    _exit(1);  // not reached
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  auto reopened = open();
  const auto due = reopened->due_notifications(at(0s), 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].outbound.idempotency_key, "incident-7-trigger");
  EXPECT_TRUE(reopened->results("web", at(0s), at(1h), 10).empty());
}

TEST_F(OutboxTest, APendingNotificationIsStillDueAfterAReopen) {
  std::int64_t id = 0;
  {
    auto store = open();
    id = store->enqueue_notification(outbound("ops-hook", "k", 5s));
    ASSERT_TRUE(
        store->record_attempt(id, attempt(at(5s), AttemptOutcome::retryable, 503), at(65s)));
  }
  auto reopened = open();
  EXPECT_TRUE(reopened->due_notifications(at(64s), 10).empty());
  const auto due = reopened->due_notifications(at(65s), 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, id);
  EXPECT_EQ(due[0].attempt_count, 1);
  // An id enqueued again after the restart (the alert module replaying) is the same one.
  EXPECT_EQ(reopened->enqueue_notification(outbound("ops-hook", "k")), id);
}

TEST_F(OutboxTest, EnqueueingTheSameKeyOnTheSameChannelReturnsTheFirstIdAndAddsNoRow) {
  auto store = open();
  const std::int64_t first = store->enqueue_notification(outbound("ops-hook", "k"));
  Outbound again = outbound("ops-hook", "k", 1h);
  again.payload = "different";
  EXPECT_EQ(store->enqueue_notification(again), first);
  const std::int64_t other_channel = store->enqueue_notification(outbound("pager", "k"));
  EXPECT_NE(other_channel, first);

  const auto all = store->notifications({});
  EXPECT_EQ(ids(all), (std::vector<std::int64_t>{other_channel, first}));
  EXPECT_EQ(all[1].outbound.payload, R"({"text":"web is down"})");  // the first one's
  EXPECT_EQ(all[1].next_attempt_at, at(0s));
}

TEST_F(OutboxTest, ConcurrentEnqueuesOfOneKeyAllGetTheSameId) {
  auto store = open();
  std::vector<std::future<std::int64_t>> calls;
  for (int i = 0; i < 8; ++i)
    calls.push_back(std::async(std::launch::async, [&] {
      return store->enqueue_notification(outbound("ops-hook", "k"));
    }));
  const std::int64_t id = calls[0].get();
  for (std::size_t i = 1; i < calls.size(); ++i) EXPECT_EQ(calls[i].get(), id);
  EXPECT_EQ(store->notifications({}).size(), 1u);
}

TEST_F(OutboxTest, DueNotificationsAreThePendingOnesUpToNowEarliestFirst) {
  auto store = open();
  const std::int64_t late = store->enqueue_notification(outbound("ops-hook", "late", 30s));
  const std::int64_t early = store->enqueue_notification(outbound("ops-hook", "early", 10s));
  const std::int64_t tied = store->enqueue_notification(outbound("pager", "tied", 10s));
  const std::int64_t future = store->enqueue_notification(outbound("ops-hook", "future", 1h));
  const std::int64_t sent = store->enqueue_notification(outbound("ops-hook", "sent", 0s));
  ASSERT_TRUE(store->record_attempt(sent, attempt(at(1s), AttemptOutcome::sent, 200), {}));

  EXPECT_TRUE(store->due_notifications(at(9s), 10).empty());
  EXPECT_EQ(ids(store->due_notifications(at(30s), 10)),
            (std::vector<std::int64_t>{early, tied, late}));
  EXPECT_EQ(ids(store->due_notifications(at(30s), 2)), (std::vector<std::int64_t>{early, tied}));
  EXPECT_EQ(ids(store->due_notifications(at(2h), 10)),
            (std::vector<std::int64_t>{early, tied, late, future}));
  EXPECT_TRUE(store->due_notifications(at(2h), 10)[0].attempts.empty());
}

TEST_F(OutboxTest, ARetryMovesTheNextAttemptAndASuccessEndsIt) {
  auto store = open();
  const std::int64_t id = store->enqueue_notification(outbound("ops-hook", "k"));

  ASSERT_TRUE(store->record_attempt(
      id, attempt(at(0s), AttemptOutcome::retryable, 503, "503 Service Unavailable"), at(30s)));
  EXPECT_TRUE(store->due_notifications(at(29s), 10).empty());
  ASSERT_EQ(store->due_notifications(at(30s), 10).size(), 1u);

  ASSERT_TRUE(store->record_attempt(
      id, attempt(at(30s), AttemptOutcome::retryable, std::nullopt, "connect refused"), at(90s)));
  ASSERT_TRUE(store->record_attempt(id, attempt(at(90s), AttemptOutcome::sent, 200), {}));
  EXPECT_TRUE(store->due_notifications(at(24h), 10).empty());

  const auto listed = store->notifications({});
  ASSERT_EQ(listed.size(), 1u);
  const Notification& n = listed[0];
  EXPECT_EQ(n.state, NotificationState::sent);
  EXPECT_EQ(n.attempt_count, 3);
  EXPECT_FALSE(n.next_attempt_at);
  EXPECT_EQ(n.sent_at, at(90s));
  EXPECT_EQ(n.last_error, "");
  ASSERT_EQ(n.attempts.size(), 3u);
  EXPECT_EQ(n.attempts[0].at, at(0s));
  EXPECT_EQ(n.attempts[0].outcome, AttemptOutcome::retryable);
  EXPECT_EQ(n.attempts[0].http_status, 503);
  EXPECT_EQ(n.attempts[0].error, "503 Service Unavailable");
  EXPECT_EQ(n.attempts[0].duration, 250ms);
  EXPECT_EQ(n.attempts[1].http_status, std::nullopt);
  EXPECT_EQ(n.attempts[1].error, "connect refused");
  EXPECT_EQ(n.attempts[2].outcome, AttemptOutcome::sent);
  EXPECT_EQ(n.attempts[2].http_status, 200);
}

TEST_F(OutboxTest, AFailureWithoutANextAttemptEndsItAsFailedWithTheLastError) {
  auto store = open();
  const std::int64_t permanent = store->enqueue_notification(outbound("ops-hook", "a"));
  const std::int64_t exhausted = store->enqueue_notification(outbound("ops-hook", "b"));
  ASSERT_TRUE(store->record_attempt(
      permanent, attempt(at(0s), AttemptOutcome::permanent, 401, "401 Unauthorized"), {}));
  // Out of retries: the alert module decides that, the store just ends it.
  ASSERT_TRUE(store->record_attempt(
      exhausted, attempt(at(0s), AttemptOutcome::retryable, 503, "503"), std::nullopt));

  EXPECT_TRUE(store->due_notifications(at(24h), 10).empty());
  for (const Notification& n : store->notifications({})) {
    EXPECT_EQ(n.state, NotificationState::failed) << n.id;
    EXPECT_FALSE(n.next_attempt_at);
    EXPECT_FALSE(n.sent_at);
  }
  EXPECT_EQ(store->notifications({})[1].last_error, "401 Unauthorized");
}

TEST_F(OutboxTest, AnAttemptOnAnUnknownNotificationIsRefusedAndNotRecorded) {
  auto store = open();
  EXPECT_FALSE(store->record_attempt(42, attempt(at(0s), AttemptOutcome::sent, 200), {}));
  sqlite::Database db(options().path, sqlite::Database::Access::read_only, 5s);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM notification_attempts"), 0);
}

TEST_F(OutboxTest, TheListIsNewestFirstFilteredAndPagedByBeforeId) {
  auto store = open();
  std::vector<std::int64_t> web_hook;
  for (int i = 0; i < 5; ++i)
    web_hook.push_back(
        store->enqueue_notification(outbound("ops-hook", "web-" + std::to_string(i))));
  const std::int64_t db_pager =
      store->enqueue_notification(outbound("pager", "db-0", 0s, "database"));
  ASSERT_TRUE(store->record_attempt(web_hook[1], attempt(at(1s), AttemptOutcome::sent, 200), {}));

  EXPECT_EQ(ids(store->notifications({.limit = 3})),
            (std::vector<std::int64_t>{db_pager, web_hook[4], web_hook[3]}));
  EXPECT_EQ(ids(store->notifications({.limit = 3, .before_id = web_hook[3]})),
            (std::vector<std::int64_t>{web_hook[2], web_hook[1], web_hook[0]}));
  EXPECT_TRUE(store->notifications({.before_id = web_hook[0]}).empty());

  EXPECT_EQ(ids(store->notifications({.check = "database"})),
            (std::vector<std::int64_t>{db_pager}));
  EXPECT_EQ(store->notifications({.channel = "ops-hook"}).size(), 5u);
  EXPECT_EQ(ids(store->notifications({.state = NotificationState::sent})),
            (std::vector<std::int64_t>{web_hook[1]}));
  EXPECT_EQ(ids(store->notifications({.check = "web", .channel = "pager"})),
            (std::vector<std::int64_t>{}));
  const auto sent = store->notifications({.state = NotificationState::sent});
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].attempts.size(), 1u);
}

TEST_F(OutboxTest, AnEnqueueBlockedByAnotherConnectionIsRetriedAndReturnsOnceCommitted) {
  SqliteOptions o = options();
  o.busy_timeout = 10ms;
  auto store = open(o);
  sqlite::Database other(o.path, sqlite::Database::Access::read_write_create, 5s);
  other.exec("BEGIN IMMEDIATE", "take the write lock");

  auto enqueued = std::async(
      std::launch::async, [&] { return store->enqueue_notification(outbound("ops-hook", "k")); });
  EXPECT_TRUE(eventually([&] { return store->stats().write_failures >= 2; }));
  EXPECT_EQ(enqueued.wait_for(0s), std::future_status::timeout);  // not durable: not returned

  other.exec("COMMIT", "release the write lock");
  const std::int64_t id = enqueued.get();
  EXPECT_EQ(ids(store->due_notifications(at(0s), 10)), (std::vector<std::int64_t>{id}));
}

// A figure more than a test: enqueueing while results stream in at full speed. The bounds are
// loose (shared CI cores); the printed numbers are the measurement.
TEST_F(OutboxTest, EnqueueingWhileResultsStreamInNeitherStallsTheResultsNorWaitsForThem) {
  SqliteOptions o = options();
  o.flush_interval = 100ms;
  auto store = open(o);
  constexpr int kResults = 150'000;
  constexpr int kNotifications = 200;

  double results_seconds = 0;  // appending and committing every result
  std::thread producer([&] {
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < kResults; ++i)
      store->append(result("check-" + std::to_string(i % 2000), std::chrono::milliseconds{i}, 5));
    store->flush();
    results_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  });
  std::vector<double> latencies_ms;
  for (int i = 0; i < kNotifications; ++i) {
    const auto before = std::chrono::steady_clock::now();
    store->enqueue_notification(outbound("ops-hook", "k" + std::to_string(i)));
    latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - before)
            .count());
    std::this_thread::sleep_for(5ms);  // a burst of alerts, not a benchmark of enqueue alone
  }
  producer.join();

  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double p50 = latencies_ms[latencies_ms.size() / 2];
  const double p99 = latencies_ms[latencies_ms.size() * 99 / 100];
  const double max = latencies_ms.back();
  std::cout << "outbox: " << kNotifications << " enqueues during " << kResults
            << " results: enqueue p50 " << p50 << " ms, p99 " << p99 << " ms, max " << max
            << " ms; results " << kResults / results_seconds << "/s; slowest transaction "
            << store->stats().max_batch_ms << " ms\n";
  EXPECT_EQ(store->stats().results_written, static_cast<std::uint64_t>(kResults));
  EXPECT_EQ(store->notifications({.limit = 1000}).size(), static_cast<std::size_t>(kNotifications));
  EXPECT_LT(max, 2000.0);
}

}  // namespace
}  // namespace lk::store::test
