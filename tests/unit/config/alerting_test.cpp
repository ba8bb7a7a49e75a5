// The alerting sections of the main config file (notifiers, people, schedules, escalations,
// routes, maintenance, silences, alerting) and checks' depends_on: what a valid setup yields,
// and how each mistake is reported (at its path and position, all at once).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "alert/notify/slack/slack.hpp"
#include "alert/notify/webhook/webhook.hpp"
#include "config/config.hpp"
#include "support.hpp"

namespace lk::config {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using testing::error_lines;
using testing::fake_env;
using testing::fake_kinds;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ScratchDir;
using ::testing::SizeIs;
using ::testing::StartsWith;
using Kind = alert::Target::Kind;

LoadResult load_text(std::string_view yaml, EnvLookup env = fake_env()) {
  auto kinds = fake_kinds();
  return load_string(yaml, "lk.yaml", kinds, env);
}

TimePoint at(std::string_view rfc3339) {
  return parse_time(rfc3339).value();
}

template <class Settings>
const Settings& settings_of(const alert::Notifier& n) {
  return dynamic_cast<const alert::SettingsOf<Settings>&>(*n.settings).settings;
}

std::vector<std::pair<Kind, std::string>> kinds_and_names(const std::vector<alert::Target>& ts) {
  std::vector<std::pair<Kind, std::string>> out;
  for (const auto& t : ts) out.emplace_back(t.kind, t.name);
  return out;
}

// The setup from the issue: one webhook, everything goes to it.
constexpr std::string_view kMinimal = R"yaml(notifiers:
  - name: ops-hook
    type: webhook
    url: http://127.0.0.1:9999/hook
routes:
  - notify: [ops-hook]
)yaml";

TEST(AlertingConfig, TheMinimalSetupIsOneWebhookAndOneRouteForEverything) {
  LoadResult result = load_text(kMinimal);

  ASSERT_THAT(error_lines(result), IsEmpty());
  const alert::AlertConfig& alerting = result.config->alerting;
  ASSERT_THAT(alerting.notifiers, SizeIs(1));
  const alert::Notifier& hook = alerting.notifiers[0];
  EXPECT_EQ(hook.name, "ops-hook");
  EXPECT_EQ(hook.type, "webhook");
  ASSERT_NE(hook.kind, nullptr);
  EXPECT_EQ(hook.kind->type, "webhook");
  EXPECT_EQ(settings_of<alert::webhook::Settings>(hook).url, "http://127.0.0.1:9999/hook");
  ASSERT_THAT(alerting.routes, SizeIs(1));
  const alert::Route& route = alerting.routes[0];
  EXPECT_TRUE(route.match.matches_everything());
  EXPECT_THAT(kinds_and_names(route.notify), ElementsAre(std::pair{Kind::notifier, "ops-hook"}));
  EXPECT_TRUE(route.escalation.empty());
  EXPECT_FALSE(alerting.empty());
}

TEST(AlertingConfig, WhatIsLeftOutTakesTheDocumentedDefaults) {
  LoadResult result = load_text(kMinimal);

  ASSERT_THAT(error_lines(result), IsEmpty());
  const alert::AlertConfig& alerting = result.config->alerting;
  const alert::Notifier& hook = alerting.notifiers[0];
  EXPECT_EQ(hook.timeout, 10s);
  EXPECT_TRUE(hook.send_recovery);
  EXPECT_TRUE(hook.send_acknowledged);
  EXPECT_EQ(settings_of<alert::webhook::Settings>(hook).method, "POST");
  const alert::Route& route = alerting.routes[0];
  EXPECT_EQ(route.name, "routes[0]");
  EXPECT_EQ(route.group_wait, 30s);
  EXPECT_EQ(route.reminder, 0s);
  EXPECT_TRUE(route.group);
  EXPECT_FALSE(route.continue_);
  EXPECT_TRUE(route.send_recovery);
  EXPECT_THAT(alerting.fallback, IsEmpty());
  EXPECT_EQ(alerting.ack_secret, "");
  EXPECT_EQ(alerting.ack_link_ttl, 24h);
}

TEST(AlertingConfig, AConfigWithoutAlertingHasNone) {
  LoadResult result = load_text("checks:\n  - name: a\n    type: tcp\n    target: a:1\n");

  ASSERT_THAT(error_lines(result), IsEmpty());
  EXPECT_TRUE(result.config->alerting.empty());
}

// Every section at once: people, a follow-the-sun schedule with pairs and an override, a
// three-tier escalation, routes with every kind of match, the three kinds of maintenance
// window, a silence, the alerting settings and dependencies between checks.
constexpr std::string_view kFull = R"yaml(checks:
  - name: router
    type: tcp
    target: 10.0.0.1:22
  - name: web-shop
    type: http
    url: https://shop.example/
    tags: [prod, web]
    group: Shop
    depends_on: [router]
  - name: db-main
    type: tcp
    target: db:5432
    depends_on: router
notifiers:
  - name: ops-hook
    type: webhook
    url: http://127.0.0.1:9999/hook
  - name: alice-slack
    type: slack
    url: https://hooks.slack.com/services/T0/B0/x
    timeout: 5s
    send_recovery: false
  - name: bob-hook
    type: webhook
    url: https://bob.example/hook
people:
  - name: alice
    notify: [alice-slack]
  - name: bob
    notify: [bob-hook, ops-hook]
schedules:
  - name: ops
    layers:
      - name: london
        members: [alice, bob]
        rotation: daily
        handoff: "08:00"
        timezone: Europe/London
        start: 2026-01-05
        hours: ["mon-fri 08:00-17:00"]
        paired: true
      - name: new-york
        members: [bob, alice]
        rotation: 12h
        timezone: America/New_York
        start: 2026-01-05
        hours: ["mon-fri 08:00-17:00", "sat,sun 10:00-14:00"]
      - members: [alice]
        rotation: weekly
        start: 2026-01-05
    overrides:
      - person: bob
        from: 2026-12-24T00:00:00Z
        to: 2026-12-27T00:00:00Z
escalations:
  - name: ops-policy
    tiers:
      - after: 0s
        notify: [oncall:ops]
      - after: 10m
        notify: [oncall:ops/secondary]
      - after: 30m
        notify: [team:ops, ops-hook]
    repeat: 2
    repeat_after: 1h
routes:
  - name: shop
    match:
      checks: [web-*, "~db-(main|replica)"]
      tags: [prod]
      severity: [fail, warn]
      groups: [Shop]
    escalation: ops-policy
    reminder: 1h
    group_wait: 1m
    group: false
    continue: true
  - notify: [ops-hook, alice, oncall:ops/both]
maintenance:
  - name: patch-tuesday
    match:
      tags: [prod]
    rrule: FREQ=MONTHLY;BYDAY=2TU
    start: 2026-01-13
    at: "02:00"
    duration: 2h
    timezone: Europe/London
  - name: move
    from: 2026-12-24T22:00:00Z
    to: 2026-12-25T02:00:00Z
  - name: nightly
    match:
      checks: [db-*]
    cron: "0 3 * * 0"
    duration: 30m
silences:
  - match:
      checks: [web-shop]
    until: 2027-01-01T00:00:00Z
    comment: migration
alerting:
  fallback: [ops-hook]
  ack_secret: 0123456789abcdef0123
  ack_link_ttl: 12h
)yaml";

class FullSetup : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { result_ = new LoadResult(load_text(kFull)); }
  static void TearDownTestSuite() {
    delete result_;
    result_ = nullptr;
  }
  void SetUp() override { ASSERT_THAT(error_lines(*result_), IsEmpty()); }

  static const Config& config() { return *result_->config; }
  static const alert::AlertConfig& alerting() { return config().alerting; }

 private:
  static inline LoadResult* result_ = nullptr;
};

TEST_F(FullSetup, NotifiersKeepTheirCommonAndOwnOptions) {
  ASSERT_THAT(alerting().notifiers, SizeIs(3));
  const alert::Notifier& slack = alerting().notifiers[1];
  EXPECT_EQ(slack.name, "alice-slack");
  EXPECT_EQ(slack.type, "slack");
  EXPECT_EQ(slack.timeout, 5s);
  EXPECT_FALSE(slack.send_recovery);
  EXPECT_TRUE(slack.send_acknowledged);
  EXPECT_EQ(settings_of<alert::slack::Settings>(slack).webhook_url,
            "https://hooks.slack.com/services/T0/B0/x");
  EXPECT_EQ(settings_of<alert::webhook::Settings>(alerting().notifiers[2]).url,
            "https://bob.example/hook");
}

TEST_F(FullSetup, PeopleListTheNotifiersThatReachThemInOrder) {
  ASSERT_THAT(alerting().people, SizeIs(2));
  EXPECT_EQ(alerting().people[0].name, "alice");
  EXPECT_THAT(alerting().people[0].channels, ElementsAre("alice-slack"));
  EXPECT_EQ(alerting().people[1].name, "bob");
  EXPECT_THAT(alerting().people[1].channels, ElementsAre("bob-hook", "ops-hook"));
}

TEST_F(FullSetup, AFollowTheSunScheduleHasOneLayerPerSiteInItsOwnZone) {
  ASSERT_THAT(alerting().schedules, SizeIs(1));
  const alert::oncall::Schedule& ops = alerting().schedules[0];
  EXPECT_EQ(ops.name, "ops");
  EXPECT_THAT(ops.people, SizeIs(2));  // the schedule can answer who is who on its own
  ASSERT_THAT(ops.layers, SizeIs(3));

  const alert::oncall::Layer& london = ops.layers[0];
  EXPECT_EQ(london.name, "london");
  EXPECT_THAT(london.rotation.members, ElementsAre("alice", "bob"));
  EXPECT_EQ(london.rotation.length, alert::oncall::daily);
  EXPECT_EQ(london.rotation.handoff_time, 8h);
  EXPECT_EQ(london.rotation.zone, "Europe/London");
  EXPECT_EQ(london.rotation.start_date, std::chrono::year{2026} / 1 / 5);
  EXPECT_TRUE(london.paired);
  ASSERT_THAT(london.windows, SizeIs(1));
  EXPECT_EQ(london.windows[0].days, alert::oncall::monday_to_friday);
  EXPECT_EQ(london.windows[0].from, 8h);
  EXPECT_EQ(london.windows[0].to, 17h);

  const alert::oncall::Layer& new_york = ops.layers[1];
  EXPECT_EQ(new_york.name, "new-york");
  EXPECT_EQ(new_york.rotation.length, 12h);
  EXPECT_EQ(new_york.rotation.zone, "America/New_York");
  EXPECT_EQ(new_york.rotation.handoff_time, 9h);  // the default
  EXPECT_FALSE(new_york.paired);
  ASSERT_THAT(new_york.windows, SizeIs(2));
  EXPECT_EQ(new_york.windows[1].days, alert::oncall::Weekdays{0b1000001});  // sat, sun
  EXPECT_EQ(new_york.windows[1].from, 10h);
  EXPECT_EQ(new_york.windows[1].to, 14h);

  const alert::oncall::Layer& fallback = ops.layers[2];
  EXPECT_EQ(fallback.name, "layers[2]");
  EXPECT_EQ(fallback.rotation.length, alert::oncall::weekly);
  EXPECT_EQ(fallback.rotation.zone, "UTC");
  EXPECT_THAT(fallback.windows, IsEmpty());  // always on

  ASSERT_THAT(ops.overrides, SizeIs(1));
  EXPECT_EQ(ops.overrides[0].person, "bob");
  EXPECT_EQ(ops.overrides[0].from, at("2026-12-24T00:00:00Z"));
  EXPECT_EQ(ops.overrides[0].to, at("2026-12-27T00:00:00Z"));
}

TEST_F(FullSetup, AnEscalationPolicyIsTiersInOrderAndHowOftenToRepeatThem) {
  ASSERT_THAT(alerting().escalations, SizeIs(1));
  const alert::EscalationPolicy& policy = alerting().escalations[0];
  EXPECT_EQ(policy.name, "ops-policy");
  ASSERT_THAT(policy.tiers, SizeIs(3));
  EXPECT_EQ(policy.tiers[0].after, 0s);
  EXPECT_THAT(kinds_and_names(policy.tiers[0].notify),
              ElementsAre(std::pair{Kind::oncall_primary, "ops"}));
  EXPECT_EQ(policy.tiers[1].after, 10min);
  EXPECT_THAT(kinds_and_names(policy.tiers[1].notify),
              ElementsAre(std::pair{Kind::oncall_secondary, "ops"}));
  EXPECT_EQ(policy.tiers[2].after, 30min);
  EXPECT_THAT(kinds_and_names(policy.tiers[2].notify),
              ElementsAre(std::pair{Kind::team, "ops"}, std::pair{Kind::notifier, "ops-hook"}));
  EXPECT_EQ(policy.tiers[2].notify[0].text, "team:ops");
  EXPECT_EQ(policy.repeat, 2);
  EXPECT_EQ(policy.repeat_after, 1h);
}

TEST_F(FullSetup, ARouteMatchesByNamesTagsSeverityAndGroup) {
  ASSERT_THAT(alerting().routes, SizeIs(2));
  const alert::Route& shop = alerting().routes[0];
  EXPECT_EQ(shop.name, "shop");
  EXPECT_THAT(shop.match.checks, ElementsAre("web-*", "~db-(main|replica)"));
  EXPECT_THAT(shop.match.tags, ElementsAre("prod"));
  EXPECT_THAT(shop.match.severities, ElementsAre(State::fail, State::warn));
  EXPECT_THAT(shop.match.groups, ElementsAre("Shop"));
  EXPECT_EQ(shop.escalation, "ops-policy");
  EXPECT_THAT(shop.notify, IsEmpty());
  EXPECT_EQ(shop.reminder, 1h);
  EXPECT_EQ(shop.group_wait, 1min);
  EXPECT_FALSE(shop.group);
  EXPECT_TRUE(shop.continue_);
  EXPECT_TRUE(shop.send_recovery);
}

TEST_F(FullSetup, ATargetNamingAPersonIsAPersonTarget) {
  const alert::Route& rest = alerting().routes[1];
  EXPECT_EQ(rest.name, "routes[1]");
  EXPECT_TRUE(rest.match.matches_everything());
  EXPECT_THAT(kinds_and_names(rest.notify),
              ElementsAre(std::pair{Kind::notifier, "ops-hook"}, std::pair{Kind::person, "alice"},
                          std::pair{Kind::oncall_both, "ops"}));
  EXPECT_FALSE(rest.continue_);
}

TEST_F(FullSetup, MaintenanceIsARecurringRuleAOneOffOrACron) {
  ASSERT_THAT(alerting().maintenance, SizeIs(3));

  const alert::Maintenance& patch = alerting().maintenance[0];
  EXPECT_EQ(patch.window.name, "patch-tuesday");
  EXPECT_THAT(patch.match.tags, ElementsAre("prod"));
  ASSERT_TRUE(patch.window.rule.has_value());
  EXPECT_EQ(patch.window.rule->frequency, alert::maintenance::Frequency::monthly);
  EXPECT_THAT(patch.window.rule->by_day,
              ElementsAre(alert::maintenance::WeekdayRule{std::chrono::Tuesday, 2}));
  EXPECT_EQ(patch.window.start_date, std::chrono::year{2026} / 1 / 13);
  EXPECT_EQ(patch.window.start_time, 2h);
  EXPECT_EQ(patch.window.duration, 2h);
  EXPECT_EQ(patch.window.zone, "Europe/London");
  EXPECT_FALSE(patch.window.from.has_value());
  EXPECT_FALSE(patch.window.cron.has_value());

  const alert::Maintenance& move = alerting().maintenance[1];
  EXPECT_EQ(move.window.name, "move");
  EXPECT_TRUE(move.match.matches_everything());
  EXPECT_EQ(move.window.from, at("2026-12-24T22:00:00Z"));
  EXPECT_EQ(move.window.to, at("2026-12-25T02:00:00Z"));
  EXPECT_FALSE(move.window.rule.has_value());
  EXPECT_FALSE(move.window.cron.has_value());

  const alert::Maintenance& nightly = alerting().maintenance[2];
  EXPECT_THAT(nightly.match.checks, ElementsAre("db-*"));
  EXPECT_EQ(nightly.window.cron, "0 3 * * 0");
  EXPECT_EQ(nightly.window.duration, 30min);
  EXPECT_EQ(nightly.window.zone, "UTC");
  EXPECT_FALSE(nightly.window.rule.has_value());
}

TEST_F(FullSetup, SilencesAndAlertingSettingsAreRead) {
  ASSERT_THAT(alerting().silences, SizeIs(1));
  const alert::Silence& silence = alerting().silences[0];
  EXPECT_THAT(silence.match.checks, ElementsAre("web-shop"));
  EXPECT_EQ(silence.ends_at, at("2027-01-01T00:00:00Z"));
  EXPECT_EQ(silence.comment, "migration");
  EXPECT_EQ(silence.created_by, "config");
  EXPECT_LT(silence.id, 0);  // config silences have negative ids; the API's are positive

  EXPECT_THAT(alerting().fallback, ElementsAre("ops-hook"));
  EXPECT_EQ(alerting().ack_secret, "0123456789abcdef0123");
  EXPECT_EQ(alerting().ack_link_ttl, 12h);
}

TEST_F(FullSetup, ChecksNameWhatTheyDependOnAsAListOrOneName) {
  ASSERT_NE(config().find("web-shop"), nullptr);
  EXPECT_THAT(config().find("web-shop")->depends_on, ElementsAre("router"));
  EXPECT_THAT(config().find("db-main")->depends_on, ElementsAre("router"));
  EXPECT_THAT(config().find("router")->depends_on, IsEmpty());
}

// A notifier, a person and a schedule for the cases below to refer to: 12 lines, so that
// what a case adds starts on line 13.
const std::string kBasics = R"yaml(notifiers:
  - name: ops-hook
    type: webhook
    url: http://127.0.0.1:9999/hook
people:
  - name: alice
    notify: [ops-hook]
schedules:
  - name: ops
    layers:
      - members: [alice]
        start: 2026-01-05
)yaml";

struct Mistake {
  std::string_view what;
  std::string yaml;
  std::string where;    ///< "file:line:col: path" of the one error expected
  std::string message;  ///< a distinctive part of its message
};

void expect_one_error(const Mistake& m) {
  SCOPED_TRACE(m.what);
  LoadResult result = load_text(m.yaml);
  EXPECT_EQ(result.config, nullptr);
  EXPECT_THAT(error_lines(result),
              ElementsAre(AllOf(StartsWith(m.where + ": "), HasSubstr(m.message))));
}

TEST(AlertingMistakes, NotifiersAndPeople) {
  const Mistake cases[] = {
      {"unknown notifier type, and its own keys are not reported as unknown too",
       "notifiers:\n  - name: hook\n    type: webhok\n    url: http://x.example/\n",
       "lk.yaml:3:11: notifiers[0].type",
       "unknown notifier type \"webhok\"; did you mean 'webhook'? known types: discord, email,"},
      {"a notifier without a type", "notifiers:\n  - name: hook\n    url: http://x.example/\n",
       "lk.yaml:2:5: notifiers[0].type", "missing required field"},
      {"a notifier without a name", "notifiers:\n  - type: webhook\n    url: http://x.example/\n",
       "lk.yaml:2:5: notifiers[0].name", "missing required field"},
      {"a webhook without its url", "notifiers:\n  - name: hook\n    type: webhook\n",
       "lk.yaml:2:5: notifiers[0].url", "missing required field"},
      {"a notifier's timeout out of range",
       "notifiers:\n  - name: hook\n    type: webhook\n    url: http://x.example/\n    timeout: "
       "10m\n",
       "lk.yaml:5:14: notifiers[0].timeout", "at most 5m"},
      {"two notifiers of one name",
       "notifiers:\n  - name: ops-hook\n    type: webhook\n    url: http://x.example/\n  - name: "
       "ops-hook\n    type: webhook\n    url: http://y.example/\n",
       "lk.yaml:5:11: notifiers[1].name",
       "duplicate notifier name \"ops-hook\"; the first is at lk.yaml:2:11"},
      {"a name both a notifier and a person",
       "notifiers:\n  - name: ops\n    type: webhook\n    url: http://x.example/\npeople:\n  - "
       "name: ops\n    notify: [ops]\n",
       "lk.yaml:6:11: people[0].name",
       "\"ops\" is already the name of a notifier (at lk.yaml:2:11); targets could not tell them "
       "apart"},
      {"two people of one name",
       "notifiers:\n  - name: hook\n    type: webhook\n    url: http://x.example/\npeople:\n  - "
       "name: al\n    notify: [hook]\n  - name: al\n    notify: [hook]\n",
       "lk.yaml:8:11: people[1].name",
       "duplicate person name \"al\"; the first is at lk.yaml:6:11"},
      {"a person without notifiers", "people:\n  - name: al\n", "lk.yaml:2:5: people[0].notify",
       "missing required field"},
      {"a person reached by an unknown notifier",
       "notifiers:\n  - name: hook\n    type: webhook\n    url: http://x.example/\npeople:\n  - "
       "name: al\n    notify: [hok]\n",
       "lk.yaml:7:14: people[0].notify[0]", "unknown notifier \"hok\" (defined: hook)"},
      {"an empty name",
       "notifiers:\n  - name: \"\"\n    type: webhook\n    url: http://x.example/\n",
       "lk.yaml:2:11: notifiers[0].name", "must not be empty"},
      {"a name with a space",
       "notifiers:\n  - name: ops hook\n    type: webhook\n    url: http://x.example/\n",
       "lk.yaml:2:11: notifiers[0].name",
       "may contain only letters, digits, '.', '_' and '-', got \"ops hook\""},
  };
  for (const Mistake& m : cases) expect_one_error(m);
}

TEST(AlertingMistakes, Schedules) {
  auto layer = [](const std::string& lines) {
    return "notifiers:\n  - name: hook\n    type: webhook\n    url: http://x.example/\npeople:\n"
           "  - name: al\n    notify: [hook]\nschedules:\n  - name: ops\n    layers:\n"
           "      - members: [al]\n" +
           lines;  // from line 12
  };
  const Mistake cases[] = {
      {"a shift over midnight",
       layer("        start: 2026-01-05\n        hours: [\"mon-fri "
             "17:00-08:00\"]\n"),
       "lk.yaml:13:17: schedules[0].layers[0].hours[0]",
       "the end of \"mon-fri 17:00-08:00\" is not after its start; split a shift over midnight"},
      {"an unknown weekday",
       layer("        start: 2026-01-05\n        hours: [\"funday 08:00-10:00\"]\n"),
       "lk.yaml:13:17: schedules[0].layers[0].hours[0]",
       "unknown weekday in \"funday\"; write mon, tue, ... sun, ranges like mon-fri, or daily"},
      {"hours without minutes",
       layer("        start: 2026-01-05\n        hours: [\"mon-fri 8-17\"]\n"),
       "lk.yaml:13:17: schedules[0].layers[0].hours[0]",
       "expected hours like \"mon-fri 08:00-17:00\", got \"mon-fri 8-17\""},
      {"a hand-off at 25:00", layer("        start: 2026-01-05\n        handoff: \"25:00\"\n"),
       "lk.yaml:13:18: schedules[0].layers[0].handoff",
       "expected a time of day HH:MM, got \"25:00\""},
      {"a rotation that is no length",
       layer("        start: 2026-01-05\n        rotation: fortnightly\n"),
       "lk.yaml:13:19: schedules[0].layers[0].rotation",
       "expected daily, weekly or a length like 14d or 12h, got \"fortnightly\""},
      {"a start that is no date", layer("        start: 2026-02-30\n"),
       "lk.yaml:12:16: schedules[0].layers[0].start",
       "expected a date YYYY-MM-DD, got \"2026-02-30\""},
      {"a layer without a start", layer(""), "lk.yaml:11:9: schedules[0].layers[0].start",
       "missing required field"},
      {"an unknown time zone (from the schedule's own checks)",
       layer("        start: 2026-01-05\n        timezone: Mars/Olympus\n"),
       "lk.yaml:9:5: schedules[0]", "layer \"layers[0]\": unknown time zone \"Mars/Olympus\""},
      {"a layer naming an unknown person",
       layer("        start: 2026-01-05\n      - members: [al, bob]\n        start: 2026-01-05\n"),
       "lk.yaml:13:23: schedules[0].layers[1].members[1]", "unknown person \"bob\" (defined: al)"},
      {"an override for an unknown person",
       layer("        start: 2026-01-05\n    overrides:\n      - person: bob\n        from: "
             "2026-12-24T00:00:00Z\n        to: 2026-12-25T00:00:00Z\n"),
       "lk.yaml:14:17: schedules[0].overrides[0].person", "unknown person \"bob\" (defined: al)"},
      {"an override that ends before it starts",
       layer("        start: 2026-01-05\n    overrides:\n      - person: al\n        from: "
             "2026-12-25T00:00:00Z\n        to: 2026-12-24T00:00:00Z\n"),
       "lk.yaml:16:13: schedules[0].overrides[0].to", "must be after from (2026-12-25T00:00:00"},
      {"an override at no time",
       layer("        start: 2026-01-05\n    overrides:\n      - person: al\n        from: "
             "tomorrow\n        to: 2026-12-24T00:00:00Z\n"),
       "lk.yaml:15:15: schedules[0].overrides[0].from",
       "expected an RFC 3339 time like 2026-12-24T22:00:00Z, got \"tomorrow\""},
      {"a layer without members",
       layer("        start: 2026-01-05\n      - members: []\n  "
             "      start: 2026-01-05\n"),
       "lk.yaml:13:18: schedules[0].layers[1].members", "a layer needs at least one member"},
      {"a schedule with an empty list of layers", "schedules:\n  - name: ops\n    layers: []\n",
       "lk.yaml:3:13: schedules[0].layers", "a schedule needs at least one layer"},
      {"a schedule without layers", "schedules:\n  - name: ops\n",
       "lk.yaml:2:5: schedules[0].layers", "missing required field"},
      {"two schedules of one name",
       layer("        start: 2026-01-05\n  - name: ops\n    layers: [{members: [al], start: "
             "2026-01-05}]\n"),
       "lk.yaml:13:11: schedules[1].name", "duplicate schedule name \"ops\""},
  };
  for (const Mistake& m : cases) expect_one_error(m);
}

TEST(AlertingMistakes, EscalationsAndRoutes) {
  const Mistake cases[] = {
      {"a target of an unknown kind", kBasics + "routes:\n  - notify: [pager:x]\n",
       "lk.yaml:14:14: routes[0].notify[0]",
       "not a target: \"pager:x\". Targets are written as a notifier name, a person's name, "
       "`oncall:SCHEDULE` (primary)"},
      {"an on-call target for a third person",
       kBasics + "routes:\n  - notify: [oncall:ops/third]\n", "lk.yaml:14:14: routes[0].notify[0]",
       "not a target: \"oncall:ops/third\""},
      {"a route to an unknown notifier or person", kBasics + "routes:\n  - notify: [bob]\n",
       "lk.yaml:14:14: routes[0].notify[0]",
       "unknown notifier or person \"bob\" (defined notifiers: ops-hook; defined people: alice)"},
      {"a route to an unknown schedule", kBasics + "routes:\n  - notify: [team:dev]\n",
       "lk.yaml:14:14: routes[0].notify[0]", "unknown schedule \"dev\" (defined: ops)"},
      {"a route to an unknown escalation policy", kBasics + "routes:\n  - escalation: urgent\n",
       "lk.yaml:14:17: routes[0].escalation",
       "unknown escalation policy \"urgent\" (defined: none)"},
      {"a route with both notify and escalation",
       kBasics + "escalations:\n  - name: e\n    tiers: [{notify: [alice]}]\nroutes:\n  - notify: "
                 "[alice]\n    escalation: e\n",
       "lk.yaml:18:17: routes[0].escalation", "give either `notify` or `escalation`"},
      {"a route with neither", kBasics + "routes:\n  - name: nowhere\n",
       "lk.yaml:14:5: routes[0].notify",
       "a route needs `notify` targets or an `escalation` policy"},
      {"an invalid regex",
       kBasics + "routes:\n  - match:\n      checks: [\"~(web\"]\n    notify: "
                 "[alice]\n",
       "lk.yaml:15:16: routes[0].match.checks[0]", "invalid regular expression"},
      {"severity ok (a route is for problems)",
       kBasics + "routes:\n  - match:\n      severity: [fail, ok]\n    notify: [alice]\n",
       "lk.yaml:15:24: routes[0].match.severity[1]", "expected fail, warn or unknown, got \"ok\""},
      {"an unknown match key",
       kBasics + "routes:\n  - match:\n      check: [web]\n    notify: [alice]\n",
       "lk.yaml:15:7: routes[0].match.check", "unknown field; did you mean 'checks'?"},
      {"a tier out of order",
       kBasics +
           "escalations:\n  - name: e\n    tiers:\n      - after: 10m\n        notify: [alice]\n "
           "     - after: 5m\n        notify: [alice]\n",
       "lk.yaml:18:16: escalations[0].tiers[1].after",
       "tiers must be in order of `after`: 5m comes before the previous tier's 10m"},
      {"a tier to an unknown schedule",
       kBasics + "escalations:\n  - name: e\n    tiers:\n      - notify: [oncall:dev]\n",
       "lk.yaml:16:18: escalations[0].tiers[0].notify[0]",
       "unknown schedule \"dev\" (defined: ops)"},
      {"a tier to an unknown person",
       kBasics + "escalations:\n  - name: e\n    tiers:\n      - notify: [bob]\n",
       "lk.yaml:16:18: escalations[0].tiers[0].notify[0]",
       "unknown notifier or person \"bob\" (defined notifiers: ops-hook; defined people: alice)"},
      {"a policy without tiers", kBasics + "escalations:\n  - name: e\n    tiers: []\n",
       "lk.yaml:15:12: escalations[0].tiers", "a policy needs at least one tier"},
      {"a policy with no tiers key", kBasics + "escalations:\n  - name: e\n",
       "lk.yaml:14:5: escalations[0].tiers", "missing required field"},
      {"two policies of one name",
       kBasics +
           "escalations:\n  - name: e\n    tiers: [{notify: [alice]}]\n  - name: e\n    tiers: "
           "[{notify: [alice]}]\n",
       "lk.yaml:16:11: escalations[1].name",
       "duplicate escalation name \"e\"; the first is at lk.yaml:14:11"},
      {"an unknown fallback notifier", kBasics + "alerting:\n  fallback: [pager]\n",
       "lk.yaml:14:14: alerting.fallback[0]", "unknown notifier \"pager\" (defined: ops-hook)"},
      {"a short ack secret", kBasics + "alerting:\n  ack_secret: hunter2\n",
       "lk.yaml:14:15: alerting.ack_secret", "must be at least 16 characters"},
  };
  for (const Mistake& m : cases) expect_one_error(m);
}

TEST(AlertingMistakes, MaintenanceAndSilences) {
  const Mistake cases[] = {
      {"an rrule the recurrence parser refuses",
       "maintenance:\n  - name: m\n    rrule: FREQ=MONTHLY;BYDAY=2TX\n    start: 2026-01-13\n  "
       "  duration: 2h\n",
       "lk.yaml:3:12: maintenance[0].rrule", "BYDAY: unknown weekday \"TX\""},
      {"an rrule without start",
       "maintenance:\n  - name: m\n    rrule: FREQ=MONTHLY;BYDAY=2TU\n    duration: 2h\n",
       "lk.yaml:3:12: maintenance[0].rrule", "a rule needs a start date"},
      {"an rrule without duration",
       "maintenance:\n  - name: m\n    rrule: FREQ=WEEKLY\n    start: 2026-01-13\n",
       "lk.yaml:3:12: maintenance[0].rrule", "duration must be positive"},
      {"a start that is no date",
       "maintenance:\n  - name: m\n    rrule: FREQ=WEEKLY\n    start: 2026-13-01\n    "
       "duration: 2h\n",
       "lk.yaml:4:12: maintenance[0].start", "expected a date YYYY-MM-DD, got \"2026-13-01\""},
      {"neither from/to nor a rule", "maintenance:\n  - name: m\n    duration: 2h\n",
       "lk.yaml:2:5: maintenance[0].from",
       "neither one-off (from and to) nor recurring (rule or cron)"},
      {"from without to", "maintenance:\n  - name: m\n    from: 2026-12-24T22:00:00Z\n",
       "lk.yaml:3:11: maintenance[0].from", "a one-off window needs both from and to"},
      {"an unknown time zone",
       "maintenance:\n  - name: m\n    cron: \"0 3 * * 0\"\n    duration: 1h\n    timezone: "
       "Mars/Olympus\n",
       "lk.yaml:3:11: maintenance[0].cron", "unknown time zone \"Mars/Olympus\""},
      {"a cron with four fields",
       "maintenance:\n  - name: m\n    cron: \"0 3 * *\"\n    duration: 1h\n",
       "lk.yaml:3:11: maintenance[0].cron", "cron: expected 5 fields"},
      {"a window without name",
       "maintenance:\n  - from: 2026-12-24T22:00:00Z\n    to: 2026-12-25T02:00:00Z\n",
       "lk.yaml:2:5: maintenance[0].name", "missing required field"},
      {"a silence without match", "silences:\n  - until: 2027-01-01T00:00:00Z\n",
       "lk.yaml:2:5: silences[0].match", "a silence must say which checks it mutes"},
      {"a silence without until", "silences:\n  - match:\n      checks: [web]\n",
       "lk.yaml:2:5: silences[0].until", "missing required field"},
      {"a silence that ends before it starts",
       "silences:\n  - match: {checks: [web]}\n    from: 2027-01-02T00:00:00Z\n    until: "
       "2027-01-01T00:00:00Z\n",
       "lk.yaml:4:12: silences[0].until", "must be after from (2027-01-02T00:00:00"},
  };
  for (const Mistake& m : cases) expect_one_error(m);
}

TEST(AlertingMistakes, Dependencies) {
  auto check = [](const std::string& name, const std::string& depends_on) {
    return "  - name: " + name + "\n    type: tcp\n    target: " + name +
           ":1\n    depends_on: " + depends_on + "\n";
  };
  const Mistake cases[] = {
      {"an unknown check", "checks:\n" + check("web", "[routr]") + check("router", "[]"),
       "lk.yaml:5:18: checks[0].depends_on[0]", "unknown check \"routr\"; did you mean 'router'?"},
      {"itself", "checks:\n" + check("web", "[web]"), "lk.yaml:5:18: checks[0].depends_on[0]",
       "a check cannot depend on itself"},
      {"a cycle", "checks:\n" + check("a", "[b]") + check("b", "[a]"),
       "lk.yaml:9:18: checks[1].depends_on[0]", "dependency cycle: a -> b -> a"},
      {"a longer cycle, written as single names",
       "checks:\n" + check("a", "b") + check("b", "c") + check("c", "a"),
       "lk.yaml:13:17: checks[2].depends_on", "dependency cycle: a -> b -> c -> a"},
  };
  for (const Mistake& m : cases) expect_one_error(m);
}

TEST(AlertingMistakes, AnIncludedFileMayNotDefineNotifiers) {
  ScratchDir dir;
  std::string main = dir.write("main.yaml", std::string(kMinimal) + "include: more.yaml\n");
  std::string more =
      dir.write("more.yaml",
                "checks:\n  - name: a\n    type: tcp\n    target: a:1\n    depends_on: [nothing]\n"
                "notifiers:\n  - name: other\n    type: webhook\n    url: http://x.example/\n");
  auto kinds = fake_kinds();

  LoadResult result = load_file(main, kinds, fake_env());

  EXPECT_THAT(error_lines(result),
              ElementsAre(more + ":2:5: checks[0].depends_on: unknown check \"nothing\"",
                          more + ":7:3: notifiers: allowed only in the main config file; an "
                                 "included file may contain only checks and include"));
}

TEST(AlertingMistakes, EveryMistakeIsReportedAtOnceWithoutKnockOnErrors) {
  constexpr std::string_view yaml = R"yaml(checks:
  - name: web
    type: http
    url: https://shop.example/
    depends_on: [web]
notifiers:
  - name: ops-hook
    type: webhok
    url: http://127.0.0.1:9999/hook
  - name: mail
    type: webhook
people:
  - name: alice
    notify: [ops-hok]
schedules:
  - name: ops
    layers:
      - members: [alice, bob]
        start: 2026-13-01
        hours: ["mon-fri 17:00-08:00"]
        timezone: Europe/Londn
escalations:
  - name: urgent
    tiers:
      - after: 5x
        notify: [oncall:ops]
      - after: 1m
        notify: [pager:ops]
routes:
  - match:
      severity: [ok]
    notify: [ops-hook]
    escalation: urgnt
  - name: nothing
maintenance:
  - name: patch
    rrule: FREQ=MONTHLY;BYDAY=2TX
    duration: two hours
silences:
  - until: 2027-01-01T00:00:00Z
alerting:
  ack_secret: short
)yaml";
  LoadResult result = load_text(yaml);

  EXPECT_EQ(result.config, nullptr);
  EXPECT_THAT(
      error_lines(result),
      ElementsAre(
          "lk.yaml:5:18: checks[0].depends_on[0]: a check cannot depend on itself",
          "lk.yaml:8:11: notifiers[0].type: unknown notifier type \"webhok\"; did you mean "
          "'webhook'? known types: discord, email, google_chat, gotify, matrix, mattermost, "
          "ntfy, opsgenie, pagerduty, pushover, slack, sms_gateway, teams, telegram, twilio, "
          "webhook",
          "lk.yaml:10:5: notifiers[1].url: missing required field",
          "lk.yaml:14:14: people[0].notify[0]: unknown notifier \"ops-hok\" (defined: mail, "
          "ops-hook)",
          "lk.yaml:18:26: schedules[0].layers[0].members[1]: unknown person \"bob\" (defined: "
          "alice)",
          "lk.yaml:19:16: schedules[0].layers[0].start: expected a date YYYY-MM-DD, got "
          "\"2026-13-01\"",
          "lk.yaml:20:17: schedules[0].layers[0].hours[0]: the end of \"mon-fri 17:00-08:00\" is "
          "not after its start; split a shift over midnight in two (22:00-24:00 and 00:00-06:00)",
          "lk.yaml:25:16: escalations[0].tiers[0].after: expected a duration like 30s, got \"5x\"",
          "lk.yaml:28:18: escalations[0].tiers[1].notify[0]: not a target: \"pager:ops\". " +
              std::string(target_help()),
          "lk.yaml:31:18: routes[0].match.severity[0]: expected fail, warn or unknown, got \"ok\"",
          "lk.yaml:33:17: routes[0].escalation: give either `notify` or `escalation` (its first "
          "tier says who is told first)",
          "lk.yaml:33:17: routes[0].escalation: unknown escalation policy \"urgnt\" (defined: "
          "urgent)",
          "lk.yaml:34:5: routes[1].notify: a route needs `notify` targets or an `escalation` "
          "policy",
          "lk.yaml:37:12: maintenance[0].rrule: BYDAY: unknown weekday \"TX\"",
          "lk.yaml:37:12: maintenance[0].rrule: a rule needs a start date (the local date its "
          "occurrences count from)",
          "lk.yaml:38:15: maintenance[0].duration: expected a duration like 30s, got \"two "
          "hours\"",
          "lk.yaml:40:5: silences[0].match: a silence must say which checks it mutes",
          "lk.yaml:42:15: alerting.ack_secret: must be at least 16 characters (it signs ack "
          "links)"));
}

TEST(AlertingSecrets, ANotifiersSecretComesFromTheEnvironment) {
  constexpr std::string_view yaml = R"yaml(notifiers:
  - name: team-slack
    type: slack
    url: ${SLACK_URL}
routes:
  - notify: [team-slack]
alerting:
  ack_secret: ${LK_ACK_SECRET}
)yaml";
  LoadResult result = load_text(yaml, fake_env({{"SLACK_URL", "https://hooks.slack.com/T/B/z"},
                                                {"LK_ACK_SECRET", "a-long-enough-secret"}}));

  ASSERT_THAT(error_lines(result), IsEmpty());
  const alert::AlertConfig& alerting = result.config->alerting;
  EXPECT_EQ(settings_of<alert::slack::Settings>(alerting.notifiers[0]).webhook_url,
            "https://hooks.slack.com/T/B/z");
  EXPECT_EQ(alerting.ack_secret, "a-long-enough-secret");
}

TEST(AlertingSecrets, AnUnsetVariableIsAnErrorThatNamesIt) {
  constexpr std::string_view yaml = R"yaml(notifiers:
  - name: team-slack
    type: slack
    url: ${SLACK_URL}
alerting:
  ack_secret: ${LK_ACK_SECRET}
)yaml";
  LoadResult result = load_text(yaml);

  EXPECT_EQ(result.config, nullptr);
  EXPECT_THAT(error_lines(result),
              Contains("lk.yaml:4:10: notifiers[0].url: environment variable SLACK_URL is not set "
                       "(set it, or give a default: ${SLACK_URL:-value})"));
  EXPECT_THAT(error_lines(result),
              Contains(StartsWith("lk.yaml:6:15: alerting.ack_secret: environment variable "
                                  "LK_ACK_SECRET is not set")));
}

}  // namespace
}  // namespace lk::config
