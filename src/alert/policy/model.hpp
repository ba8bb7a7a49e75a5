#pragma once
// What the alerting config says, as plain data: notifiers, people, on-call schedules,
// escalation policies, routes, maintenance windows, silences. The config loader fills it in;
// the router (router.hpp) reads it. Nothing here does anything.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alert/maintenance/window.hpp"
#include "alert/notify/channel.hpp"
#include "alert/oncall/schedule.hpp"
#include "core/status.hpp"
#include "core/time.hpp"

namespace lk::alert {

/// One configured notifier: a channel kind with its settings, under a name.
struct Notifier {
  std::string name;
  std::string type;
  const ChannelKind* kind = nullptr;
  std::shared_ptr<const ChannelSettings> settings;
  Duration timeout{std::chrono::seconds{10}};  ///< per delivery attempt
  bool send_recovery = true;
  bool send_acknowledged = true;
};

/// Which checks something applies to. Every list given must match (an empty list matches
/// everything): a check name matches when any pattern matches it (glob with * and ?, or
/// "~regex" for a full ECMAScript match); tags match when the check has *every* listed tag;
/// severities when the incident's worst state is one of them; groups by status-page group.
struct Matcher {
  std::vector<std::string> checks;
  std::vector<std::string> tags;
  std::vector<State> severities;
  std::vector<std::string> groups;
  bool matches_everything() const {
    return checks.empty() && tags.empty() && severities.empty() && groups.empty();
  }
};

/// What a matcher is tested against.
struct CheckFacts {
  std::string_view name;
  const std::vector<std::string>* tags = nullptr;
  std::string_view group;
  State severity = State::fail;
};

/// A notification target, written as text in `notify:` lists:
///   "ops-hook"             a notifier by name
///   "alice"                a person: every channel of theirs
///   "oncall:ops"           whoever is primary on schedule ops at the time
///   "oncall:ops/secondary" the secondary (pairs), "oncall:ops/both" primary and secondary
///   "team:ops"             every person in schedule ops
struct Target {
  enum class Kind : std::uint8_t {
    notifier,
    person,
    oncall_primary,
    oncall_secondary,
    oncall_both,
    team
  };
  Kind kind = Kind::notifier;
  std::string name;  ///< notifier, person or schedule name
  std::string text;  ///< as written, for messages
};

struct EscalationTier {
  Duration after{};  ///< from when the incident is first notified
  std::vector<Target> notify;
};

struct EscalationPolicy {
  std::string name;
  std::vector<EscalationTier> tiers;  ///< by `after`, ascending
  /// After the last tier, start again from the first this long after it fired, up to `repeat`
  /// more times (0: the tiers run once).
  Duration repeat_after{std::chrono::minutes{30}};
  int repeat = 0;
};

struct Route {
  std::string name;  ///< "routes[2]" unless named
  Matcher match;
  std::vector<Target> notify;  ///< tier 0 when there is no escalation policy
  std::string escalation;      ///< policy name, or empty
  /// Re-send to everyone notified so far this often while unacknowledged (0: never).
  Duration reminder{};
  /// Hold a new problem this long, so that checks failing together go out as one message
  /// (and a parent's outage is known before its children are reported).
  Duration group_wait{std::chrono::seconds{30}};
  bool group = true;       ///< false: one message per check
  bool continue_ = false;  ///< also try the routes after this one
  bool send_recovery = true;
};

/// Ad-hoc muting: matching problems are not notified until `ends_at`.
struct Silence {
  std::int64_t id = 0;
  Matcher match;
  TimePoint starts_at{};
  TimePoint ends_at{};
  std::string created_by;
  std::string comment;
  bool active(TimePoint t) const { return starts_at <= t && t < ends_at; }
};

/// A maintenance window and what it covers.
struct Maintenance {
  maintenance::Window window;
  Matcher match;
};

struct AlertConfig {
  std::vector<Notifier> notifiers;
  std::vector<oncall::Person> people;
  std::vector<oncall::Schedule> schedules;
  std::vector<EscalationPolicy> escalations;
  std::vector<Route> routes;
  std::vector<Maintenance> maintenance;
  std::vector<Silence> silences;      ///< from the config (ids negative); the API adds more
  std::vector<std::string> fallback;  ///< notifier names told when a notifier keeps failing
  std::string ack_secret;             ///< signs ack links; empty: one generated and stored
  Duration ack_link_ttl{std::chrono::hours{24}};
  std::string public_url;  ///< base for status page and ack links

  const Notifier* notifier(std::string_view name) const;
  const oncall::Person* person(std::string_view name) const;
  const oncall::Schedule* schedule(std::string_view name) const;
  const EscalationPolicy* escalation(std::string_view name) const;
  bool empty() const { return notifiers.empty() && routes.empty(); }
};

/// Parses a target as written in a `notify:` list; nullopt when the syntax is wrong (names are
/// checked against the config separately).
std::optional<Target> parse_target(std::string_view text);
/// True when `m` matches the check (see Matcher).
bool matches(const Matcher& m, const CheckFacts& facts);
/// A glob (* and ?) or "~regex" pattern against a name. Invalid regexes never match (the
/// loader rejects them first).
bool name_matches(std::string_view pattern, std::string_view name);
/// Problems with a pattern ("~(" is not a valid regex), empty when usable.
std::optional<std::string> pattern_problem(std::string_view pattern);

}  // namespace lk::alert
