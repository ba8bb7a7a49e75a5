#include "web/components.hpp"

#include <gtest/gtest.h>

#include "fakes.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::web;
using namespace lk::web::testing;

namespace {

const TimePoint kNow = TimePoint{seconds{1'795'219'200}} + hours{8};  // 2026-11-21T08:00Z
const ComponentRule kAll{ComponentRule::Kind::all, 0, 0};
const ComponentRule kAny{ComponentRule::Kind::any, 0, 0};
ComponentRule k_of_n(int k, int n) {
  return {ComponentRule::Kind::at_least, k, n};
}

CheckSignal up() {
  return {State::ok};
}
CheckSignal down() {
  return {State::fail};
}
CheckSignal paused(State s) {
  return {s, true};
}
CheckSignal maintained(State s) {
  return {s, false, true};
}

ComponentState state_of(const ComponentRule& rule, std::vector<CheckSignal> checks) {
  return derive_state(rule, checks);
}

}  // namespace

TEST(ComponentState, FollowsTheRuleOfItsChecks) {
  using C = ComponentState;
  struct Case {
    const char* story;
    ComponentRule rule;
    std::vector<CheckSignal> checks;
    ComponentState want;
  } cases[] = {
      {"all up", kAll, {up(), up()}, C::operational},
      {"one of two web servers down is degraded, not down", kAll, {up(), down()}, C::degraded},
      {"both down is down", kAll, {down(), down()}, C::down},
      {"any: one down is down", kAny, {up(), down()}, C::down},
      {"2 of 3: one down is degraded", k_of_n(2, 3), {up(), up(), down()}, C::degraded},
      {"2 of 3: two down is down", k_of_n(2, 3), {down(), up(), down()}, C::down},
      {"a warning degrades", kAll, {up(), {State::warn}}, C::degraded},
      {"an unknown check degrades", kAny, {up(), {State::unknown}}, C::degraded},
      {"pending checks beside a good one are no trouble",
       kAll,
       {up(), {State::pending}},
       C::operational},
      {"every check pending is no data", kAll, {{State::pending}, {State::pending}}, C::no_data},
      {"no checks is no data", kAll, {}, C::no_data},
  };
  for (const auto& c : cases) EXPECT_EQ(state_of(c.rule, c.checks), c.want) << c.story;
}

TEST(ComponentState, IgnoresPausedChecks) {
  EXPECT_EQ(state_of(kAll, {up(), paused(State::fail)}), ComponentState::operational);
  EXPECT_EQ(state_of(kAll, {down(), paused(State::ok)}), ComponentState::down)
      << "the paused check is not part of the pool: the one left is down";
  EXPECT_EQ(state_of(k_of_n(2, 3), {down(), paused(State::ok), paused(State::ok)}),
            ComponentState::down)
      << "a pool of three with two paused is a pool of one";
  EXPECT_EQ(state_of(kAll, {paused(State::ok), paused(State::fail)}), ComponentState::no_data);
}

TEST(ComponentState, MaintenanceWhenEveryCountedCheckIsInIt) {
  EXPECT_EQ(state_of(kAll, {maintained(State::fail), maintained(State::ok)}),
            ComponentState::maintenance);
  EXPECT_EQ(state_of(kAny, {maintained(State::fail), paused(State::fail)}),
            ComponentState::maintenance);
  EXPECT_EQ(state_of(kAny, {maintained(State::fail), up()}), ComponentState::operational)
      << "a check in maintenance does not count as failing";
  EXPECT_EQ(state_of(kAll, {maintained(State::ok), down()}), ComponentState::down)
      << "one of two servers out for maintenance and the other down: clients reach neither";
  EXPECT_EQ(state_of(k_of_n(2, 3), {maintained(State::ok), down(), up()}), ComponentState::degraded)
      << "the rule applies to the two checks in service: one of them down is not two";
  EXPECT_EQ(state_of(kAny, {maintained(State::ok), down()}), ComponentState::down);
}

TEST(Banner, SummarisesTheComponentsOfThePage) {
  using C = ComponentState;
  struct Case {
    std::vector<ComponentState> states;
    std::string_view want;
  } cases[] = {
      {{C::operational, C::operational}, "All systems operational"},
      {{C::operational, C::degraded}, "Degraded performance"},
      {{C::operational, C::down}, "Partial outage"},
      {{C::down, C::degraded}, "Partial outage"},
      {{C::down, C::down}, "Major outage"},
      {{C::down, C::no_data}, "Major outage"},
      {{C::operational, C::maintenance}, "Under maintenance"},
      {{C::degraded, C::maintenance}, "Degraded performance"},
      {{C::down, C::maintenance}, "Partial outage"},
      {{C::no_data, C::no_data}, "Waiting for first results"},
      {{C::operational, C::no_data}, "All systems operational"},
      {{}, "No components configured"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(derive_banner(c.states).text, c.want);
  }
  EXPECT_EQ(derive_banner(std::vector{C::down}).css_class, "s-dn");
}

TEST(ComponentUptime, TakesTheRulesKthWorstCheck) {
  std::vector<std::optional<double>> uptimes = {0.99, 0.999, 0.9, std::nullopt};
  EXPECT_DOUBLE_EQ(*combine_uptime(kAny, uptimes), 0.9) << "any: the worst check";
  EXPECT_DOUBLE_EQ(*combine_uptime(kAll, uptimes), 0.999) << "all: the best check with data";
  EXPECT_DOUBLE_EQ(*combine_uptime(k_of_n(2, 3), uptimes), 0.99) << "2 of 3: the second worst";
  EXPECT_DOUBLE_EQ(*combine_uptime(k_of_n(5, 5), uptimes), 0.999) << "k capped at the checks";
  EXPECT_FALSE(combine_uptime(kAll, std::vector<std::optional<double>>{std::nullopt}));
  EXPECT_EQ(rule_rank(kAll, 0), 0u);
}

namespace {

TestCheck check_with_days(std::string name, std::vector<std::uint32_t> failures_by_day) {
  TestCheck t = make_check(std::move(name), State::ok, kNow);
  // The last entries of failures_by_day are the last days (today last).
  for (std::size_t i = 0; i < failures_by_day.size(); ++i)
    t.view.days[t.view.days.size() - failures_by_day.size() + i].failures = failures_by_day[i];
  return t;
}

ComponentSpec component(std::string id, std::vector<std::string> checks, ComponentRule rule) {
  ComponentSpec c;
  c.id = id;
  c.name = id;
  c.checks = std::move(checks);
  c.rule = rule;
  return c;
}

}  // namespace

TEST(ComponentDays, CombineTheChecksDaysByTheRule) {
  StatusSnapshot s;
  add_check(s.checks, check_with_days("a", {144, 0, 0}));  // 10% down two days ago
  add_check(s.checks, check_with_days("b", {0, 72, 0}));   // 5% down yesterday
  const CheckIndex index(s.checks);

  auto all = evaluate_component(component("web", {"a", "b"}, kAll), index, {}, kNow);
  ASSERT_EQ(all.days.size(), 90u);
  EXPECT_EQ(all.days.back().day, floor<days>(kNow));
  EXPECT_DOUBLE_EQ(*all.days[87].uptime, 1.0) << "all: the best check of the day";
  EXPECT_EQ(all.days[87].failing_checks, 1u);
  EXPECT_TRUE(is_perfect(all.days[87])) << "by its rule the component was up all day";
  EXPECT_TRUE(is_perfect(all.days[89]));

  auto any = evaluate_component(component("web", {"a", "b"}, kAny), index, {}, kNow);
  EXPECT_DOUBLE_EQ(*any.days[87].uptime, 0.9);
  EXPECT_DOUBLE_EQ(*any.days[88].uptime, 0.95);
  EXPECT_EQ(grade_day(any.days[87]), DayGrade::major_outage);
}

TEST(ComponentDays, AreDegradedWhenTheRulesCheckWarned) {
  StatusSnapshot s;
  add_check(s.checks, check_with_days("a", {0}));
  add_check(s.checks, check_with_days("b", {0}));
  s.checks.view(0).days.back().warnings = 5;
  const CheckIndex index(s.checks);
  auto all = evaluate_component(component("web", {"a", "b"}, kAll), index, {}, kNow);
  EXPECT_TRUE(is_perfect(all.days.back())) << "the other server answered well all day";
  EXPECT_EQ(all.days.back().warning_checks, 1u);
  auto any = evaluate_component(component("web", {"a", "b"}, kAny), index, {}, kNow);
  EXPECT_EQ(grade_day(any.days.back()), DayGrade::degraded);
}

TEST(ComponentDays, PlaceDaysByDateAndLeaveMissingOnesWithoutData) {
  StatusSnapshot s;
  TestCheck young = make_check("young", State::ok, kNow);
  young.view.days = {DayBar{.day = floor<days>(kNow) - days{1}, .count = 100, .failures = 1}};
  add_check(s.checks, std::move(young));
  auto c =
      evaluate_component(component("c", {"young", "gone"}, kAll), CheckIndex(s.checks), {}, kNow);
  EXPECT_EQ(c.checks.size(), 1u) << "a check no longer in the snapshot is left out";
  EXPECT_FALSE(c.days[0].uptime);
  EXPECT_FALSE(c.days[89].uptime);
  EXPECT_DOUBLE_EQ(*c.days[88].uptime, 0.99);
}

TEST(ComponentDays, ListTheIncidentsOfEachDay) {
  StatusSnapshot s;
  add_check(s.checks, make_check("a", State::ok, kNow));
  StatusReport r;
  r.id = 7;
  r.title = "Checkout errors";
  r.components = {"web"};
  r.created_at = kNow - days{2};
  r.resolved_at = kNow - days{1};
  StatusReport elsewhere = r;
  elsewhere.components = {"db"};
  StatusReport maintenance = r;
  maintenance.kind = ReportKind::maintenance;
  std::vector<StatusReport> reports = {r, elsewhere, maintenance};
  auto c = evaluate_component(component("web", {"a"}, kAll), CheckIndex(s.checks), reports, kNow);
  ASSERT_EQ(c.days[87].incidents.size(), 1u);
  EXPECT_EQ(c.days[87].incidents[0]->id, 7);
  EXPECT_EQ(c.days[88].incidents.size(), 1u);
  EXPECT_TRUE(c.days[89].incidents.empty());
  EXPECT_EQ(grade_day(c.days[87]), DayGrade::degraded) << "a day with an incident is not clean";
}

TEST(ComponentStatus, DerivesStateAndUptimesFromItsChecks) {
  StatusSnapshot s;
  add_check(s.checks, make_check("web1", State::ok, kNow));
  add_check(s.checks, make_check("web2", State::fail, kNow));
  s.checks.view(1).uptime_30d = 0.9;
  auto c =
      evaluate_component(component("web", {"web1", "web2"}, kAll), CheckIndex(s.checks), {}, kNow);
  EXPECT_EQ(c.state, ComponentState::degraded);
  EXPECT_DOUBLE_EQ(*c.uptime_30d, 0.999);

  s.checks.view(1).paused = true;
  c = evaluate_component(component("web", {"web1", "web2"}, kAny), CheckIndex(s.checks), {}, kNow);
  EXPECT_EQ(c.state, ComponentState::operational) << "paused at runtime";
  EXPECT_DOUBLE_EQ(*c.uptime_30d, 0.999) << "a paused check's figures are left out too";
}

TEST(Reports, ConcernAPageThroughItsComponentsOrWhenTheyNameNone) {
  StatusPageSpec page;
  page.components = {"web", "db"};
  StatusReport r;
  EXPECT_TRUE(concerns(r, page)) << "no components: every page";
  r.components = {"mail", "db"};
  EXPECT_TRUE(concerns(r, page));
  r.components = {"mail"};
  EXPECT_FALSE(concerns(r, page));
}

TEST(DefaultSite, HasOnePageWithAComponentPerCheck) {
  StatusSnapshot s;
  s.title = "Acme";
  add_check(s.checks, make_check("api", State::ok, kNow, "Backend"));
  add_check(s.checks, make_check("blog", State::ok, kNow));
  s.checks.spec(0).description = "the API";
  SiteSpec site = default_site(s);
  ASSERT_EQ(site.pages.size(), 1u);
  EXPECT_EQ(site.pages[0].slug, "status");
  EXPECT_EQ(site.pages[0].title, "Acme");
  EXPECT_EQ(site.pages[0].components, (std::vector<std::string>{"api", "blog"}));
  ASSERT_EQ(site.components.size(), 2u);
  EXPECT_EQ(site.components[0].group, "Backend");
  EXPECT_EQ(site.components[0].description, "the API");
  EXPECT_EQ(site.components[0].checks, (std::vector<std::string>{"api"}));
  EXPECT_EQ(site.components[0].rule.kind, ComponentRule::Kind::all);
}
