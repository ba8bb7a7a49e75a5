#include "story.hpp"

#include <gtest/gtest.h>

namespace lk::state::testing {

CheckPolicy policy(std::string check, int failure_threshold, int recovery_threshold, int quorum) {
  CheckPolicy p;
  p.check = std::move(check);
  p.failure_threshold = failure_threshold;
  p.recovery_threshold = recovery_threshold;
  p.quorum = quorum;
  return p;
}

Result result_for(std::string_view check, const Step& step) {
  Result r;
  r.check = std::string(check);
  r.location = step.location;
  r.started_at = at_second(step.at_s);
  r.status = step.status;
  r.message = step.message.empty() ? std::string(to_string(step.status)) + " from " + step.location
                                   : step.message;
  return r;
}

std::string describe(const Transitions& t) {
  std::vector<std::string> events;
  for (const auto& change : t.changes) {
    const std::string states =
        std::string(to_string(change.from)) + ">" + std::string(to_string(change.to));
    if (change.location.empty()) {
      events.push_back("check " + states);
    } else {
      events.push_back(change.location + (change.hard ? " hard " : " soft ") + states);
    }
  }
  for (const auto& incident : t.opened) events.push_back("open #" + std::to_string(incident.id));
  for (const auto& incident : t.updated) {
    events.push_back("update #" + std::to_string(incident.id));
  }
  for (const auto& incident : t.closed) events.push_back("close #" + std::to_string(incident.id));

  std::string line;
  for (const auto& event : events) line += (line.empty() ? "" : ", ") + event;
  return line;
}

void play(StateEngine& engine, std::string_view check, const std::vector<Step>& steps) {
  for (const auto& step : steps) {
    SCOPED_TRACE("+" + std::to_string(step.at_s) + "s " + step.location + " " +
                 std::string(to_string(step.status)));
    const Transitions t = engine.apply(result_for(check, step), at_second(step.at_s));
    EXPECT_EQ(describe(t), step.events);
    const CheckState* state = engine.state(check);
    ASSERT_NE(state, nullptr);
    EXPECT_EQ(to_string(state->state), step.check_after);
  }
}

StateEngine engine_with(const std::vector<CheckPolicy>& policies) {
  StateEngine engine;
  engine.configure(policies, kStart);
  return engine;
}

}  // namespace lk::state::testing
