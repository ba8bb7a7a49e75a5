#pragma once
// The validated, immutable configuration snapshot, and how to load one.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alert/policy/model.hpp"
#include "config/fields.hpp"
#include "core/check.hpp"
#include "core/status_page.hpp"
#include "core/time.hpp"
#include "expect/expect.hpp"

namespace lk::config {

/// One configured check: what every probe sees (spec) plus how results are judged and counted.
struct Check {
  CheckSpec spec;
  std::vector<expect::Condition> expect;  ///< must all hold, else fail
  std::vector<expect::Condition> warn;    ///< must all hold, else warn
  int failure_threshold = 2;              ///< consecutive non-ok results before a hard failure
  int recovery_threshold = 2;             ///< consecutive ok results before a hard recovery
  /// Checks this one depends on: while one of them is down, this one's failures are caused by
  /// it and are not alerted on their own.
  std::vector<std::string> depends_on;
  std::string fingerprint;  ///< hash of the check's canonical YAML; equal => unchanged on reload
  SourcePos pos;            ///< where the check starts
};

struct Config {
  std::string listen = "127.0.0.1:8080";  ///< host:port of the web server
  std::string storage = "./lightkeeper.db";
  std::string location = std::string(kLocalLocationName);  ///< name of this node's probe location
  std::string title = "Lightkeeper";                       ///< status page title
  std::string public_url;                                  ///< base URL for links in messages
  std::string log_level = "info";
  Duration raw_retention{std::chrono::hours{24 * 30}};  ///< raw results kept this long
  Duration flush_interval{std::chrono::seconds{1}};     ///< store batch flush period (<= 1s)
  int max_concurrency = 2000;                           ///< checks in flight at once, all shards
  std::vector<Check> checks;
  alert::AlertConfig alerting;               ///< notifiers, routes, schedules, maintenance, ...
  ApiSettings api;                           ///< API tokens
  std::vector<ComponentSpec> components;     ///< as written (empty: one per check, see app/)
  std::vector<StatusPageSpec> status_pages;  ///< as written (empty: one default page)
  std::vector<std::string> files;  ///< every file read (main + includes), for reload watching

  const Check* find(std::string_view name) const;
};

/// How one probe kind reads its own settings from a check's mapping. `parse` reads the kind's
/// fields through `fields` (which reports errors with positions), sets `spec.target` to a human
/// description, and returns the settings (nullptr only when errors were reported).
struct ProbeKindParser {
  std::string_view type;
  std::span<const Option> options;
  std::function<std::shared_ptr<const ProbeSettings>(Fields& fields, CheckSpec& spec)> parse;
  /// No probe runs it: its results come from outside (heartbeat pings). Such checks count one
  /// result as enough to fail or recover unless failure_threshold/recovery_threshold say else.
  bool passive = false;
};

/// Looks up an environment variable (injected so tests do not touch the real environment).
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup process_environment();

struct LoadResult {
  std::shared_ptr<const Config> config;  ///< null when there were errors
  std::vector<Error> errors;             ///< every error found, in file order
};

/// Loads and validates a config file (and the files it includes). Never throws for bad input.
/// `previous`, on a reload, is the running config: its checks whose definition is unchanged
/// (same name and fingerprint) are copied rather than parsed again.
LoadResult load_file(const std::string& path, std::span<const ProbeKindParser> kinds,
                     const EnvLookup& env, const Config* previous = nullptr);
/// Same, from text; `file_name` is used in error positions.
LoadResult load_string(std::string_view yaml, const std::string& file_name,
                       std::span<const ProbeKindParser> kinds, const EnvLookup& env);

/// Which checks a reload adds, removes, changes or leaves alone (by name and fingerprint).
struct Diff {
  std::vector<std::string> added, removed, changed, unchanged;
  bool settings_changed = false;  ///< anything outside `checks` changed
};
Diff diff(const Config& before, const Config& after);

/// Top-level and per-check option tables (the single source of defaults and of the docs).
std::span<const Option> top_level_options();
std::span<const Option> check_options();
/// The option table of an alerting section: notifiers, people, schedules, schedules.layers,
/// schedules.overrides, escalations, escalations.tiers, routes, match, maintenance, silences,
/// alerting. Empty for anything else.
std::span<const Option> alerting_section_options(std::string_view section);
/// How notification targets are written (for the docs).
std::string_view target_help();

/// The reference section of docs/configuration.md, generated from the option tables.
std::string options_markdown(std::span<const ProbeKindParser> kinds);

}  // namespace lk::config
