// The public side of the running monitor, from the config: default pages and components, and
// the maintenance windows that announced maintenance holds alerts with. The automatic reports
// themselves run against the real daemon (tests/integration/test_status_api.py, test_demo.py).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alert/maintenance/window.hpp"
#include "app/site.hpp"

namespace lk::app {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

config::Config two_checks() {
  config::Config c;
  c.title = "Hosting Co";
  for (const char* name : {"web-1", "db"}) {
    config::Check check;
    check.spec.name = name;
    check.spec.group = "Shop";
    c.checks.push_back(check);
  }
  return c;
}

TEST(MakeSite, WithoutPagesOrComponentsEveryCheckIsAComponentOfOnePage) {
  auto site = make_site(two_checks());
  ASSERT_EQ(site->components.size(), 2u);
  EXPECT_EQ(site->components[0].id, "web-1");
  EXPECT_EQ(site->components[0].group, "Shop");
  EXPECT_THAT(site->components[1].checks, ElementsAre("db"));
  EXPECT_EQ(site->components[1].rule.kind, ComponentRule::Kind::all);
  ASSERT_EQ(site->pages.size(), 1u);
  EXPECT_EQ(site->pages[0].slug, "status");
  EXPECT_EQ(site->pages[0].title, "Hosting Co");
  EXPECT_THAT(site->pages[0].components, ElementsAre("web-1", "db"));
}

TEST(MakeSite, APageWithoutAComponentListShowsEveryComponent) {
  auto c = two_checks();
  c.components.push_back({"shop", "Shop", "", "", {"web-1", "db"}, {}});
  c.components.push_back({"web", "Web", "", "", {"web-1"}, {}});
  StatusPageSpec all, one;
  all.slug = "all";
  one.slug = "one";
  one.components = {"web"};
  c.status_pages = {all, one};
  c.api.tokens.push_back({"ci", "0123456789abcdef", ApiToken::Scope::write});
  auto site = make_site(c);
  EXPECT_THAT(site->pages[0].components, ElementsAre("shop", "web"));
  EXPECT_THAT(site->pages[1].components, ElementsAre("web"));
  EXPECT_EQ(site->api.tokens.size(), 1u);
}

TEST(AnnouncedMaintenance, CoversTheChecksOfItsComponentsForItsWindow) {
  auto c = two_checks();
  c.components.push_back({"web", "Web", "", "", {"web-1"}, {}});
  auto site = make_site(c);
  const TimePoint t0{std::chrono::seconds{1'800'000'000}};
  StatusReport m;
  m.id = 7;
  m.kind = ReportKind::maintenance;
  m.title = "Upgrade";
  m.components = {"web"};
  m.starts_at = t0;
  m.ends_at = t0 + std::chrono::hours(2);
  StatusReport everything = m;
  everything.id = 8;
  everything.components.clear();
  StatusReport early = m;  // completed after one hour: the window ends then
  early.id = 9;
  early.resolved_at = t0 + std::chrono::hours(1);
  StatusReport gone = m;  // its component left the config: it holds nothing
  gone.id = 10;
  gone.components = {"removed"};
  StatusReport incident = m;
  incident.kind = ReportKind::incident;
  auto windows = announced_maintenance({m, everything, early, gone, incident}, *site);
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_THAT(windows[0].match.checks, ElementsAre("web-1"));
  EXPECT_TRUE(alert::maintenance::active_at(windows[0].window, t0 + std::chrono::minutes(90)));
  EXPECT_FALSE(alert::maintenance::active_at(windows[0].window, t0 + std::chrono::hours(2)));
  EXPECT_THAT(windows[1].match.checks, IsEmpty());  // every check
  EXPECT_FALSE(alert::maintenance::active_at(windows[2].window, t0 + std::chrono::minutes(90)));
}

}  // namespace
}  // namespace lk::app
