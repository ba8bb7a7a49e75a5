// The lightkeeper binary: sub-commands. CLI11 is heavy: it stays in this one file.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <curl/curl.h>
#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/runtime.hpp"

int main(int argc, char** argv) {
  using namespace lk::app;
  auto logger = spdlog::stderr_color_mt("lightkeeper");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %v");
  spdlog::set_default_logger(logger);
  curl_global_init(CURL_GLOBAL_DEFAULT);

  CLI::App app{
      "Lightkeeper: multi-location uptime monitoring, alerting, status page and DNS failover"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(version()));
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->capture_default_str();

  std::string config_path = "lightkeeper.yaml";
  auto* serve = app.add_subcommand("serve", "Run the monitor from a config file");
  serve->add_option("-c,--config", config_path, "Config file")->capture_default_str();

  DemoOptions demo_options;
  auto* demo =
      app.add_subcommand("demo", "Run with built-in loopback targets that fail on a schedule");
  demo->add_option("--listen", demo_options.listen, "Status page address")->capture_default_str();
  demo->add_option("--storage", demo_options.storage, "SQLite file")->capture_default_str();
  demo->add_option("--interval", demo_options.interval, "Check interval")->capture_default_str();

  CheckCommandOptions check_options;
  auto* check =
      app.add_subcommand("check", "Run one check now; exit 0 ok, 1 warning, 2 critical, 3 unknown");
  check->add_option("spec", check_options.spec, "https://host/path or tcp://host:port")->required();
  check->add_option("-t,--timeout", check_options.timeout, "Timeout, e.g. 5s")
      ->capture_default_str();
  check->add_option("-e,--expect", check_options.expect,
                    "Condition that must hold, e.g. 'status == 200'");
  check->add_option("-w,--warn", check_options.warn, "Condition whose failure is a warning");
  check->add_option("-X,--method", check_options.method, "HTTP method");
  check->add_option("-H,--header", check_options.headers, "Request header 'Name: value'");
  check->add_option("-d,--body", check_options.body, "Request body");
  check->add_option("--ca-file", check_options.ca_file, "PEM file of CA certificates to trust");
  check->add_flag("-k,--insecure", check_options.insecure, "Do not verify the TLS certificate");
  check->add_flag("--no-redirects", check_options.no_redirects, "Do not follow redirects");
  check->add_flag("--json", check_options.json, "Print the result as JSON");

  PingCommandOptions ping_options;
  auto* ping =
      app.add_subcommand("ping", "Report to a heartbeat check (from a cron job or backup script)");
  ping->add_option("token", ping_options.token, "The heartbeat's ping token")->required();
  auto* ping_start = ping->add_flag("--start", ping_options.start, "Report that a run starts");
  ping->add_flag("--fail", ping_options.fail, "Report that the run failed")->excludes(ping_start);
  ping->add_option("--server", ping_options.server,
                   "Base URL of Lightkeeper (default: the config's public_url or listen address, "
                   "else http://127.0.0.1:8080)");
  ping->add_option("-c,--config", ping_options.config_path, "Config file to find the server in")
      ->capture_default_str();
  ping->add_option("-m,--message", ping_options.message,
                   "Text to send with the ping, e.g. the job's last output; '-' reads stdin");
  ping->add_option("--timeout", ping_options.timeout, "Give up after this long")
      ->capture_default_str();

  CtlOptions ctl_options;
  auto* ctl = app.add_subcommand(
      "ctl", "Act on a running server: ack, silences, alerts, incidents, maintenance, pauses");
  ctl->require_subcommand(1);
  ctl->add_option("--server", ctl_options.server,
                  "Base URL of Lightkeeper (default: the config's public_url or listen address, "
                  "else http://127.0.0.1:8080)");
  ctl->add_option("-c,--config", ctl_options.config_path, "Config file to find the server in")
      ->capture_default_str();
  ctl->add_option("--timeout", ctl_options.timeout, "Give up after this long")
      ->capture_default_str();
  ctl->add_flag("--json", ctl_options.json, "Print the server's JSON answer");
  ctl->add_option("--token", ctl_options.token,
                  "API token for servers with api.tokens (default: $LK_API_TOKEN)")
      ->envname("LK_API_TOKEN");
  AckOptions ack_options;
  auto* ack = ctl->add_subcommand(
      "ack", "Acknowledge an incident: stops escalation and reminders (not the recovery)");
  ack->add_option("check", ack_options.check, "The failing check");
  ack->add_option("--incident", ack_options.incident, "The incident number, instead of CHECK");
  ack->add_option("-n,--note", ack_options.note, "Note sent with the acknowledgement");
  ack->add_option("--by", ack_options.by, "Who acknowledges (default: $USER)");
  SilenceOptions silence_options;
  std::int64_t silence_id = 0;
  auto* silence = ctl->add_subcommand("silence", "Mute alerts for matching checks for a while");
  silence->require_subcommand(1);
  auto* silence_add = silence->add_subcommand("add", "Add a silence");
  silence_add->add_option("--check", silence_options.checks, "Check name or glob (repeatable)");
  silence_add->add_option("--tag", silence_options.tags, "Tag the checks must have (repeatable)");
  silence_add->add_option("--group", silence_options.groups, "Status page group (repeatable)");
  silence_add->add_option("-d,--duration", silence_options.duration, "How long, e.g. 2h");
  silence_add->add_option("--until", silence_options.until, "Until when (RFC 3339)");
  silence_add->add_option("--comment", silence_options.comment, "Why");
  silence_add->add_option("--by", silence_options.by, "Who (default: $USER)");
  auto* silence_list = silence->add_subcommand("list", "List silences");
  auto* silence_remove = silence->add_subcommand("remove", "Remove a silence");
  silence_remove->add_option("id", silence_id, "Silence number")->required();
  auto* alerts = ctl->add_subcommand("alerts", "List open alerts");

  // Status reports: the incidents and maintenance shown on the status pages.
  ReportOptions report;
  auto* incident = ctl->add_subcommand("incident", "Post incidents and updates on the status page");
  incident->require_subcommand(1);
  auto* incident_open = incident->add_subcommand("open", "Open an incident");
  incident_open->add_option("title", report.title, "What clients see as its title")->required();
  incident_open->add_option("-m,--message", report.message, "First update (Markdown; - = stdin)")
      ->required();
  incident_open->add_option("--component", report.components, "Affected component (repeatable)");
  incident_open->add_option("--impact", report.impact, "none, minor, major or critical");
  incident_open->add_option("--state", report.state,
                            "investigating (default), identified, monitoring or resolved");
  auto* incident_update = incident->add_subcommand("update", "Post an update to an incident");
  incident_update->add_option("id", report.id, "Incident (status report) number")->required();
  incident_update->add_option("-m,--message", report.message, "The update (Markdown; - = stdin)")
      ->required();
  incident_update->add_option("--state", report.state,
                              "investigating, identified, monitoring or resolved (default: "
                              "unchanged)");
  auto* incident_resolve = incident->add_subcommand("resolve", "Resolve an incident");
  incident_resolve->add_option("id", report.id, "Incident (status report) number")->required();
  incident_resolve->add_option("-m,--message", report.message, "Closing update (Markdown)");
  auto* incident_list = incident->add_subcommand("list", "List incidents, newest first");
  incident_list->add_flag("--open", report.open_only, "Only those not resolved");
  incident_list->add_option("--limit", report.limit, "How many")->capture_default_str();
  auto* maintenance = ctl->add_subcommand("maintenance", "Announce maintenance on the status page");
  maintenance->require_subcommand(1);
  auto* maintenance_add = maintenance->add_subcommand(
      "add", "Announce maintenance: its components' alerts are held during it");
  maintenance_add->add_option("title", report.title, "What clients see as its title")->required();
  maintenance_add->add_option("--from", report.starts_at, "Start (RFC 3339; default: now)");
  maintenance_add->add_option("--to", report.ends_at, "End (RFC 3339)");
  maintenance_add->add_option("-d,--duration", report.duration, "Length, e.g. 2h, instead of --to");
  maintenance_add->add_option("--component", report.components, "Component (repeatable)");
  maintenance_add->add_option("-m,--message", report.message, "Details (Markdown; - = stdin)");
  auto* maintenance_update = maintenance->add_subcommand("update", "Post an update");
  maintenance_update->add_option("id", report.id, "Maintenance (status report) number")->required();
  maintenance_update->add_option("-m,--message", report.message, "The update (Markdown)")
      ->required();
  maintenance_update->add_option("--state", report.state, "in_progress or completed");
  auto* maintenance_list = maintenance->add_subcommand("list", "List maintenance, newest first");
  maintenance_list->add_flag("--open", report.open_only, "Only what is not completed");
  std::string pause_check, pause_reason;
  auto* pause = ctl->add_subcommand("pause", "Stop running a check until it is resumed");
  pause->add_option("check", pause_check, "Check name")->required();
  pause->add_option("--reason", pause_reason, "Why (shown in the API)");
  auto* resume = ctl->add_subcommand("resume", "Run a paused check again");
  resume->add_option("check", pause_check, "Check name")->required();

  std::string oncall_at;
  std::size_t oncall_next = 3;
  auto* oncall = app.add_subcommand("oncall", "Who is on call now and next, from the config");
  oncall->add_option("-c,--config", config_path, "Config file")->capture_default_str();
  oncall->add_option("--at", oncall_at, "Ask about this instant instead of now (RFC 3339)");
  oncall->add_option("--next", oncall_next, "How many hand-offs to show")->capture_default_str();

  auto* config = app.add_subcommand("config", "Validate, print or document configuration");
  config->require_subcommand(1);
  auto* validate = config->add_subcommand("validate", "Report every error in a config file");
  validate->add_option("-c,--config", config_path, "Config file")->capture_default_str();
  auto* print = config->add_subcommand("print", "Print the effective config with defaults");
  print->add_option("-c,--config", config_path, "Config file")->capture_default_str();
  auto* docs = config->add_subcommand("docs", "Print the option reference (Markdown)");

  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::from_str(log_level));

  int rc = 0;
  if (*serve)
    rc = serve_command(config_path);
  else if (*demo)
    rc = demo_command(demo_options);
  else if (*check)
    rc = check_command(check_options);
  else if (*ping)
    rc = ping_command(ping_options);
  else if (*validate)
    rc = config_validate_command(config_path);
  else if (*print)
    rc = config_print_command(config_path);
  else if (*docs)
    rc = config_docs_command();
  else if (*ack)
    rc = ctl_ack_command(ctl_options, ack_options);
  else if (*silence_add)
    rc = ctl_silence_add_command(ctl_options, silence_options);
  else if (*silence_list)
    rc = ctl_silence_list_command(ctl_options);
  else if (*silence_remove)
    rc = ctl_silence_remove_command(ctl_options, silence_id);
  else if (*alerts)
    rc = ctl_alerts_command(ctl_options);
  else if (*incident_open)
    rc = ctl_report_open_command(ctl_options, lk::ReportKind::incident, report);
  else if (*incident_update || *maintenance_update)
    rc = ctl_report_update_command(ctl_options, report);
  else if (*incident_resolve) {
    report.state = "resolved";
    if (report.message.empty()) report.message = "This incident has been resolved.";
    rc = ctl_report_update_command(ctl_options, report);
  } else if (*incident_list)
    rc = ctl_report_list_command(ctl_options, lk::ReportKind::incident, report);
  else if (*maintenance_add)
    rc = ctl_report_open_command(ctl_options, lk::ReportKind::maintenance, report);
  else if (*maintenance_list)
    rc = ctl_report_list_command(ctl_options, lk::ReportKind::maintenance, report);
  else if (*pause)
    rc = ctl_pause_command(ctl_options, pause_check, pause_reason, true);
  else if (*resume)
    rc = ctl_pause_command(ctl_options, pause_check, "", false);
  else if (*oncall)
    rc = oncall_command(config_path, oncall_at, oncall_next);
  curl_global_cleanup();
  return rc;
}
