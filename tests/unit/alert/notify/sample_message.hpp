#pragma once
// The message every channel test starts from: api-health down from eu-west for five minutes.

#include <chrono>

#include "alert/notify/message.hpp"

namespace lk::alert::test {

inline Message sample_problem() {
  using namespace std::chrono_literals;
  Message m;
  m.id = "n-42";
  m.event = Event::problem;
  m.check = "api-health";
  m.from = State::ok;
  m.to = State::fail;
  m.severity = State::fail;
  m.since = TimePoint{std::chrono::seconds{1'800'000'000}};  // 2027-01-15T08:00:00Z
  m.at = m.since + 5min;
  m.last_error = "connect to 10.0.0.5:443 refused";
  m.location = "eu-west";
  m.incident_id = 7;
  m.status_page_url = "https://status.example.com/checks/api-health";
  m.ack_url = "https://status.example.com/ack/7?sig=abc";
  return m;
}

inline Message sample_recovery() {
  using namespace std::chrono_literals;
  Message m = sample_problem();
  m.id = "n-43";
  m.event = Event::recovery;
  m.from = State::fail;
  m.to = State::ok;
  m.at = m.since + 12min;
  return m;
}

inline Message sample_ack() {
  Message m = sample_problem();
  m.id = "n-44";
  m.event = Event::acknowledged;
  m.acknowledged_by = "alice";
  m.note = "looking into it";
  return m;
}

}  // namespace lk::alert::test
