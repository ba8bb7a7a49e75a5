// The alert router on simulated time: routing, grouping, escalation, reminders, ack,
// maintenance, silences, dependencies, restart.

#include "alert/policy/router.hpp"

#include <gtest/gtest.h>

#include <map>

#include "alert/notify/webhook/webhook.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::alert;

namespace {

TimePoint t0() {
  return *parse_time("2026-11-23T10:00:00Z");  // a Monday
}

class Directory final : public CheckDirectory {
 public:
  std::map<std::string, std::vector<std::string>, std::less<>> tags;
  std::map<std::string, std::vector<std::string>, std::less<>> deps;
  std::optional<CheckFacts> facts(std::string_view check) const override {
    auto it = tags.find(check);
    static const std::vector<std::string> none;
    CheckFacts f;
    f.name = check;
    f.tags = it == tags.end() ? &none : &it->second;
    return f;
  }
  std::vector<std::string> parents(std::string_view check) const override {
    auto it = deps.find(check);
    return it == deps.end() ? std::vector<std::string>{} : it->second;
  }
  std::string where(std::string_view) const override { return "local"; }
};

Notifier notifier(std::string name) {
  Notifier n;
  n.name = std::move(name);
  n.type = "webhook";
  return n;
}

std::vector<Target> targets(std::initializer_list<std::string_view> texts) {
  std::vector<Target> out;
  for (auto t : texts) out.push_back(*parse_target(t));
  return out;
}

Incident incident(std::int64_t id, std::string check, TimePoint at) {
  Incident i;
  i.id = id;
  i.check = std::move(check);
  i.opened_at = at;
  i.cause = "HTTP 503";
  i.last_message = "HTTP 503";
  return i;
}

Incident closed(Incident i, TimePoint at) {
  i.closed_at = at;
  return i;
}

// "channel kind key" per dispatch, for compact assertions.
std::vector<std::string> summary(const std::vector<Dispatch>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(d.channel + " " + d.kind + " " + d.key);
  return out;
}

struct RouterTest : ::testing::Test {
  Directory dir;
  Router router{dir, [](std::int64_t page, TimePoint) {
                  return "https://status.example/ack/" + std::to_string(page);
                }};
  AlertConfig config;

  void SetUp() override {
    config.notifiers = {notifier("hook"), notifier("ana-sms"), notifier("ben-sms"),
                        notifier("cleo-sms"), notifier("mail")};
    config.people = {{"ana", {"ana-sms"}}, {"ben", {"ben-sms"}}, {"cleo", {"cleo-sms"}}};
    oncall::Schedule s;
    s.name = "ops";
    s.people = config.people;
    oncall::Layer layer;
    layer.name = "main";
    layer.rotation.members = {"ana", "ben", "cleo"};
    layer.rotation.length = oncall::weekly;
    layer.rotation.start_date = 2026y / 11 / 23;
    layer.paired = true;
    s.layers = {layer};
    config.schedules = {s};
    EscalationPolicy p;
    p.name = "standard";
    p.tiers = {{0s, targets({"oncall:ops"})},
               {10min, targets({"oncall:ops/secondary"})},
               {30min, targets({"team:ops"})}};
    config.escalations = {p};
    config.public_url = "https://status.example";
  }

  void route(Route r) {
    if (r.name.empty()) r.name = "routes[" + std::to_string(config.routes.size()) + "]";
    config.routes.push_back(std::move(r));
    router.configure(config);
  }
  Route simple(std::vector<Target> to, Duration wait = 30s) {
    Route r;
    r.notify = std::move(to);
    r.group_wait = wait;
    return r;
  }
  std::vector<Dispatch> open(std::vector<Incident> list, TimePoint now) {
    return router.on_incidents(list, {}, {}, now);
  }
  std::vector<Dispatch> close(std::vector<Incident> list, TimePoint now) {
    return router.on_incidents({}, {}, list, now);
  }
};

TEST_F(RouterTest, MinimalRouteNotifiesEveryCheckAfterTheGroupWaitAndSendsRecovery) {
  route(simple(targets({"hook"})));
  auto inc = incident(7, "web", t0());
  EXPECT_TRUE(open({inc}, t0()).empty());
  EXPECT_TRUE(router.tick(t0() + 29s).empty());
  auto sent = router.tick(t0() + 30s);
  ASSERT_EQ(summary(sent), std::vector<std::string>{"hook problem p7:t0:c0"});
  const Message& m = sent[0].message;
  EXPECT_EQ(m.check, "web");
  EXPECT_EQ(m.event, Event::problem);
  EXPECT_EQ(m.last_error, "HTTP 503");
  EXPECT_EQ(m.location, "local");
  EXPECT_EQ(m.since, t0());
  EXPECT_EQ(m.status_page_url, "https://status.example/checks/web");
  EXPECT_EQ(m.ack_url, "https://status.example/ack/7");
  EXPECT_EQ(m.id, "lightkeeper-p7:t0:c0:hook");
  EXPECT_TRUE(router.tick(t0() + 1h).empty());  // no escalation, no reminder configured

  auto rec = close({closed(inc, t0() + 2h)}, t0() + 2h);
  ASSERT_EQ(summary(rec), std::vector<std::string>{"hook recovery p7:ok"});
  EXPECT_EQ(rec[0].message.event, Event::recovery);
  EXPECT_EQ(rec[0].message.ack_url, "");
  EXPECT_TRUE(router.pages().empty());
}

TEST_F(RouterTest, AnOutageShorterThanTheGroupWaitWakesNobody) {
  route(simple(targets({"hook"})));
  auto inc = incident(1, "web", t0());
  open({inc}, t0());
  EXPECT_TRUE(close({closed(inc, t0() + 20s)}, t0() + 20s).empty());
  EXPECT_TRUE(router.tick(t0() + 1min).empty());
}

TEST_F(RouterTest, ChecksFailingTogetherGoOutAsOneMessage) {
  route(simple(targets({"hook"})));
  std::vector<Incident> many;
  for (int i = 0; i < 50; ++i)
    many.push_back(incident(100 + i, "web-" + std::to_string(i), t0() + seconds(i / 5)));
  for (auto& i : many) open({i}, i.opened_at);
  auto sent = router.tick(t0() + 30s);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].key, "p100:t0:c0");
  EXPECT_EQ(sent[0].message.members.size(), 50u);
  EXPECT_EQ(default_title(sent[0].message), "DOWN: 50 checks (web-0, web-1, web-2, web-3, …)");
  // Recovery once all are back, listing each.
  std::vector<Incident> done;
  for (auto& i : many) done.push_back(closed(i, t0() + 10min));
  auto rec = close(done, t0() + 10min);
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_EQ(rec[0].message.event, Event::recovery);
  EXPECT_EQ(rec[0].message.members.size(), 50u);
}

TEST_F(RouterTest, GroupFalseSendsOneMessagePerCheck) {
  Route r = simple(targets({"hook"}));
  r.group = false;
  route(r);
  open({incident(1, "a", t0()), incident(2, "b", t0())}, t0());
  EXPECT_EQ(summary(router.tick(t0() + 30s)),
            (std::vector<std::string>{"hook problem p1:t0:c0", "hook problem p2:t0:c0"}));
}

TEST_F(RouterTest, RoutesMatchOnNameTagsAndSeverityFirstMatchWinsUnlessContinue) {
  dir.tags["shop-web"] = {"prod", "shop"};
  dir.tags["blog"] = {"prod"};
  Route shop = simple(targets({"mail"}), 0s);
  shop.match.checks = {"shop-*"};
  shop.match.tags = {"prod"};
  shop.continue_ = true;
  route(shop);
  Route warn_only = simple(targets({"ben"}), 0s);
  warn_only.match.severities = {State::warn};
  route(warn_only);
  route(simple(targets({"hook"}), 0s));
  auto a = open({incident(1, "shop-web", t0())}, t0());
  EXPECT_EQ(summary(a),
            (std::vector<std::string>{"mail problem p1:t0:c0", "hook problem p1:t0:c0"}));
  auto warned = incident(2, "blog", t0());
  warned.severity = State::warn;
  EXPECT_EQ(summary(open({warned}, t0())), std::vector<std::string>{"ben-sms problem p2:t0:c0"});
  EXPECT_TRUE(name_matches("~db-[0-9]+", "db-12"));
  EXPECT_FALSE(name_matches("~db-[0-9]+", "db-x"));
  EXPECT_TRUE(name_matches("*-web", "shop-web"));
  EXPECT_FALSE(name_matches("web?", "web"));
}

TEST_F(RouterTest, EscalatesThroughTiersUntilAcknowledgedThenStops) {
  Route r;
  r.escalation = "standard";
  r.group_wait = 0s;
  route(r);
  // Week of 2026-11-23: ana primary, ben secondary (paired).
  auto first = open({incident(5, "db", t0())}, t0());
  EXPECT_EQ(summary(first), std::vector<std::string>{"ana-sms problem p5:t0:c0"});
  EXPECT_TRUE(router.tick(t0() + 9min + 59s).empty());
  auto second = router.tick(t0() + 10min);
  ASSERT_EQ(summary(second), std::vector<std::string>{"ben-sms escalation p5:t1:c0"});
  EXPECT_NE(second[0].message.note.find("escalated to oncall:ops/secondary"), std::string::npos);
  std::vector<Dispatch> acks;
  auto result = router.acknowledge(0, "db", "ben", "looking", t0() + 12min, acks);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.page_id, 5);
  EXPECT_EQ(summary(acks), (std::vector<std::string>{"ana-sms acknowledged p5:ack",
                                                     "ben-sms acknowledged p5:ack"}));
  EXPECT_EQ(acks[0].message.acknowledged_by, "ben");
  EXPECT_EQ(acks[0].message.note, "looking");
  EXPECT_TRUE(router.tick(t0() + 30min).empty());  // tier 3 never fires
  EXPECT_TRUE(router.tick(t0() + 5h).empty());
  std::vector<Dispatch> again;
  EXPECT_TRUE(router.acknowledge(5, "", "ana", "", t0() + 13min, again).already);
  EXPECT_TRUE(again.empty());
  // Recovery still goes to everyone told.
  auto rec = close({closed(incident(5, "db", t0()), t0() + 1h)}, t0() + 1h);
  EXPECT_EQ(summary(rec),
            (std::vector<std::string>{"ana-sms recovery p5:ok", "ben-sms recovery p5:ok"}));
}

TEST_F(RouterTest, UnacknowledgedEscalationReachesTheWholeTeamAndRepeats) {
  config.escalations[0].repeat = 1;
  config.escalations[0].repeat_after = 30min;
  Route r;
  r.escalation = "standard";
  r.group_wait = 0s;
  route(r);
  open({incident(5, "db", t0())}, t0());
  router.tick(t0() + 10min);
  auto team = router.tick(t0() + 30min);
  EXPECT_EQ(summary(team),
            (std::vector<std::string>{"ana-sms escalation p5:t2:c0", "ben-sms escalation p5:t2:c0",
                                      "cleo-sms escalation p5:t2:c0"}));
  EXPECT_TRUE(router.tick(t0() + 59min).empty());
  EXPECT_EQ(summary(router.tick(t0() + 60min)),
            std::vector<std::string>{"ana-sms escalation p5:t0:c1"});
  EXPECT_EQ(summary(router.tick(t0() + 70min)),
            std::vector<std::string>{"ben-sms escalation p5:t1:c1"});
  router.tick(t0() + 90min);
  EXPECT_TRUE(router.tick(t0() + 10h).empty());  // repeat: 1 means one more round only
}

TEST_F(RouterTest, RemindersRepeatToEveryoneToldUntilAcknowledged) {
  Route r = simple(targets({"hook", "mail"}), 0s);
  r.reminder = 1h;
  route(r);
  open({incident(3, "web", t0())}, t0());
  EXPECT_TRUE(router.tick(t0() + 59min).empty());
  auto rem = router.tick(t0() + 60min);
  EXPECT_EQ(summary(rem), (std::vector<std::string>{"hook reminder p3:r1", "mail reminder p3:r1"}));
  EXPECT_NE(rem[0].message.note.find("Still failing after 1h"), std::string::npos);
  // A long sleep (a restart) sends the latest reminder once, not a burst.
  EXPECT_EQ(summary(router.tick(t0() + 5h + 1min)),
            (std::vector<std::string>{"hook reminder p3:r5", "mail reminder p3:r5"}));
  std::vector<Dispatch> acks;
  router.acknowledge(3, "", "ana", "", t0() + 5h + 2min, acks);
  EXPECT_TRUE(router.tick(t0() + 9h).empty());
}

TEST_F(RouterTest, FollowsTheRotationToWhoeverIsOnAtTheTime) {
  Route r;
  r.notify = targets({"oncall:ops/both"});
  r.group_wait = 0s;
  route(r);
  EXPECT_EQ(summary(open({incident(1, "a", t0())}, t0())),
            (std::vector<std::string>{"ana-sms problem p1:t0:c0", "ben-sms problem p1:t0:c0"}));
  const auto next_week = t0() + days(7);
  EXPECT_EQ(summary(open({incident(2, "b", next_week)}, next_week)),
            (std::vector<std::string>{"ben-sms problem p2:t0:c0", "cleo-sms problem p2:t0:c0"}));
}

TEST_F(RouterTest, MaintenanceSuppressesUntilItEndsAndThenNotifiesIfStillFailing) {
  Maintenance m;
  m.window.name = "patch";
  m.window.from = t0() - 1h;
  m.window.to = t0() + 1h;
  m.match.checks = {"web"};
  config.maintenance = {m};
  route(simple(targets({"hook"}), 0s));
  EXPECT_TRUE(open({incident(1, "web", t0())}, t0()).empty());
  EXPECT_EQ(router.suppression("web", State::fail, t0()), "maintenance patch");
  EXPECT_EQ(router.pages().at(0).suppressed, "maintenance patch");
  EXPECT_TRUE(router.tick(t0() + 59min).empty());
  EXPECT_EQ(summary(router.tick(t0() + 1h)), std::vector<std::string>{"hook problem p1:t0:c0"});
  // Other checks are not covered.
  EXPECT_EQ(summary(open({incident(2, "api", t0() + 2h)}, t0() + 2h)),
            std::vector<std::string>{"hook problem p2:t0:c0"});
}

TEST_F(RouterTest, AnOutageThatEndsInsideMaintenanceIsNeverSent) {
  Maintenance m;
  m.window.name = "patch";
  m.window.from = t0();
  m.window.to = t0() + 1h;
  config.maintenance = {m};
  route(simple(targets({"hook"}), 0s));
  auto inc = incident(1, "web", t0() + 5min);
  EXPECT_TRUE(open({inc}, t0() + 5min).empty());
  EXPECT_TRUE(close({closed(inc, t0() + 20min)}, t0() + 20min).empty());
  EXPECT_TRUE(router.tick(t0() + 2h).empty());
}

TEST_F(RouterTest, SilencesMuteByMatcherUntilTheyExpireAndCanBeRemoved) {
  route(simple(targets({"hook"}), 0s));
  Silence s;
  s.match.checks = {"legacy-*"};
  s.starts_at = t0();
  s.ends_at = t0() + 2h;
  auto id = router.add_silence(s);
  EXPECT_EQ(id, 1);
  EXPECT_TRUE(open({incident(1, "legacy-a", t0())}, t0()).empty());
  EXPECT_EQ(router.suppression("legacy-a", State::fail, t0()), "silence #1");
  EXPECT_EQ(router.silences(t0()).size(), 1u);
  EXPECT_TRUE(router.remove_silence(id));
  EXPECT_FALSE(router.remove_silence(id));
  EXPECT_EQ(summary(router.tick(t0() + 1s)), std::vector<std::string>{"hook problem p1:t0:c0"});
}

TEST_F(RouterTest, AParentOutageSuppressesItsChildrenAndListsThem) {
  dir.deps["app-1"] = {"db"};
  dir.deps["app-2"] = {"db"};
  dir.deps["db"] = {"router"};
  route(simple(targets({"hook"}), 30s));
  // Children notice first (shorter intervals), the parent a little later.
  open({incident(1, "app-1", t0()), incident(2, "app-2", t0())}, t0());
  open({incident(3, "router", t0() + 10s)}, t0() + 10s);
  auto sent = router.tick(t0() + 30s);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message.check, "router");
  EXPECT_EQ(sent[0].message.also_affected, (std::vector<std::string>{"app-1", "app-2"}));
  EXPECT_EQ(router.suppression("app-1", State::fail, t0() + 30s), "caused by router");
  // The router comes back but app-2 is still failing: it is now news on its own.
  auto after = close({closed(incident(3, "router", t0() + 10s), t0() + 5min)}, t0() + 5min);
  EXPECT_EQ(summary(after),
            (std::vector<std::string>{"hook recovery p3:ok", "hook problem p1:t0:c0",
                                      "hook problem p2:t0:c0"}));
}

TEST_F(RouterTest, AckBeforeTheGroupWaitEndsMeansNobodyIsPaged) {
  route(simple(targets({"hook"})));
  open({incident(1, "web", t0())}, t0());
  std::vector<Dispatch> out;
  EXPECT_TRUE(router.acknowledge(1, "", "ana", "on it", t0() + 5s, out).ok);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(router.tick(t0() + 1min).empty());
}

TEST_F(RouterTest, AckErrorsSayWhy) {
  route(simple(targets({"hook"})));
  std::vector<Dispatch> out;
  auto r = router.acknowledge(0, "nope", "ana", "", t0(), out);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "check nope has no open incident");
  EXPECT_EQ(router.acknowledge(99, "", "ana", "", t0(), out).error, "incident #99 is not open");
}

TEST_F(RouterTest, AFailingNotifierAlertsTheFallbackAtMostHourly) {
  config.fallback = {"mail", "hook"};
  router.configure(config);
  auto a = router.notifier_failed("hook", "HTTP 401", t0());
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].channel, "mail");
  EXPECT_EQ(a[0].kind, "notifier-failing");
  EXPECT_EQ(a[0].message.check, "notifier hook");
  EXPECT_EQ(a[0].message.last_error, "HTTP 401");
  EXPECT_TRUE(router.notifier_failed("hook", "HTTP 401", t0() + 30min).empty());
  EXPECT_EQ(router.notifier_failed("hook", "HTTP 401", t0() + 61min).size(), 1u);
}

TEST_F(RouterTest, SurvivesARestartWithoutRepeatingOrLosingAnything) {
  Route r;
  r.escalation = "standard";
  r.group_wait = 0s;
  r.reminder = 1h;
  route(r);
  open({incident(5, "db", t0())}, t0());
  router.tick(t0() + 10min);
  const std::string saved = router.save();

  // Restart 20 minutes later: the same incidents are still open; the next tier is due.
  Router again(dir);
  again.configure(config);
  auto out = again.restore(saved, std::vector<Incident>{incident(5, "db", t0())}, t0() + 30min);
  EXPECT_EQ(summary(out),
            (std::vector<std::string>{"ana-sms escalation p5:t2:c0", "ben-sms escalation p5:t2:c0",
                                      "cleo-sms escalation p5:t2:c0"}));
  // Restart again, after db recovered while we were down: recovery, and no page for it.
  Router third(dir);
  third.configure(config);
  auto rec = third.restore(again.save(), std::vector<Incident>{}, t0() + 40min);
  EXPECT_EQ(summary(rec),
            (std::vector<std::string>{"ana-sms recovery p5:ok", "ben-sms recovery p5:ok",
                                      "cleo-sms recovery p5:ok"}));
  EXPECT_TRUE(third.pages().empty());
}

TEST_F(RouterTest, RestoreGivesAPageToIncidentsItDidNotKnow) {
  route(simple(targets({"hook"}), 30s));
  Router fresh(dir);
  fresh.configure(config);
  auto out = fresh.restore("", std::vector<Incident>{incident(9, "web", t0() - 1h)}, t0());
  // Opened long ago: its group wait is over, so it goes out at once (the outbox drops it if
  // it had been sent before under the same key).
  EXPECT_EQ(summary(out), std::vector<std::string>{"hook problem p9:t0:c0"});
}

TEST(Targets, ParseEveryForm) {
  EXPECT_EQ(parse_target("ops-hook")->kind, Target::Kind::notifier);
  EXPECT_EQ(parse_target("oncall:ops")->kind, Target::Kind::oncall_primary);
  EXPECT_EQ(parse_target("oncall:ops/secondary")->kind, Target::Kind::oncall_secondary);
  EXPECT_EQ(parse_target("oncall:ops/both")->kind, Target::Kind::oncall_both);
  EXPECT_EQ(parse_target("team:ops")->kind, Target::Kind::team);
  EXPECT_EQ(parse_target("team:ops")->name, "ops");
  EXPECT_FALSE(parse_target("oncall:ops/third"));
  EXPECT_FALSE(parse_target("pager:x"));
  EXPECT_FALSE(parse_target(""));
  EXPECT_FALSE(parse_target("a b"));
}

}  // namespace

namespace {

TEST_F(RouterTest, APageKeepsItsLeadAndKeyWhenAMemberRecoversDuringTheGroupWait) {
  route(simple(targets({"hook"}), 4s));
  auto a = incident(1, "a", t0());
  auto b = incident(2, "b", t0() + 1s);
  open({a}, t0());
  open({b}, t0() + 1s);
  close({closed(a, t0() + 2s)}, t0() + 2s);
  auto sent = router.tick(t0() + 4s);
  ASSERT_EQ(summary(sent), std::vector<std::string>{"hook problem p2:t0:c0"});
  EXPECT_EQ(sent[0].message.check, "b");
  EXPECT_EQ(sent[0].message.incident_key(), "lightkeeper-b-2");
  EXPECT_TRUE(sent[0].message.members.empty());  // a was never news
  ASSERT_EQ(router.pages().size(), 1u);
  EXPECT_EQ(router.pages()[0].checks, std::vector<std::string>{"b"});
  auto rec = close({closed(b, t0() + 1min)}, t0() + 1min);
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_EQ(rec[0].message.check, "b");
  EXPECT_EQ(rec[0].message.incident_key(), "lightkeeper-b-2");
}

TEST_F(RouterTest, AGroupedPageResolvesUnderTheKeyItTriggeredWith) {
  route(simple(targets({"hook"}), 10s));
  open({incident(1, "a", t0()), incident(2, "b", t0())}, t0());
  auto sent = router.tick(t0() + 10s);
  ASSERT_EQ(sent.size(), 1u);
  const auto key = sent[0].message.incident_key();
  // a recovers first, then b: the recovery still leads with a, the page's incident.
  close({closed(incident(1, "a", t0()), t0() + 1min)}, t0() + 1min);
  auto rec = close({closed(incident(2, "b", t0()), t0() + 2min)}, t0() + 2min);
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_EQ(rec[0].message.incident_key(), key);
}

TEST_F(RouterTest, ASilenceAddedAfterThePageWentOutMutesEscalationAndRemindersUntilItEnds) {
  Route r;
  r.escalation = "standard";
  r.group_wait = 0s;
  r.reminder = 1h;
  route(r);
  open({incident(5, "db", t0())}, t0());
  Silence s;
  s.match.checks = {"db"};
  s.starts_at = t0() + 1min;
  s.ends_at = t0() + 2h;
  router.add_silence(s);
  EXPECT_TRUE(router.tick(t0() + 10min).empty());
  EXPECT_TRUE(router.tick(t0() + 90min).empty());
  // Over: the tiers that fell due meanwhile go out, and the latest reminder once.
  auto resumed = router.tick(t0() + 2h);
  EXPECT_FALSE(resumed.empty());
}

}  // namespace
