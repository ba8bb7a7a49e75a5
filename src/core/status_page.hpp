#pragma once
// What the public status pages show and who may use the API: components (services as clients
// see them, each derived from checks), status pages (each with its own components and
// branding), API tokens, and the status reports people and the daemon post on the pages.
// Plain values shared by config (which parses them), store (which keeps reports), web (which
// renders and serves them) and app (which wires them).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace lk {

/// How many of a component's checks must be down for the component to be down. Fewer down (or
/// any warning) makes it degraded. `all` suits redundant servers (one of two web servers down is
/// degraded, not down), `any` a single point of failure, `k of n` a pool.
struct ComponentRule {
  enum class Kind { all, any, at_least };
  Kind kind = Kind::all;
  int k = 0;  ///< for at_least: down when at least k checks are down
  int n = 0;  ///< for at_least: the pool size as written ("2 of 3")
};

/// "all", "any" or "2 of 3"; nullopt when malformed.
std::optional<ComponentRule> parse_component_rule(std::string_view text);
std::string to_string(const ComponentRule& rule);

/// A service as clients see it ("Checkout"), derived from one or more checks.
struct ComponentSpec {
  std::string id;     ///< unique across the config; [a-z0-9_-]; used in URLs, the API, badges
  std::string name;   ///< shown on the page
  std::string group;  ///< optional heading the component is listed under ("Shop")
  std::string description;
  std::vector<std::string> checks;  ///< names of the checks it is derived from
  ComponentRule rule;
};

struct PageLink {
  std::string text;
  std::string url;
};

/// Colours of a page, as CSS colours (#rgb or #rrggbb). Empty = the built-in palette, which has
/// a light and a dark variant.
struct PageColors {
  std::string accent, operational, degraded, down, maintenance;
};

/// One public status page. The first page of the config is also served at "/".
struct StatusPageSpec {
  std::string slug;  ///< [a-z0-9_-]; served at /status/<slug>/
  std::string title;
  std::string description;  ///< a line under the title
  std::string logo_url;     ///< an image URL (https://, or a path on this server); empty = none
  std::string logo_alt;     ///< text alternative of the logo (default: the title)
  PageColors colors;
  std::vector<PageLink> footer_links;
  std::string custom_css;               ///< appended to the built-in stylesheet
  std::vector<std::string> components;  ///< component ids, in display order
};

/// A bearer token for the REST API. `read` reads; `write` also creates and changes things.
struct ApiToken {
  enum class Scope { read, write };
  std::string name;   ///< who uses it, for logs and `author` fields ("ci"); never the secret
  std::string token;  ///< the secret; compared in constant time, never logged or echoed
  Scope scope = Scope::read;
};

struct ApiSettings {
  std::vector<ApiToken> tokens;
  /// Whether GET requests under /api/v1 need a token. Default: only when tokens are configured.
  /// Without any token, reads are open and writes are accepted from loopback only.
  std::optional<bool> public_read;
};

// ---- status reports: the incidents and maintenance announcements shown on the pages --------

/// Where a report stands. Incidents go investigating -> identified -> monitoring -> resolved;
/// maintenance goes scheduled -> in_progress -> completed (by its times unless posted).
enum class ReportState {
  investigating,
  identified,
  monitoring,
  resolved,
  scheduled,
  in_progress,
  completed
};
std::string_view to_string(ReportState s);
std::optional<ReportState> parse_report_state(std::string_view text);
/// resolved or completed.
bool is_closed(ReportState s);

enum class ReportKind { incident, maintenance };
std::string_view to_string(ReportKind k);
std::optional<ReportKind> parse_report_kind(std::string_view text);

/// How bad an incident is for clients, as they read it on the page.
enum class Impact { none, minor, major, critical };
std::string_view to_string(Impact i);
std::optional<Impact> parse_impact(std::string_view text);

/// One entry of a report's timeline.
struct ReportUpdate {
  std::int64_t id = 0;
  TimePoint at{};
  ReportState state = ReportState::investigating;
  std::string message;  ///< Markdown; rendered without raw HTML
  std::string author;   ///< token name, "lightkeeper" for automatic updates, or "local"
};

/// An incident or a maintenance announcement on the status pages.
struct StatusReport {
  std::int64_t id = 0;
  ReportKind kind = ReportKind::incident;
  std::string title;
  ReportState state = ReportState::investigating;  ///< the latest update's state
  Impact impact = Impact::minor;
  /// Component ids it concerns; a report with none is shown on every page.
  std::vector<std::string> components;
  /// Detected incidents (Incident::id) it was opened for; empty for reports people wrote.
  std::vector<std::int64_t> incidents;
  bool automatic = false;  ///< opened by the daemon from a detected incident
  TimePoint created_at{};
  TimePoint updated_at{};
  std::optional<TimePoint> resolved_at;  ///< set when the state becomes resolved/completed
  /// Maintenance only: the announced window (checks of its components are in maintenance
  /// during it: alerts held, time excluded from the SLA).
  std::optional<TimePoint> starts_at, ends_at;
  std::vector<ReportUpdate> updates;  ///< newest first
};

/// A check paused at runtime (through the API); configuration stays the source of truth for
/// what exists, the store for what is paused.
struct CheckPause {
  std::string check;
  TimePoint at{};
  std::string author;
  std::string reason;
};

}  // namespace lk
