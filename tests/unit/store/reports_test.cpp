// Status reports and check pauses: created and replaced whole, a timeline of updates that moves
// the report's state, listed newest first through filters and pages, durable on return, and a
// schema migration that leaves an older database's data in place.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>
#include <vector>

#include "store/sqlite/database.hpp"
#include "store/sqlite/migrations.hpp"
#include "store_fixture.hpp"

namespace lk::store::test {
namespace {

/// Every field of a report on one line each, so that a mismatch shows which field differs.
std::string describe(const StatusReport& r) {
  const auto ms = [](std::optional<TimePoint> t) {
    return t ? std::to_string(t->time_since_epoch().count()) : std::string("-");
  };
  std::ostringstream out;
  out << "id " << r.id << "\nkind " << to_string(r.kind) << "\ntitle " << r.title << "\nstate "
      << to_string(r.state) << "\nimpact " << to_string(r.impact) << "\ncomponents";
  for (const std::string& c : r.components) out << ' ' << c;
  out << "\nincidents";
  for (const std::int64_t i : r.incidents) out << ' ' << i;
  out << "\nautomatic " << r.automatic << "\ncreated " << ms(r.created_at) << "\nupdated "
      << ms(r.updated_at) << "\nresolved " << ms(r.resolved_at) << "\nstarts " << ms(r.starts_at)
      << "\nends " << ms(r.ends_at) << '\n';
  for (const ReportUpdate& u : r.updates)
    out << "update " << u.id << ' ' << ms(u.at) << ' ' << to_string(u.state) << ' ' << u.author
        << ": " << u.message << '\n';
  return out.str();
}

std::vector<std::int64_t> ids(const std::vector<StatusReport>& reports) {
  std::vector<std::int64_t> out;
  for (const StatusReport& r : reports) out.push_back(r.id);
  return out;
}

class ReportsTest : public StoreTest {
 protected:
  /// An incident report opened `offset` after the clock's start, with no updates.
  StatusReport incident(std::string title, std::vector<std::string> components,
                        Duration offset = 0s) const {
    StatusReport r;
    r.kind = ReportKind::incident;
    r.title = std::move(title);
    r.state = ReportState::investigating;
    r.impact = Impact::major;
    r.components = std::move(components);
    r.created_at = at(offset);
    r.updated_at = at(offset);
    return r;
  }

  StatusReport maintenance(std::string title, std::vector<std::string> components,
                           Duration offset = 0s) const {
    StatusReport r = incident(std::move(title), std::move(components), offset);
    r.kind = ReportKind::maintenance;
    r.state = ReportState::scheduled;
    r.impact = Impact::none;
    r.starts_at = at(offset + 24h);
    r.ends_at = at(offset + 26h);
    return r;
  }

  ReportUpdate update(Duration offset, ReportState state, std::string message,
                      std::string author = "ops") const {
    ReportUpdate u;
    u.at = at(offset);
    u.state = state;
    u.message = std::move(message);
    u.author = std::move(author);
    return u;
  }
};

TEST_F(ReportsTest, ACreatedReportGetsIdsForItAndItsUpdatesAndIsReadBackAsStored) {
  auto store = open();
  StatusReport r = incident("Checkout is slow", {"checkout", "api"});
  r.incidents = {42, 43};
  r.automatic = true;
  r.updates = {update(5min, ReportState::identified, "A bad deploy.", "lightkeeper"),
               update(0s, ReportState::investigating, "We are looking into it.", "lightkeeper")};

  const StatusReport stored = store->save_report(r);  // no flush(): committed on return
  EXPECT_GT(stored.id, 0);
  ASSERT_EQ(stored.updates.size(), 2u);
  // Newest first, and the older one was stored first.
  EXPECT_EQ(stored.updates[0].message, "A bad deploy.");
  EXPECT_EQ(stored.updates[1].message, "We are looking into it.");
  EXPECT_GT(stored.updates[1].id, 0);
  EXPECT_GT(stored.updates[0].id, stored.updates[1].id);

  StatusReport expected = r;
  expected.id = stored.id;
  expected.updates[0].id = stored.updates[0].id;
  expected.updates[1].id = stored.updates[1].id;
  EXPECT_EQ(describe(stored), describe(expected));
  const auto read = store->status_report(stored.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(describe(*read), describe(expected));
  EXPECT_FALSE(store->status_report(stored.id + 1));
}

TEST_F(ReportsTest, AMaintenanceWindowKeepsItsTimes) {
  auto store = open();
  const StatusReport stored = store->save_report(maintenance("Database upgrade", {"db"}));
  EXPECT_EQ(stored.kind, ReportKind::maintenance);
  EXPECT_EQ(stored.state, ReportState::scheduled);
  EXPECT_EQ(stored.starts_at, at(24h));
  EXPECT_EQ(stored.ends_at, at(26h));
  EXPECT_FALSE(stored.resolved_at);
  EXPECT_TRUE(stored.updates.empty());
}

TEST_F(ReportsTest, SavingAnExistingReportReplacesItsFieldsButNotItsUpdates) {
  auto store = open();
  StatusReport r = incident("Checkout is slow", {"checkout", "api"});
  r.incidents = {42};
  r.updates = {update(0s, ReportState::investigating, "Looking.")};
  const StatusReport created = store->save_report(r);

  StatusReport edited = created;
  edited.title = "Checkout fails for card payments";
  edited.impact = Impact::critical;
  edited.components = {"payments"};
  edited.incidents = {44, 45};
  edited.updated_at = at(10min);
  edited.ends_at = at(1h);
  edited.updates = {update(9min, ReportState::monitoring, "must not be stored")};
  const StatusReport saved = store->save_report(edited);

  StatusReport expected = edited;
  expected.updates = created.updates;
  EXPECT_EQ(describe(saved), describe(expected));
  EXPECT_EQ(describe(*store->status_report(created.id)), describe(expected));
  EXPECT_EQ(store->status_reports({}).size(), 1u);
}

// Store::save_report() replaces the fields it names; the kind and who opened the report say
// what it is, and stay as created.
TEST_F(ReportsTest, SavingAnExistingReportKeepsItsKindAndAutomaticFlag) {
  auto store = open();
  StatusReport r = incident("Checkout is slow", {});
  r.automatic = true;
  StatusReport edited = store->save_report(r);
  edited.kind = ReportKind::maintenance;
  edited.automatic = false;
  const StatusReport saved = store->save_report(edited);
  EXPECT_EQ(saved.kind, ReportKind::incident);
  EXPECT_TRUE(saved.automatic);
}

TEST_F(ReportsTest, SavingAReportThatDoesNotExistThrowsInvalidArgumentAndStoresNothing) {
  auto store = open();
  StatusReport r = incident("Ghost", {});
  r.id = 17;
  EXPECT_THROW(store->save_report(r), std::invalid_argument);
  EXPECT_TRUE(store->status_reports({}).empty());
}

TEST_F(ReportsTest, UpdatesMoveTheStateAndResolvingThenReopeningSetsAndClearsResolvedAt) {
  auto store = open();
  const std::int64_t id = store->save_report(incident("API errors", {"api"})).id;

  struct Step {
    Duration at;
    ReportState state;
    std::optional<Duration> resolved_at;  ///< expected afterwards
  };
  const Step steps[] = {
      {2min, ReportState::identified, std::nullopt},
      {10min, ReportState::monitoring, std::nullopt},
      {30min, ReportState::resolved, 30min},
      {45min, ReportState::investigating, std::nullopt},  // it came back
      {60min, ReportState::resolved, 60min},
  };
  for (const Step& step : steps) {
    SCOPED_TRACE(std::string(to_string(step.state)) + " at " + format_duration(step.at));
    const StatusReport stored = store->add_report_update(
        id, update(step.at, step.state, "now " + std::string(to_string(step.state))));
    EXPECT_EQ(stored.state, step.state);
    EXPECT_EQ(stored.updated_at, at(step.at));
    EXPECT_EQ(stored.resolved_at,
              step.resolved_at ? std::optional(at(*step.resolved_at)) : std::nullopt);
    EXPECT_EQ(stored.created_at, at(0s));
    ASSERT_FALSE(stored.updates.empty());
    EXPECT_EQ(stored.updates[0].at, at(step.at));  // the newest first
    EXPECT_EQ(describe(*store->status_report(id)), describe(stored));
  }
  const StatusReport last = *store->status_report(id);
  ASSERT_EQ(last.updates.size(), 5u);
  EXPECT_EQ(last.updates[4].state, ReportState::identified);
  EXPECT_EQ(last.updates[2].message, "now resolved");
  EXPECT_EQ(last.updates[2].author, "ops");
}

TEST_F(ReportsTest, CompletingAMaintenanceClosesIt) {
  auto store = open();
  const std::int64_t id = store->save_report(maintenance("Database upgrade", {"db"})).id;
  store->add_report_update(id, update(24h, ReportState::in_progress, "Started."));
  EXPECT_FALSE(store->status_report(id)->resolved_at);
  const StatusReport done =
      store->add_report_update(id, update(25h, ReportState::completed, "Done."));
  EXPECT_EQ(done.resolved_at, at(25h));
  EXPECT_EQ(ids(store->status_reports({.open = false})), (std::vector<std::int64_t>{id}));
}

TEST_F(ReportsTest, AnUpdateOfAReportThatDoesNotExistThrowsInvalidArgumentAndIsNotStored) {
  auto store = open();
  EXPECT_THROW(store->add_report_update(99, update(0s, ReportState::resolved, "?")),
               std::invalid_argument);
  sqlite::Database db(options().path, sqlite::Database::Access::read_only, 5s);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM status_report_updates"), 0);
}

TEST_F(ReportsTest, FiltersNarrowTheListWhichIsNewestFirst) {
  auto store = open();
  StatusReport web_down = incident("Web down", {"web"}, 0s);
  web_down.incidents = {7};
  const std::int64_t web = store->save_report(web_down).id;
  const std::int64_t db_upgrade = store->save_report(maintenance("DB upgrade", {"db"}, 1h)).id;
  StatusReport outage = incident("Network outage", {}, 2h);  // no components: every one
  outage.state = ReportState::resolved;
  outage.resolved_at = at(3h);
  const std::int64_t everywhere = store->save_report(outage).id;
  StatusReport both_down = incident("Web and DB down", {"web", "db"}, 4h);
  both_down.incidents = {8, 9};
  const std::int64_t both = store->save_report(both_down).id;
  StatusReport api_done = maintenance("API move", {"api"}, 5h);
  api_done.state = ReportState::completed;
  const std::int64_t api = store->save_report(api_done).id;

  // One call per case rather than a table of queries: g++ 12 warns (maybe-uninitialized) on
  // an initializer list of aggregates that hold a std::optional<std::string>.
  const auto expect = [&](const char* name, const ReportQuery& query,
                          const std::vector<std::int64_t>& expected) {
    EXPECT_EQ(ids(store->status_reports(query)), expected) << name;
  };
  expect("everything", {}, {api, both, everywhere, db_upgrade, web});
  expect("incidents", {.kind = ReportKind::incident}, {both, everywhere, web});
  expect("maintenance", {.kind = ReportKind::maintenance}, {api, db_upgrade});
  expect("open", {.open = true}, {both, db_upgrade, web});
  expect("closed", {.open = false}, {api, everywhere});
  expect("web, and what concerns every component", {.component = "web"}, {both, everywhere, web});
  expect("db", {.component = "db"}, {both, everywhere, db_upgrade});
  expect("a component no report names", {.component = "mail"}, {everywhere});
  expect("detected incident 7", {.incident = 7}, {web});
  expect("detected incident 9", {.incident = 9}, {both});
  expect("a detected incident without a report", {.incident = 10}, {});
  expect("updated at 4h or later", {.since = at(4h)}, {api, both});
  expect("updated after everything", {.since = at(5h + 1ms)}, {});
  expect("open incidents of db", {.kind = ReportKind::incident, .open = true, .component = "db"},
         {both});
  expect("closed maintenance since 1h",
         {.kind = ReportKind::maintenance, .open = false, .since = at(1h)}, {api});

  // Each listed report comes with everything status_report() has.
  for (const StatusReport& r : store->status_reports({}))
    EXPECT_EQ(describe(r), describe(*store->status_report(r.id)));
}

TEST_F(ReportsTest, EachListedReportHasItsUpdatesNewestFirst) {
  auto store = open();
  const std::int64_t first = store->save_report(incident("A", {})).id;
  const std::int64_t second = store->save_report(incident("B", {})).id;
  store->add_report_update(first, update(1min, ReportState::identified, "a1"));
  store->add_report_update(second, update(2min, ReportState::identified, "b1"));
  store->add_report_update(first, update(3min, ReportState::resolved, "a2"));

  const auto listed = store->status_reports({});
  ASSERT_EQ(ids(listed), (std::vector<std::int64_t>{second, first}));
  ASSERT_EQ(listed[0].updates.size(), 1u);
  EXPECT_EQ(listed[0].updates[0].message, "b1");
  ASSERT_EQ(listed[1].updates.size(), 2u);
  EXPECT_EQ(listed[1].updates[0].message, "a2");
  EXPECT_EQ(listed[1].updates[1].message, "a1");
}

TEST_F(ReportsTest, PagesFollowEachOtherByBeforeIdUntilTheOldest) {
  auto store = open();
  std::vector<std::int64_t> created;
  for (int i = 0; i < 7; ++i)
    created.push_back(store->save_report(incident("r" + std::to_string(i), {})).id);

  std::vector<std::vector<std::int64_t>> pages;
  std::int64_t before = 0;
  for (;;) {
    const auto page = store->status_reports({.limit = 3, .before_id = before});
    if (page.empty()) break;
    pages.push_back(ids(page));
    before = page.back().id;
  }
  EXPECT_EQ(pages, (std::vector<std::vector<std::int64_t>>{
                       {created[6], created[5], created[4]},
                       {created[3], created[2], created[1]},
                       {created[0]},
                   }));
  // The paging combines with a filter.
  EXPECT_EQ(ids(store->status_reports(
                {.kind = ReportKind::incident, .limit = 1, .before_id = created[3]})),
            (std::vector<std::int64_t>{created[2]}));
}

TEST_F(ReportsTest, ADeletedReportIsGoneWithItsUpdatesAndItsIdIsNeverReused) {
  auto store = open();
  const std::int64_t kept = store->save_report(incident("Kept", {"web"})).id;
  StatusReport mistaken = incident("Posted by mistake", {"web"});
  mistaken.incidents = {7};
  mistaken.updates = {update(0s, ReportState::investigating, "oops")};
  const std::int64_t id = store->save_report(mistaken).id;
  store->add_report_update(id, update(1min, ReportState::resolved, "oops again"));

  EXPECT_TRUE(store->delete_report(id));
  EXPECT_FALSE(store->status_report(id));
  EXPECT_EQ(ids(store->status_reports({})), (std::vector<std::int64_t>{kept}));
  EXPECT_TRUE(store->status_reports({.incident = 7}).empty());
  EXPECT_FALSE(store->delete_report(id));
  EXPECT_FALSE(store->delete_report(12345));
  {
    sqlite::Database db(options().path, sqlite::Database::Access::read_only, 5s);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM status_report_updates"), 0);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM status_report_components"), 1);  // kept's
    EXPECT_EQ(db.query_int("SELECT count(*) FROM status_report_incidents"), 0);
  }
  // The deleted report's URL may be in a notification already: it must not name another one.
  EXPECT_GT(store->save_report(incident("Next", {})).id, id);
}

TEST_F(ReportsTest, PausingTwiceReplacesThePauseAndResumingReportsWhetherItWasPaused) {
  auto store = open();
  EXPECT_TRUE(store->paused_checks().empty());
  store->pause_check(CheckPause{"web", at(0s), "ops", "deploying"});
  store->pause_check(CheckPause{"db", at(1min), "ci", "migration"});
  store->pause_check(CheckPause{"web", at(2min), "alice", "longer deploy"});

  const auto paused = store->paused_checks();
  ASSERT_EQ(paused.size(), 2u);  // by check name
  EXPECT_EQ(paused[0].check, "db");
  EXPECT_EQ(paused[1].check, "web");
  EXPECT_EQ(paused[1].at, at(2min));
  EXPECT_EQ(paused[1].author, "alice");
  EXPECT_EQ(paused[1].reason, "longer deploy");

  EXPECT_TRUE(store->resume_check("web"));
  EXPECT_FALSE(store->resume_check("web"));
  EXPECT_FALSE(store->resume_check("never-paused"));
  ASSERT_EQ(store->paused_checks().size(), 1u);
  EXPECT_EQ(store->paused_checks()[0].check, "db");
}

TEST_F(ReportsTest, ReportsAndPausesSurviveClosingAndReopeningTheStore) {
  std::string before;
  {
    auto store = open_sqlite(options(), clock_);
    StatusReport r = incident("Web down", {"web", "api"});
    r.incidents = {3};
    r.updates = {update(0s, ReportState::investigating, "Looking.")};
    const std::int64_t id = store->save_report(r).id;
    before = describe(store->add_report_update(id, update(5min, ReportState::resolved, "Fixed.")));
    store->pause_check(CheckPause{"web", at(1min), "ops", "deploying"});
  }
  auto reopened = open_sqlite(options(), clock_);
  const auto reports = reopened->status_reports({});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(describe(reports[0]), before);
  const auto paused = reopened->paused_checks();
  ASSERT_EQ(paused.size(), 1u);
  EXPECT_EQ(paused[0].check, "web");
  EXPECT_EQ(paused[0].reason, "deploying");
}

// The writer waits an hour before flushing results on its own (the fixture's flush_interval):
// a report must not wait with them, and must survive what loses them.
TEST_F(ReportsTest, AReportAndAPauseSurviveAKillNineRightAfterTheCallsReturn) {
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    // No gtest assertions here: the child only writes and dies.
    auto store = open();
    const std::int64_t id = store->save_report(incident("Web down", {"web"})).id;
    store->add_report_update(id, update(1min, ReportState::identified, "Found it."));
    store->pause_check(CheckPause{"web", at(0s), "ops", "deploying"});
    store->append(result("web", 0s, 1));  // queued, not committed: lost with the process
    kill(getpid(), SIGKILL);
    _exit(1);  // not reached
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  auto reopened = open();
  const auto reports = reopened->status_reports({});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].state, ReportState::identified);
  EXPECT_EQ(reports[0].updates.size(), 1u);
  EXPECT_EQ(reopened->paused_checks().size(), 1u);
  EXPECT_TRUE(reopened->results("web", at(0s), at(1h), 10).empty());
}

// A lightkeeper upgraded from schema 2 (the outbox) opens its old database: 0003 adds the
// report and pause tables and leaves the data already there alone.
TEST_F(ReportsTest, MigrationThreeAppliesToADatabaseOfTheSchemaBefore) {
  const auto migrations = sqlite::embedded_migrations();
  ASSERT_GE(migrations.size(), 3u);
  ASSERT_EQ(migrations[2].file, "0003_status_reports.sql");
  {
    sqlite::Database db(options().path, sqlite::Database::Access::read_write_create, 5s);
    db.exec("PRAGMA journal_mode = WAL", "test");
    sqlite::migrate(db, migrations.first(2));
    ASSERT_EQ(sqlite::schema_version(db), 2);
    db.exec(
        "INSERT INTO incidents (id, check_name, severity, opened_at, cause, last_message) "
        "VALUES (5, 'web', 'fail', 0, 'timeout', 'timeout');"
        "INSERT INTO notifications (created_at, channel, kind, check_name, idempotency_key, "
        "payload, first_attempt_at, next_attempt_at) "
        "VALUES (0, 'ops-hook', 'trigger', 'web', 'k', '{}', 0, 0);",
        "write schema 2 data");
  }

  auto store = open();
  {
    sqlite::Database db(options().path, sqlite::Database::Access::read_only, 5s);
    EXPECT_EQ(sqlite::schema_version(db), 3);
  }
  EXPECT_EQ(store->incidents({}).size(), 1u);
  EXPECT_EQ(store->notifications({}).size(), 1u);
  StatusReport r = incident("Web down", {"web"});
  r.incidents = {5};
  const std::int64_t id = store->save_report(r).id;
  EXPECT_EQ(ids(store->status_reports({.incident = 5})), (std::vector<std::int64_t>{id}));
  store->pause_check(CheckPause{"web", at(0s), "ops", ""});
  EXPECT_EQ(store->paused_checks().size(), 1u);
}

}  // namespace
}  // namespace lk::store::test
