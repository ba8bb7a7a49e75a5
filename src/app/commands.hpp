#pragma once
// The sub-commands other than serve/demo wiring; each returns the process exit code.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status_page.hpp"

namespace lk::app {

struct CheckCommandOptions {
  std::string spec;  ///< https://host/path, tcp://host:port
  std::string timeout = "10s";
  std::string method;
  std::string body;
  std::string ca_file;               ///< PEM CA bundle to trust instead of the system one
  std::vector<std::string> headers;  ///< "Name: value"
  std::vector<std::string> expect;
  std::vector<std::string> warn;
  bool insecure = false;
  bool no_redirects = false;
  bool json = false;
};

/// `lightkeeper check SPEC`: runs once, prints the outcome and a timing waterfall; Nagios exit
/// codes (0 ok, 1 warning, 2 critical, 3 unknown).
int check_command(const CheckCommandOptions& options);

/// `lightkeeper config validate -c FILE`: every error as file:line:col: path: message.
int config_validate_command(const std::string& path);
/// `lightkeeper config print -c FILE`: the effective checks with defaults filled in.
int config_print_command(const std::string& path);
/// `lightkeeper config docs`: the option reference (the generated part of docs/configuration.md).
int config_docs_command();

struct DemoOptions {
  std::string listen = "127.0.0.1:8080";
  std::string storage = "./lightkeeper-demo.db";
  std::string interval = "5s";
};
/// `lightkeeper demo`: serve with built-in loopback targets that fail on a schedule.
int demo_command(const DemoOptions& options);

struct PingCommandOptions {
  std::string token;
  bool start = false;  ///< /ping/TOKEN/start: a run begins
  bool fail = false;   ///< /ping/TOKEN/fail: the run failed
  std::string server;  ///< base URL; empty: the config's public_url or listen address
  std::string config_path = "lightkeeper.yaml";
  std::string message;  ///< sent as the body; "-" reads standard input
  std::string timeout = "10s";
};
/// `lightkeeper ping TOKEN`: reports to a heartbeat check; exit 0 when the server took it, 1
/// when it refused it (unknown token), 2 when it could not be reached.
int ping_command(const PingCommandOptions& options);

/// `lightkeeper ctl ...`: the client of a running server's API. Each returns 0 when done, 1
/// when the server refused (the message says why), 2 when it could not be reached.
struct CtlOptions {
  std::string server;  ///< base URL; empty: the config's public_url or listen address
  std::string config_path = "lightkeeper.yaml";
  std::string timeout = "10s";
  bool json = false;  ///< print the server's JSON answer as it is
  std::string token;  ///< API token (--token, else $LK_API_TOKEN); empty: none sent
};
struct AckOptions {
  std::string check;
  std::int64_t incident = 0;
  std::string note;
  std::string by;  ///< default: $USER
};
int ctl_ack_command(const CtlOptions& ctl, const AckOptions& ack);
struct SilenceOptions {
  std::vector<std::string> checks, tags, groups;
  std::string duration;  ///< "2h"
  std::string until;     ///< RFC 3339, instead of duration
  std::string comment;
  std::string by;
};
int ctl_silence_add_command(const CtlOptions& ctl, const SilenceOptions& silence);
int ctl_silence_list_command(const CtlOptions& ctl);
int ctl_silence_remove_command(const CtlOptions& ctl, std::int64_t id);
/// `lightkeeper ctl alerts`: open alerts (pages) with who was told and whether acknowledged.
int ctl_alerts_command(const CtlOptions& ctl);
/// `lightkeeper ctl incident|maintenance ...`: status reports on the status pages.
struct ReportOptions {
  std::int64_t id = 0;
  std::string title;
  std::string message;  ///< Markdown; "-" reads stdin
  std::string state;    ///< empty: the server's default (or the report's current state)
  std::string impact;
  std::vector<std::string> components;
  std::string starts_at, ends_at, duration;  ///< maintenance: from, and to or how long
  bool open_only = false;
  std::size_t limit = 20;
};
int ctl_report_open_command(const CtlOptions& ctl, ReportKind kind, ReportOptions report);
/// Posts an update to report `id` (with `state`, e.g. resolved).
int ctl_report_update_command(const CtlOptions& ctl, ReportOptions report);
int ctl_report_list_command(const CtlOptions& ctl, ReportKind kind, const ReportOptions& report);
/// `lightkeeper ctl pause CHECK` / `resume CHECK`.
int ctl_pause_command(const CtlOptions& ctl, const std::string& check, const std::string& reason,
                      bool pause);

/// `lightkeeper oncall -c FILE`: who is on call now on each schedule, and the next hand-offs,
/// from the config alone (no server needed). `at` (RFC 3339) asks about another instant.
int oncall_command(const std::string& config_path, const std::string& at, std::size_t next);

/// `lightkeeper serve -c FILE`.
int serve_command(const std::string& path);

}  // namespace lk::app
