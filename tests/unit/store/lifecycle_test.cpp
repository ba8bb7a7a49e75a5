// Opening, migrating, retention, and writing through failures.

#include <array>
#include <fstream>

#include "store/sqlite/database.hpp"
#include "store/sqlite/migrations.hpp"
#include "store_fixture.hpp"

namespace lk::store::test {
namespace {

using sqlite::Database;
using sqlite::EmbeddedMigration;

Database open_raw(const std::string& path) {
  return Database(path, Database::Access::read_write_create, std::chrono::seconds{5});
}

bool table_exists(Database& db, const std::string& table) {
  return db.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" +
                      table + "'") == 1;
}

TEST_F(StoreTest, MigrationsRunOnceAndAReopenedStoreKeepsItsData) {
  {
    auto store = open();
    store->append(result("web", 0s, 1));
  }
  {
    auto reopened = open();  // would fail if 0001 ran again (its tables exist)
    EXPECT_EQ(reopened->results("web", at(0s), at(1h), 10).size(), 1u);
  }
  Database db = open_raw(options().path);
  EXPECT_EQ(sqlite::schema_version(db), sqlite::embedded_migrations().back().version);
  EXPECT_EQ(db.query_text("PRAGMA journal_mode"), "wal");
}

TEST_F(StoreTest, EmbeddedMigrationsAreNumberedFromOneWithoutGaps) {
  const auto migrations = sqlite::embedded_migrations();
  ASSERT_FALSE(migrations.empty());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i + 1));
    EXPECT_FALSE(migrations[i].sql.empty());
  }
  EXPECT_EQ(migrations.front().file, "0001_initial.sql");
}

TEST_F(StoreTest, MigrateAppliesOnlyTheMigrationsNewerThanTheDatabase) {
  Database db = open_raw(options().path);
  const std::array<EmbeddedMigration, 2> migrations = {{
      {1, "0001_a.sql", "CREATE TABLE a (x);"},
      {2, "0002_b.sql", "CREATE TABLE b (x); INSERT INTO b VALUES (1);"},
  }};
  sqlite::migrate(db, std::span(migrations).first(1));
  EXPECT_EQ(sqlite::schema_version(db), 1);
  sqlite::migrate(db, migrations);
  EXPECT_EQ(sqlite::schema_version(db), 2);
  sqlite::migrate(db, migrations);  // nothing left to do: 0002 must not insert again
  EXPECT_EQ(db.query_int("SELECT count(*) FROM b"), 1);
}

TEST_F(StoreTest, AFailingMigrationIsRolledBackAndNamed) {
  Database db = open_raw(options().path);
  const std::array<EmbeddedMigration, 2> migrations = {{
      {1, "0001_a.sql", "CREATE TABLE a (x);"},
      {2, "0002_broken.sql", "CREATE TABLE c (x); CREATE TABLE oops"},
  }};
  try {
    sqlite::migrate(db, migrations);
    FAIL() << "expected the broken migration to throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("0002_broken.sql"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(options().path), std::string::npos) << e.what();
  }
  EXPECT_EQ(sqlite::schema_version(db), 1);
  EXPECT_TRUE(table_exists(db, "a"));
  EXPECT_FALSE(table_exists(db, "c"));
}

TEST_F(StoreTest, ADatabaseFromANewerLightkeeperIsRefusedAtOpen) {
  open().reset();
  {
    Database db = open_raw(options().path);
    db.exec("PRAGMA user_version = 99", "test");
  }
  try {
    open();
    FAIL() << "expected open to refuse schema version 99";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("99"), std::string::npos) << message;
    EXPECT_NE(message.find(options().path), std::string::npos) << message;
    EXPECT_NE(message.find("newer"), std::string::npos) << message;
  }
}

TEST_F(StoreTest, OpeningAPathInAMissingDirectoryThrowsNamingThePath) {
  SqliteOptions o = options();
  o.path = (dir_.path() / "no-such-dir" / "lightkeeper.db").string();
  try {
    open_sqlite(o, clock_);
    FAIL() << "expected open to fail";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(o.path), std::string::npos) << e.what();
  }
}

TEST_F(StoreTest, OpeningAFileThatIsNotADatabaseThrowsNamingThePath) {
  const std::string path = options().path;
  {
    std::ofstream junk(path);
    junk << "this is not a database, just some text that is long enough to have a header\n";
  }
  try {
    open();
    FAIL() << "expected open to fail";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST_F(StoreTest, PruneDeletesOldRawResultsAndFineRollupsButKeepsDayRollups) {
  SqliteOptions o = options();
  o.raw_retention = 24h * 30;
  auto store = open(o);
  // 31 days ago: older than raw results, minute rollups (8 d) keep; not hour rollups (400 d).
  store->append(result("web", -24h * 31, 10));
  store->append(result("web", -24h * 31 + 5min, 20));
  store->append(result("web", -1h, 30));  // recent: everything about it stays
  store->flush();

  const sqlite::PruneReport report = store->prune(clock_.now());
  EXPECT_EQ(report.raw_results, 2u);
  EXPECT_EQ(report.minute_rollups, 2u);
  EXPECT_EQ(report.hour_rollups, 0u);

  const auto raw = store->results("web", at(-24h * 400), at(1h), 100);
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0].started_at, at(-1h));
  EXPECT_EQ(store->rollups("web", Resolution::minute, at(-24h * 400), at(1h)).size(), 1u);
  EXPECT_EQ(store->rollups("web", Resolution::hour, at(-24h * 400), at(1h)).size(), 2u);
  const auto days = store->rollups("web", Resolution::day, at(-24h * 400), at(24h));
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].count, 2);

  // A year and more later only the day rollups are left.
  store->prune(clock_.now() + 24h * 500);
  EXPECT_TRUE(store->results("web", at(-24h * 400), at(1h), 100).empty());
  EXPECT_TRUE(store->rollups("web", Resolution::hour, at(-24h * 400), at(1h)).empty());
  EXPECT_EQ(store->rollups("web", Resolution::day, at(-24h * 400), at(24h)).size(), 2u);
}

TEST_F(StoreTest, PruneDeletesMoreThanOneChunkOfOldResults) {
  auto store = open();
  for (int i = 0; i < 12'000; ++i)
    store->append(result("web", -24h * 40 + std::chrono::seconds{i}, 1));
  store->flush();
  EXPECT_EQ(store->prune(clock_.now()).raw_results, 12'000u);
  EXPECT_TRUE(store->results("web", at(-24h * 400), at(1h), 10).empty());
}

TEST_F(StoreTest, RetentionRunsOnItsOwnScheduleAsOfTheClock) {
  {
    auto store = open();
    store->append(result("web", -24h * 31, 10));
  }
  SqliteOptions o = options();
  o.prune_interval = 0s;  // due as soon as the writer starts
  auto store = open(o);
  EXPECT_TRUE(eventually([&] { return store->results("web", at(-24h * 40), at(1h), 10).empty(); }));
}

TEST_F(StoreTest, AWriteBlockedByAnotherConnectionIsRetriedAndLosesNothing) {
  SqliteOptions o = options();
  o.busy_timeout = 10ms;
  auto store = open(o);
  Database other = open_raw(o.path);
  other.exec("BEGIN IMMEDIATE", "take the write lock");

  store->append(result("web", 0s, 1));
  StateChange change;
  change.check_states = {{"web", "state"}};
  store->commit(change);
  EXPECT_TRUE(eventually([&] { return store->stats().write_failures >= 2; }));
  // Reads go on while the writer is stuck: they never wait for a write lock.
  EXPECT_TRUE(store->load_check_states().empty());
  EXPECT_GE(store->stats().queue_depth, 2u);

  other.exec("COMMIT", "release the write lock");
  store->flush();
  EXPECT_EQ(store->results("web", at(0s), at(1h), 10).size(), 1u);
  EXPECT_EQ(store->load_check_states().size(), 1u);
  EXPECT_EQ(store->stats().queue_depth, 0u);
}

TEST_F(StoreTest, WhileWritesFailTheOldestResultsBeyondTheCapAreDroppedButNoStateChange) {
  SqliteOptions o = options();
  o.busy_timeout = 10ms;
  o.max_pending_results = 5;
  auto store = open(o);
  Database other = open_raw(o.path);
  other.exec("BEGIN IMMEDIATE", "take the write lock");

  for (int i = 0; i < 10; ++i) store->append(result("web", std::chrono::seconds{i}, 1));
  StateChange change;
  change.check_states = {{"web", "state"}};
  store->commit(change);  // due at once: the writer takes all ten results with it
  EXPECT_TRUE(eventually([&] { return store->stats().results_dropped == 5; }));

  other.exec("COMMIT", "release the write lock");
  store->flush();
  const auto kept = store->results("web", at(0s), at(1h), 100);
  ASSERT_EQ(kept.size(), 5u);
  EXPECT_EQ(kept.front().started_at, at(5s));
  EXPECT_EQ(store->load_check_states().size(), 1u);
}

}  // namespace
}  // namespace lk::store::test
