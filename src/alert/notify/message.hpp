#pragma once
// What a notification says (Message) and the one HTTP request a channel turns it into
// (HttpRequest). Channels are pure: build() makes the request, the outbox sends it later.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "core/time.hpp"

namespace lk::alert {

/// Why a message is sent: an outage began (or is repeated as a reminder), someone acknowledged
/// it, or it is over.
enum class Event : std::uint8_t { problem, acknowledged, recovery };

std::string_view to_string(Event e);

/// One check of a grouped notification.
struct Member {
  std::string check;
  State severity = State::fail;
  TimePoint since{};
  std::string last_error;
  std::optional<TimePoint> recovered_at;  ///< set in a recovery message
};

/// One notification about one incident of one check, or about several checks that failed
/// together (`members`, first the one named by `check`).
struct Message {
  std::string id;  ///< unique per notification (outbox row); becomes the idempotency key
  Event event = Event::problem;
  std::string check;
  State from = State::ok;
  State to = State::fail;
  State severity = State::fail;  ///< worst state of the incident
  TimePoint since{};             ///< when the incident opened
  TimePoint at{};                ///< when this message was produced
  std::string last_error;        ///< the latest failing result's message
  std::string location;          ///< where it was seen from; empty for the check as a whole
  std::int64_t incident_id = 0;
  std::string status_page_url;  ///< empty if there is none
  std::string ack_url;          ///< signed, expiring; empty for recovery or when disabled
  std::string acknowledged_by;  ///< for Event::acknowledged
  std::string note;             ///< acknowledgement note, or why it was escalated
  /// A grouped notification: every check in it, `check` first. Empty for a single check.
  std::vector<Member> members;
  /// Checks that are failing because this one is (they depend on it) and were not notified
  /// on their own.
  std::vector<std::string> also_affected;

  bool is_recovery() const { return event == Event::recovery; }
  /// Same for every message about one incident, so receivers can group and resolve:
  /// "lightkeeper-<check>-<incident id>".
  std::string incident_key() const;
};

/// An HTTP request exactly as a service documents it.
struct HttpRequest {
  std::string method;
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string idempotency_key;
  /// Values that must never reach a log (tokens, keys, passwords). redacted() masks them
  /// wherever they appear, raw or percent-encoded.
  std::vector<std::string> secrets;

  /// The first header named `name` (case-insensitive), or empty.
  std::string header(std::string_view name) const;
  /// A description safe to log: method, URL, headers and body with every secret replaced by
  /// "***"; Authorization keeps its scheme ("Bearer ***"), and headers whose name mentions a
  /// key, token, secret, auth, password or cookie are masked whole.
  std::string redacted() const;
};

/// Default title: "DOWN: api-health" / "RECOVERED: api-health" / "ACKNOWLEDGED: api-health";
/// grouped: "DOWN: 3 checks (web-1, web-2, db)".
std::string default_title(const Message& m);
/// Default body lines: what failed, where from, since when, the last error, links.
std::string default_body(const Message& m);

}  // namespace lk::alert
