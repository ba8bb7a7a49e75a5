#include "state/heartbeat/monitor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace std::chrono;
using namespace std::chrono_literals;
using namespace lk;
using namespace lk::state::heartbeat;

namespace {

const TimePoint kT0 = *parse_time("2026-05-10T12:00:00Z");

Expectation every(Duration period, Duration grace, std::string check = "backup") {
  return {std::move(check), period, nullptr, grace};
}

Expectation scheduled(std::string_view cron, std::string_view zone, Duration grace) {
  auto parsed = schedule::CronSchedule::parse(cron, zone);
  return {"nightly",
          {},
          std::make_shared<const schedule::CronSchedule>(std::get<schedule::CronSchedule>(parsed)),
          grace};
}

/// A monitor of `e` that first saw it at `first_seen` and has no stored results.
Monitor monitor_of(Expectation e, TimePoint first_seen = kT0) {
  Monitor m("local");
  m.configure({std::move(e)}, [&](const Expectation&) { return Memory{{}, first_seen}; });
  return m;
}

std::vector<std::string> messages(const std::vector<Result>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) out.push_back(std::string(to_string(r.status)) + " " + r.message);
  return out;
}

TEST(HeartbeatMonitor, PingsWithinThePeriodKeepItQuiet) {
  auto m = monitor_of(every(2s, 1s));
  EXPECT_TRUE(m.tick(kT0 + 2900ms).empty());
  auto r = m.ping("backup", PingKind::success, "", kT0 + 2500ms);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, Status::ok);
  EXPECT_EQ(r->message, "ping");
  EXPECT_EQ(r->location, "local");
  EXPECT_EQ(r->started_at, kT0 + 2500ms);
  EXPECT_EQ(m.next_deadline(), kT0 + 5500ms);
  EXPECT_TRUE(m.tick(kT0 + 5499ms).empty());
}

TEST(HeartbeatMonitor, NoPingByPeriodPlusGraceIsLateAndEachFurtherMissIsAnotherFailure) {
  auto m = monitor_of(every(2s, 1s));
  m.ping("backup", PingKind::success, "", kT0 + 500ms);
  EXPECT_EQ(messages(m.tick(kT0 + 3500ms)),
            (std::vector<std::string>{"fail no ping since 2026-05-10T12:00:00.500Z (expected by "
                                      "2026-05-10T12:00:03.500Z)"}));
  EXPECT_TRUE(m.tick(kT0 + 5499ms).empty());
  auto second = m.tick(kT0 + 5500ms);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].started_at, kT0 + 5500ms);
  EXPECT_EQ(second[0].metrics.at(0).name, kLateMetric);
  // A late ping recovers it and starts the clock again.
  auto back = m.ping("backup", PingKind::success, "", kT0 + 6s);
  EXPECT_EQ(back->status, Status::ok);
  EXPECT_EQ(m.next_deadline(), kT0 + 9s);
}

TEST(HeartbeatMonitor, ANeverPingedHeartbeatIsLateAPeriodAfterItWasFirstSeen) {
  auto m = monitor_of(every(24h, 1h));
  EXPECT_TRUE(m.tick(kT0 + 25h - 1ms).empty());
  EXPECT_EQ(messages(m.tick(kT0 + 25h)),
            (std::vector<std::string>{"fail no ping yet (expected by 2026-05-11T13:00:00.000Z)"}));
}

TEST(HeartbeatMonitor, StartThenSuccessRecordsTheRunTime) {
  auto m = monitor_of(every(24h, 1h));
  EXPECT_FALSE(m.ping("backup", PingKind::start, "", kT0 + 1h));
  auto r = m.ping("backup", PingKind::success, "42 files\n", kT0 + 1h + 3250ms);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message, "run took 3.25s: 42 files");
  EXPECT_EQ(r->duration, 3250ms);
  ASSERT_EQ(r->metrics.size(), 1u);
  EXPECT_EQ(r->metrics[0].name, "run_time");
  EXPECT_DOUBLE_EQ(r->metrics[0].value, 3.25);
  // The next success without a start has no run time.
  EXPECT_EQ(m.ping("backup", PingKind::success, "", kT0 + 2h)->message, "ping");
}

TEST(HeartbeatMonitor, AStartedRunThatDoesNotFinishWithinGraceIsLate) {
  auto m = monitor_of(every(24h, 1h));
  m.ping("backup", PingKind::success, "", kT0);
  m.ping("backup", PingKind::start, "", kT0 + 20h);
  EXPECT_EQ(m.next_deadline(), kT0 + 21h);
  EXPECT_EQ(messages(m.tick(kT0 + 21h)),
            (std::vector<std::string>{"fail run started at 2026-05-11T08:00:00.000Z has not "
                                      "finished (expected by 2026-05-11T09:00:00.000Z)"}));
  // The started run counts as a sign of life: the next run is due a period after it.
  EXPECT_EQ(m.next_deadline(), kT0 + 45h);
}

TEST(HeartbeatMonitor, AFailurePingFailsWithItsBody) {
  auto m = monitor_of(every(24h, 1h));
  m.ping("backup", PingKind::start, "", kT0);
  auto r = m.ping("backup", PingKind::fail, "rsync: disk full\n", kT0 + 90s);
  EXPECT_EQ(r->status, Status::fail);
  EXPECT_EQ(r->message, "job reported failure after 1m30s: rsync: disk full");
  EXPECT_TRUE(r->metrics.empty() || r->metrics[0].name != kLateMetric);
  EXPECT_EQ(m.next_deadline(), kT0 + 90s + 25h);
}

TEST(HeartbeatMonitor, AScheduledJobIsLateGraceAfterItsFireTimeInItsTimeZone) {
  // 03:00 in London in May is 02:00Z; with 1h grace the job is late at 03:00Z.
  auto m = monitor_of(scheduled("0 3 * * *", "Europe/London", 1h));
  EXPECT_EQ(m.next_deadline(), *parse_time("2026-05-11T03:00:00Z"));
  EXPECT_TRUE(m.tick(*parse_time("2026-05-11T02:59:59Z")).empty());
  EXPECT_EQ(messages(m.tick(*parse_time("2026-05-11T03:00:00Z"))),
            (std::vector<std::string>{"fail no ping yet (expected by 2026-05-11T03:00:00.000Z)"}));
  // The late run pings at last: the next expectation is the following night.
  m.ping("nightly", PingKind::success, "", *parse_time("2026-05-11T03:30:00Z"));
  EXPECT_EQ(m.next_deadline(), *parse_time("2026-05-12T03:00:00Z"));
}

TEST(HeartbeatMonitor, APingWithinGraceOfTheFireTimeCountsForThatRun) {
  auto m = monitor_of(scheduled("0 3 * * *", "UTC", 1h));
  m.ping("nightly", PingKind::success, "", *parse_time("2026-05-11T03:40:00Z"));
  EXPECT_TRUE(m.tick(*parse_time("2026-05-12T03:59:59Z")).empty());
  EXPECT_EQ(m.tick(*parse_time("2026-05-12T04:00:00Z")).size(), 1u);
}

TEST(HeartbeatMonitor, ALongOutageReportsAtMostTenMissedDeadlines) {
  auto m = monitor_of(every(1min, 10s));
  auto late = m.tick(kT0 + 24h);
  EXPECT_EQ(late.size(), 10u);
  EXPECT_TRUE(std::is_sorted(late.begin(), late.end(), [](const Result& a, const Result& b) {
    return a.started_at < b.started_at;
  }));
  EXPECT_GT(*m.next_deadline(), kT0 + 24h);
}

TEST(HeartbeatMonitor, UnknownChecksAreIgnored) {
  auto m = monitor_of(every(1min, 10s));
  EXPECT_FALSE(m.ping("nope", PingKind::success, "", kT0));
  EXPECT_FALSE(m.tracks("nope"));
  EXPECT_TRUE(m.tracks("backup"));
}

TEST(HeartbeatMonitor, AReloadKeepsWhatIsKnownAndAppliesTheNewPeriod) {
  auto m = monitor_of(every(1h, 1min));
  m.ping("backup", PingKind::success, "", kT0);
  m.configure({every(2h, 1min), every(1h, 1min, "other")}, [](const Expectation&) {
    return Memory{{}, kT0 + 10min};
  });
  EXPECT_EQ(m.next_deadline(), kT0 + 1h + 11min);  // "other", first seen at the reload
  auto at_two_hours = m.tick(kT0 + 2h);
  ASSERT_EQ(at_two_hours.size(), 1u);
  EXPECT_EQ(at_two_hours[0].check, "other");
  auto later = m.tick(kT0 + 2h + 1min);  // backup: 2h + 1min after its last ping
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].check, "backup");
}

TEST(HeartbeatMonitor, RestartingFromStoredResultsKeepsTheSameDeadlines) {
  // Run one monitor, keep its results as the store would, then start another from them.
  auto first = monitor_of(every(2s, 1s));
  std::vector<Result> stored;
  stored.push_back(*first.ping("backup", PingKind::success, "", kT0 + 1s));
  for (auto& r : first.tick(kT0 + 4s)) stored.push_back(r);  // late at kT0 + 4s
  ASSERT_EQ(stored.size(), 2u);

  Monitor second("local");
  second.configure({every(2s, 1s)},
                   [&](const Expectation& e) { return recall(stored, e.grace, kT0 + 10s); });
  EXPECT_EQ(second.next_deadline(), first.next_deadline());
  auto again = second.tick(kT0 + 6s);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].message,
            "no ping since 2026-05-10T12:00:01.000Z (expected by 2026-05-10T12:00:06.000Z)");

  // A restart after a recent ping raises nothing early.
  Monitor third("local");
  std::vector<Result> pinged{*first.ping("backup", PingKind::success, "", kT0 + 7s)};
  third.configure({every(2s, 1s)},
                  [&](const Expectation& e) { return recall(pinged, e.grace, kT0 + 8s); });
  EXPECT_TRUE(third.tick(kT0 + 9900ms).empty());
  EXPECT_EQ(third.next_deadline(), kT0 + 10s);
}

TEST(HeartbeatExcerpt, IsOneBoundedLineCutOnACharacterBoundary) {
  EXPECT_EQ(excerpt("  done\r\n\tin 3 steps\n"), "done in 3 steps");
  EXPECT_EQ(excerpt(""), "");
  std::string long_body(kBodyExcerptBytes - 1, 'a');
  long_body += "\xc3\xa9tail";  // an 'é' straddling the limit
  auto text = excerpt(long_body);
  EXPECT_EQ(text, std::string(kBodyExcerptBytes - 1, 'a') + "...");
}

}  // namespace
