// State changes: incidents, transitions, check states and the incident counter, and how
// promptly they become durable.

#include "store_fixture.hpp"

namespace lk::store::test {
namespace {

Incident open_incident(std::int64_t id, std::string check, TimePoint opened_at) {
  Incident incident;
  incident.id = id;
  incident.check = std::move(check);
  incident.severity = State::fail;
  incident.opened_at = opened_at;
  incident.cause = "connect to 10.0.0.5:443 refused";
  incident.last_message = incident.cause;
  return incident;
}

StateChange with_incidents(std::vector<Incident> incidents) {
  StateChange change;
  change.incidents = std::move(incidents);
  return change;
}

std::vector<std::int64_t> ids_of(const std::vector<Incident>& incidents) {
  std::vector<std::int64_t> ids;
  for (const Incident& incident : incidents) ids.push_back(incident.id);
  return ids;
}

TEST_F(StoreTest, AnIncidentIsUpsertedFromOpenToClosed) {
  auto store = open();
  Incident incident = open_incident(7, "web", at(0s));
  store->commit(with_incidents({incident}));
  store->flush();
  auto open_now = store->load_open_incidents();
  ASSERT_EQ(open_now.size(), 1u);
  EXPECT_EQ(open_now[0].id, 7);
  EXPECT_EQ(open_now[0].check, "web");
  EXPECT_EQ(open_now[0].severity, State::fail);
  EXPECT_EQ(open_now[0].opened_at, at(0s));
  EXPECT_FALSE(open_now[0].closed_at);
  EXPECT_EQ(open_now[0].cause, incident.cause);

  incident.last_message = "status 503";
  incident.closed_at = at(5min);
  store->commit(with_incidents({incident}));
  store->flush();
  EXPECT_TRUE(store->load_open_incidents().empty());
  const auto all = store->incidents({});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].closed_at, at(5min));
  EXPECT_EQ(all[0].last_message, "status 503");
  EXPECT_EQ(all[0].cause, incident.cause);
}

class IncidentQueries : public StoreTest {
 protected:
  void SetUp() override {
    store_ = open();
    // ids 1..6: odd ids for "web", even for "db"; 5 and 6 still open; id i opened at i hours.
    std::vector<Incident> incidents;
    for (std::int64_t id = 1; id <= 6; ++id) {
      Incident incident = open_incident(id, id % 2 ? "web" : "db", at(std::chrono::hours{id}));
      if (id <= 4) incident.closed_at = at(std::chrono::hours{id} + 30min);
      incidents.push_back(incident);
    }
    store_->commit(with_incidents(incidents));
    store_->flush();
  }
  std::unique_ptr<sqlite::SqliteStore> store_;
};

TEST_F(IncidentQueries, ComeNewestFirst) {
  EXPECT_EQ(ids_of(store_->incidents({})), (std::vector<std::int64_t>{6, 5, 4, 3, 2, 1}));
}

TEST_F(IncidentQueries, OpenOnlyLeavesOutClosedOnes) {
  IncidentQuery q;
  q.open_only = true;
  EXPECT_EQ(ids_of(store_->incidents(q)), (std::vector<std::int64_t>{6, 5}));
}

TEST_F(IncidentQueries, FilterByCheck) {
  IncidentQuery q;
  q.check = "web";
  EXPECT_EQ(ids_of(store_->incidents(q)), (std::vector<std::int64_t>{5, 3, 1}));
}

TEST_F(IncidentQueries, PageWithLimitAndBeforeId) {
  IncidentQuery q;
  q.limit = 2;
  EXPECT_EQ(ids_of(store_->incidents(q)), (std::vector<std::int64_t>{6, 5}));
  q.before_id = 5;
  EXPECT_EQ(ids_of(store_->incidents(q)), (std::vector<std::int64_t>{4, 3}));
  q.before_id = 3;
  EXPECT_EQ(ids_of(store_->incidents(q)), (std::vector<std::int64_t>{2, 1}));
  q.before_id = 1;
  EXPECT_TRUE(store_->incidents(q).empty());
}

TEST_F(IncidentQueries, SinceKeepsThoseStillOpenAfterIt) {
  IncidentQuery q;
  q.since = at(3h + 45min);  // incident 3 closed at 3:30, incident 4 at 4:30
  EXPECT_EQ(ids_of(store_->incidents(q)), (std::vector<std::int64_t>{6, 5, 4}));
}

TEST_F(IncidentQueries, FiltersCombine) {
  IncidentQuery q;
  q.check = "db";
  q.open_only = true;
  EXPECT_EQ(ids_of(store_->incidents(q)), (std::vector<std::int64_t>{6}));
}

TEST_F(StoreTest, TransitionsAreReadBackPerCheckOrForAllOldestFirst) {
  auto store = open();
  StateChange change;
  change.transitions = {
      {"web", "eu-west", State::ok, State::fail, false, at(10s), "timeout"},
      {"web", "eu-west", State::fail, State::fail, true, at(40s), "timeout"},
      {"web", "", State::ok, State::fail, true, at(40s), "2 of 3 locations fail"},
      {"db", "local", State::pending, State::ok, true, at(5s), "connected"},
  };
  store->commit(change);
  store->flush();

  const auto web = store->transitions("web", at(0s), at(1h), 100);
  ASSERT_EQ(web.size(), 3u);
  EXPECT_EQ(web[0].at, at(10s));
  EXPECT_EQ(web[0].location, "eu-west");
  EXPECT_EQ(web[0].from, State::ok);
  EXPECT_EQ(web[0].to, State::fail);
  EXPECT_FALSE(web[0].hard);
  EXPECT_EQ(web[0].message, "timeout");
  EXPECT_TRUE(web[1].hard);
  EXPECT_EQ(web[2].location, "");

  const auto all = store->transitions("", at(0s), at(1h), 100);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].check, "db");
  EXPECT_EQ(all[0].from, State::pending);

  EXPECT_EQ(store->transitions("web", at(0s), at(40s), 100).size(), 1u);
  EXPECT_EQ(store->transitions("", at(0s), at(1h), 2).size(), 2u);
}

TEST_F(StoreTest, CheckStatesAndTheIncidentCounterSurviveAReopen) {
  {
    auto store = open();
    EXPECT_EQ(store->load_next_incident_id(), 1);
    StateChange first;
    first.check_states = {{"web", "v1 state of web"}, {"db", "v1 state of db"}};
    first.next_incident_id = 41;
    store->commit(first);
    StateChange second;
    second.check_states = {{"web", "v1 newer state of web"}};
    second.removed_checks = {"db"};
    second.incidents = {open_incident(40, "web", at(0s))};
    second.next_incident_id = 42;
    store->commit(second);
  }
  auto reopened = open();
  const auto states = reopened->load_check_states();
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].first, "web");
  EXPECT_EQ(states[0].second, "v1 newer state of web");
  EXPECT_EQ(reopened->load_next_incident_id(), 42);
  ASSERT_EQ(reopened->load_open_incidents().size(), 1u);
  EXPECT_EQ(reopened->load_open_incidents()[0].id, 40);
}

TEST_F(StoreTest, TheIncidentCounterNeverPointsAtAnIdAlreadyStored) {
  auto store = open();
  store->commit(with_incidents({open_incident(9, "web", at(0s))}));  // no counter with it
  store->flush();
  EXPECT_EQ(store->load_next_incident_id(), 10);
}

TEST_F(StoreTest, AStateChangeBecomesDurableWithoutFlushAndTakesQueuedResultsAlong) {
  auto store = open();  // results alone would wait an hour
  store->append(result("web", 0s, 1, Status::fail));
  store->commit(with_incidents({open_incident(1, "web", at(0s))}));
  EXPECT_TRUE(eventually([&] { return store->load_open_incidents().size() == 1; }));
  EXPECT_EQ(store->results("web", at(0s), at(1h), 10).size(), 1u);
}

}  // namespace
}  // namespace lk::store::test
