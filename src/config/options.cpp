// The option tables: the single source of defaults and of docs/configuration.md.

#include "config/config.hpp"

namespace lk::config {

namespace {

constexpr Option kTopLevelOptions[] = {
    {"listen", "string", "127.0.0.1:8080",
     "Address of the web server (status page, API, metrics) as host:port; IPv6 as [::1]:8080; "
     "port 0 picks a free port."},
    {"storage", "string", "./lightkeeper.db",
     "Path of the SQLite database; a relative path is relative to the directory of the main "
     "config file."},
    {"location", "string", kLocalLocationName,
     "Name of this node's probe location, as shown in results (letters, digits, '.', '_', "
     "'-')."},
    {"title", "string", "Lightkeeper", "Title of the status page."},
    {"public_url", "string", "",
     "Base URL of this instance (http:// or https://), used for links in alerts."},
    {"log_level", "string", "info", "One of trace, debug, info, warn, error."},
    {"raw_retention", "duration", "30d", "How long raw results are kept; rollups are kept longer."},
    {"flush_interval", "duration", "1s",
     "How often batched results are written to the store; at most 1s."},
    {"max_concurrency", "int", "2000",
     "Checks in flight at once across all shards (1 to 1000000)."},
    {"include", "list", "",
     "A file or directory, or a list of them, relative to the including file. A directory "
     "includes every `*.yaml` and `*.yml` file in it, sorted by name. Included files may contain "
     "only checks and include."},
    {"checks", "list", "",
     "The checks, each a mapping of the common check options and its type's options."},
    {"notifiers", "list", "", "Where notifications go: each a name, a type and its options."},
    {"people", "list", "", "People and the notifiers that reach them."},
    {"schedules", "list", "", "On-call schedules: rotations, working hours, pairs, overrides."},
    {"escalations", "list", "", "Escalation policies: who is told after how long."},
    {"routes", "list", "",
     "Which incidents go to whom; the first matching route wins unless it says `continue`."},
    {"maintenance", "list", "",
     "Maintenance windows, one-off or recurring: checks run and are stored, nobody is "
     "notified."},
    {"silences", "list", "", "Mute matching checks until a given time."},
    {"alerting", "map", "", "Alerting settings: fallback, ack_secret, ack_link_ttl."},
    {"api", "map", "", "REST API settings: bearer tokens and whether reads need one."},
    {"components", "list", "",
     "Services as clients see them, each derived from checks by a rule; default: one per "
     "check."},
    {"status_pages", "list", "",
     "Public status pages, each with its components and branding; default: one page with every "
     "component."},
};

constexpr Option kCheckOptions[] = {
    {"name", "string", "",
     "Unique name of the check, its identity in the store: 1 to 100 letters, digits, '.', '_', "
     "'-'.",
     true},
    {"type", "string", "", "Probe kind; its options go in the same mapping (see below).", true},
    {"interval", "duration", "60s", "Time between two runs of the check (at least 100ms)."},
    {"timeout", "duration", "10s", "Time a run may take before it fails; at most the interval."},
    {"expect", "list", "",
     "Conditions that must all hold, else the result is fail, e.g. `[status == 200, latency < "
     "800ms]`."},
    {"warn", "list", "", "Conditions that must all hold, else the result is warn."},
    {"failure_threshold", "int", "2",
     "Consecutive failed results before the check is hard down (1 to 100)."},
    {"recovery_threshold", "int", "2",
     "Consecutive ok results before the check is hard up again (1 to 100)."},
    {"tags", "list", "", "Free-form labels, for filtering and alert routing."},
    {"depends_on", "list", "",
     "Checks this one depends on (a router, a database): while one of them is down, this "
     "check's failures are put down to it and not alerted on their own."},
    {"description", "string", "", "Human description shown on the status page."},
    {"group", "string", "", "Heading the check is listed under on the status page."},
    {"paused", "bool", "false", "When true, the check is configured but not run."},
};

}  // namespace

std::span<const Option> top_level_options() {
  return kTopLevelOptions;
}
std::span<const Option> check_options() {
  return kCheckOptions;
}

}  // namespace lk::config
