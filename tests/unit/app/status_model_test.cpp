#include "app/status_model.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace std::chrono;
using namespace lk;
using namespace lk::app;

namespace {

std::shared_ptr<const config::Config> two_checks() {
  auto c = std::make_shared<config::Config>();
  for (const char* name : {"web", "db"}) {
    config::Check check;
    check.spec.name = name;
    check.spec.type = "http";
    check.spec.target = std::string("http://") + name + "/";
    c->checks.push_back(check);
  }
  return c;
}

Result result(const char* check, TimePoint at, Status status, Duration latency = milliseconds{12}) {
  Result r;
  r.check = check;
  r.location = "local";
  r.started_at = at;
  r.duration = latency;
  r.status = status;
  r.message = status == Status::ok ? "HTTP 200 in 12ms" : "connect to 10.0.0.5:443 refused";
  return r;
}

class StatusModelTest : public ::testing::Test {
 protected:
  ManualClock clock{TimePoint{hours{24 * 20000}}};  // midnight UTC
  StatusModel model{"test", clock};

  void loaded() {
    model.set_config(two_checks());
    model.apply_history({CheckHistory{"web"}, CheckHistory{"db"}});
  }
};

}  // namespace

TEST_F(StatusModelTest, PublishedSnapshotIsNotChangedByLaterResults) {
  loaded();
  model.on_result(result("web", clock.now(), Status::ok));
  model.publish(/*force=*/true);
  auto before = model.snapshot();
  ASSERT_EQ(before->checks.size(), 2u);
  EXPECT_EQ(before->checks[0].view->last_status, Status::ok);

  model.on_result(result("web", clock.now(), Status::fail));
  model.publish(/*force=*/true);
  EXPECT_EQ(before->checks[0].view->last_status, Status::ok)
      << "an older snapshot must stay as it was";
  EXPECT_EQ(model.snapshot()->checks[0].view->last_status, Status::fail);
}

TEST_F(StatusModelTest, UnchangedChecksAreSharedBetweenSnapshots) {
  loaded();
  model.publish(true);
  auto first = model.snapshot();
  model.on_result(result("web", clock.now(), Status::ok));
  model.publish(true);
  auto second = model.snapshot();
  EXPECT_NE(first->checks[0].view.get(), second->checks[0].view.get())
      << "the changed check is a new copy";
  EXPECT_EQ(first->checks[1].view.get(), second->checks[1].view.get())
      << "the unchanged check is shared";
}

TEST_F(StatusModelTest, NothingIsPublishedWhileNobodyReads) {
  loaded();
  model.publish(true);
  model.snapshot();  // a read: the next publish() goes ahead
  model.on_result(result("web", clock.now(), Status::ok));
  model.publish();
  model.on_result(result("web", clock.now(), Status::fail));
  model.publish();  // nobody has read since the last publication: skipped
  EXPECT_EQ(model.snapshot()->checks[0].view->last_status, Status::ok);
  model.publish();  // that read asked for the next one
  EXPECT_EQ(model.snapshot()->checks[0].view->last_status, Status::fail);
}

TEST_F(StatusModelTest, UptimeOver24HoursCountsOnlyTheLast24Hours) {
  loaded();
  // Two failures 30 hours ago, then 3 ok and 1 failure within the last day.
  clock.advance(hours{1});
  model.on_result(result("db", clock.now(), Status::fail));
  model.on_result(result("db", clock.now(), Status::fail));
  clock.advance(hours{30});
  for (int i = 0; i < 3; ++i) model.on_result(result("db", clock.now(), Status::ok));
  model.on_result(result("db", clock.now(), Status::fail));
  model.publish(true);
  const auto& db = *model.snapshot()->checks[1].view;
  ASSERT_TRUE(db.uptime_24h);
  EXPECT_DOUBLE_EQ(*db.uptime_24h, 0.75);
  ASSERT_TRUE(db.uptime_7d);
  EXPECT_DOUBLE_EQ(*db.uptime_7d, 3.0 / 6.0);
}

TEST_F(StatusModelTest, LiveResultsWaitForTheStoredHistoryBeforeCountingInBars) {
  model.set_config(two_checks());
  model.on_result(result("web", clock.now(), Status::fail));  // before the history arrived
  CheckHistory web{"web"};
  web.days.push_back({std::chrono::floor<days>(clock.now()), 10, 1, 0});
  model.apply_history({web});
  model.on_result(result("web", clock.now(), Status::ok));
  model.publish(true);
  const auto& v = *model.snapshot()->checks[0].view;
  ASSERT_EQ(v.days.size(), 1u);
  EXPECT_EQ(v.days[0].count, 11) << "the stored rollups already include the earlier result";
  EXPECT_EQ(v.days[0].failures, 1);
}

TEST_F(StatusModelTest, SparklineKeepsTheLatestSixtyRunsAndMarksFailures) {
  loaded();
  for (int i = 0; i < 70; ++i)
    model.on_result(
        result("web", clock.now(), i == 69 ? Status::fail : Status::ok, milliseconds{i}));
  model.publish(true);
  const auto& v = *model.snapshot()->checks[0].view;
  ASSERT_EQ(v.sparkline_ms.size(), 60u);
  EXPECT_FLOAT_EQ(v.sparkline_ms.front(), 10.0f);
  EXPECT_TRUE(std::isnan(v.sparkline_ms.back()));
}

TEST_F(StatusModelTest, AReloadKeepsEachCheckItsViewInAnyOrderAndFreesTheOldConfig) {
  loaded();
  model.on_result(result("web", clock.now(), Status::fail));
  model.on_result(result("db", clock.now(), Status::ok));

  // Same checks, same order, new config objects: the old config is let go.
  std::weak_ptr<const config::Config> first;
  {
    auto again = two_checks();
    model.set_config(again);
  }
  model.publish(true);
  auto snap = model.snapshot();
  ASSERT_EQ(snap->checks.size(), 2u);
  EXPECT_EQ(snap->checks[0].spec->name, "web");
  EXPECT_EQ(snap->checks[0].view->last_status, Status::fail);
  EXPECT_EQ(snap->checks[1].view->last_status, Status::ok);

  // Reversed, plus a new check: views follow their names, the new one waits for history.
  auto reordered = std::make_shared<config::Config>();
  for (const char* name : {"db", "new", "web"}) {
    config::Check check;
    check.spec.name = name;
    check.spec.type = "http";
    reordered->checks.push_back(check);
  }
  first = reordered;
  auto need = model.set_config(reordered);
  reordered.reset();
  EXPECT_EQ(need, std::vector<std::string>{"new"});
  model.on_result(result("web", clock.now(), Status::ok));
  model.publish(true);
  snap = model.snapshot();
  ASSERT_EQ(snap->checks.size(), 3u);
  EXPECT_EQ(snap->checks[0].spec->name, "db");
  EXPECT_EQ(snap->checks[0].view->last_status, Status::ok);
  EXPECT_FALSE(snap->checks[1].view->last_status);
  EXPECT_EQ(snap->checks[2].view->last_status, Status::ok);
  EXPECT_EQ(snap->checks[2].view->results_fail, 1u) << "web kept its history through both reloads";

  // The snapshot keeps its config alive; the next config and snapshot let it go.
  model.set_config(two_checks());
  model.publish(true);
  EXPECT_FALSE(first.expired()) << "an older snapshot still points into it";
  snap.reset();
  model.snapshot();
  EXPECT_TRUE(first.expired());
}

TEST_F(StatusModelTest, PagesAreRefreshedOnTransitionsNotOnEveryResult) {
  loaded();
  model.publish(/*force=*/true);
  const auto first = model.snapshot()->page_generation;
  EXPECT_GT(first, 0u);

  // Results change latencies and counts: a new snapshot, but the same page generation.
  model.on_result(result("web", clock.now(), Status::ok));
  clock.advance(seconds{5});
  model.publish(/*force=*/true);
  EXPECT_EQ(model.snapshot()->page_generation, first);

  // A state change is news for the pages.
  state::CheckState s;
  s.check = "web";
  s.state = State::fail;
  model.on_state(s);
  model.publish(/*force=*/true);
  const auto after_transition = model.snapshot()->page_generation;
  EXPECT_GT(after_transition, first);

  // Reports too; and without any news, once a minute (uptime figures move slowly).
  model.set_reports({});
  model.publish(/*force=*/true);
  const auto after_reports = model.snapshot()->page_generation;
  EXPECT_GT(after_reports, after_transition);
  model.on_result(result("db", clock.now(), Status::ok));
  clock.advance(seconds{61});
  model.publish(/*force=*/true);
  EXPECT_GT(model.snapshot()->page_generation, after_reports);
}
