// Restarts: the engine's state goes to the store as encoded rows and comes back through
// decode() and restore(). Continuing the same story afterwards must neither reopen an incident
// nor repeat a transition that was already reported before the restart.

#include <gtest/gtest.h>

#include <map>

#include "story.hpp"

namespace lk::state::testing {
namespace {

// What the store keeps: only what the engine asked to persist, the way app/ will save it.
class PersistedRows {
 public:
  void save(const StateEngine& engine, const Transitions& t) {
    for (const auto& name : t.changed_checks) {
      if (const CheckState* state = engine.state(name)) {
        check_rows_[name] = StateEngine::encode(*state);
      } else {
        check_rows_.erase(name);
      }
    }
    for (const auto* list : {&t.opened, &t.updated, &t.closed}) {
      for (const auto& incident : *list) incidents_[incident.id] = incident;
    }
    next_incident_id_ = engine.snapshot().next_incident_id;
  }

  Snapshot load() const {
    Snapshot s;
    for (const auto& [name, row] : check_rows_) {
      auto decoded = StateEngine::decode(row);
      EXPECT_TRUE(decoded) << row;
      if (decoded) s.checks.push_back(std::move(*decoded));
    }
    for (const auto& [id, incident] : incidents_) {
      if (incident.open()) s.open_incidents.push_back(incident);
    }
    s.next_incident_id = next_incident_id_;
    return s;
  }

 private:
  std::map<std::string, std::string> check_rows_;
  std::map<std::int64_t, Incident> incidents_;
  std::int64_t next_incident_id_ = 1;
};

// Plays the steps like play() and saves what each one asked to persist.
void play_and_save(StateEngine& engine, PersistedRows& rows, std::string_view check,
                   const std::vector<Step>& steps) {
  for (const auto& step : steps) {
    SCOPED_TRACE("+" + std::to_string(step.at_s) + "s " + step.location);
    const Transitions t = engine.apply(result_for(check, step), at_second(step.at_s));
    EXPECT_EQ(describe(t), step.events);
    EXPECT_EQ(to_string(engine.state(check)->state), step.check_after);
    rows.save(engine, t);
  }
}

// A fresh engine started from `snapshot` and configured as before; starting it must report
// nothing at all.
StateEngine restarted(const Snapshot& snapshot, const std::vector<CheckPolicy>& policies,
                      TimePoint now) {
  StateEngine engine;
  engine.restore(snapshot);
  const Transitions t = engine.configure(policies, now);
  EXPECT_EQ(describe(t), "");
  EXPECT_TRUE(t.changed_checks.empty());
  return engine;
}

TEST(Restart, ARestartDuringAnOutageKeepsTheIncidentAndClosesTheSameOne) {
  const std::vector<CheckPolicy> policies = {policy("shop", /*failure*/ 2, /*recovery*/ 2)};
  StateEngine engine;
  PersistedRows rows;
  rows.save(engine, engine.configure(policies, kStart));
  play_and_save(
      engine, rows, "shop",
      {
          {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
          {60, "eu", kFail, "ok", "eu soft ok>fail"},
          {120, "eu", kFail, "fail", "eu hard ok>fail, check ok>fail, open #1"},
          {180, "eu", kFail, "fail", ""},
      });

  auto after = restarted(rows.load(), policies, at_second(200));
  EXPECT_EQ(after.state("shop")->open_incident, 1);
  ASSERT_NE(after.incident(1), nullptr);
  EXPECT_EQ(after.incident(1)->opened_at, at_second(120));
  play_and_save(after, rows, "shop",
                {
                    {240, "eu", kFail, "fail", ""},
                    {300, "eu", kOk, "fail", "eu soft fail>ok"},
                    {360, "eu", kOk, "ok", "eu hard fail>ok, check fail>ok, close #1"},
                    {420, "eu", kFail, "ok", "eu soft ok>fail"},
                    {480, "eu", kFail, "fail", "eu hard ok>fail, check ok>fail, open #2"},
                });
}

TEST(Restart, ARestartMidConfirmationKeepsCountingFromWhereItWas) {
  const std::vector<CheckPolicy> policies = {policy("shop", /*failure*/ 2)};
  auto engine = engine_with(policies);
  PersistedRows rows;
  play_and_save(
      engine, rows, "shop",
      {
          {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
          {60, "eu", kFail, "ok", "eu soft ok>fail"},
      });

  auto after = restarted(rows.load(), policies, at_second(90));
  play_and_save(after, rows, "shop",
                {{120, "eu", kFail, "fail", "eu hard ok>fail, check ok>fail, open #1"}});
}

TEST(Restart, QuorumStateAndIncidentIdsSurviveTheFullSnapshot) {
  const std::vector<CheckPolicy> policies = {policy("shop", /*failure*/ 1, /*recovery*/ 1),
                                             policy("blog", /*failure*/ 1, /*recovery*/ 1)};
  auto engine = engine_with(policies);
  play(engine, "blog",
       {
           {0, "eu", kFail, "fail",
            "eu soft pending>fail, eu hard pending>fail, check pending>fail, open #1"},
           {60, "eu", kOk, "ok", "eu soft fail>ok, eu hard fail>ok, check fail>ok, close #1"},
       });
  play(engine, "shop",
       {
           {0, "eu", kOk, "ok", "eu soft pending>ok, eu hard pending>ok, check pending>ok"},
           {1, "us", kFail, "ok", "us soft pending>fail, us hard pending>fail"},
           {2, "ap", kFail, "fail",
            "ap soft pending>fail, ap hard pending>fail, check ok>fail, open #2"},
       });

  // Every check through encode and decode, as the store would hand it back.
  Snapshot snapshot = engine.snapshot();
  for (auto& check : snapshot.checks) {
    auto decoded = StateEngine::decode(StateEngine::encode(check));
    ASSERT_TRUE(decoded);
    check = std::move(*decoded);
  }

  auto after = restarted(snapshot, policies, at_second(100));
  play(after, "shop",
       {
           {120, "eu", kOk, "fail", ""},
           {121, "us", kFail, "fail", ""},
           {122, "ap", kOk, "ok", "ap soft fail>ok, ap hard fail>ok, check fail>ok, close #2"},
       });
  play(after, "blog",
       {{180, "eu", kFail, "fail", "eu soft ok>fail, eu hard ok>fail, check ok>fail, open #3"}});
}

TEST(Restart, AnIncidentWhoseCheckWasDroppedMeanwhileIsClosed) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  engine.apply(result_for("shop", {0, "eu", kFail, "", ""}), kStart);

  StateEngine after;
  after.restore(engine.snapshot());
  const Transitions t = after.configure({policy("blog")}, at_second(60));
  EXPECT_EQ(describe(t), "close #1");
  EXPECT_EQ(t.closed.at(0).last_message, "check removed");
}

TEST(Restart, TheNextIncidentIdNeverGoesBackEvenIfThePersistedCounterLags) {
  auto engine = engine_with({policy("shop", /*failure*/ 1)});
  engine.apply(result_for("shop", {0, "eu", kFail, "", ""}), kStart);
  Snapshot snapshot = engine.snapshot();
  ASSERT_EQ(snapshot.open_incidents.size(), 1u);
  snapshot.open_incidents[0].id = 41;
  snapshot.checks[0].open_incident = 41;
  snapshot.next_incident_id = 7;

  StateEngine after;
  after.restore(snapshot);
  after.configure({policy("shop", /*failure*/ 1, /*recovery*/ 1), policy("blog", 1)}, kStart);
  play(after, "blog",
       {{60, "eu", kFail, "fail",
         "eu soft pending>fail, eu hard pending>fail, check pending>fail, open #42"}});
}

}  // namespace
}  // namespace lk::state::testing
