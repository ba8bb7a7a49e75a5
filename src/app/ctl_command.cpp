// `lightkeeper ctl ...` (the API client for people and scripts) and `lightkeeper oncall`.

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "alert/oncall/schedule.hpp"
#include "app/client.hpp"
#include "app/commands.hpp"
#include "app/kinds.hpp"
#include "config/config.hpp"

namespace lk::app {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kWho = "lightkeeper ctl";

std::string default_user() {
  const char* user = std::getenv("USER");
  return user && *user ? std::string(user) : std::string("cli");
}

// Runs one API call; prints errors. Returns the exit code and fills `answer` on success.
int call(const CtlOptions& ctl, std::string_view method, std::string_view path,
         const std::string& body, Json& answer) {
  const auto timeout = parse_duration(ctl.timeout);
  if (!timeout || *timeout <= Duration::zero()) {
    std::cerr << kWho << ": --timeout: expected a duration like 10s, got \"" << ctl.timeout
              << "\"\n";
    return 2;
  }
  const std::string server = server_base(ctl.server, ctl.config_path, kWho);
  auto reply =
      http_call(method, server + std::string(path), body, body.empty() ? "" : "application/json",
                *timeout, "lightkeeper-ctl", ctl.token);
  if (reply.status == 0) {
    std::cerr << kWho << ": cannot reach " << server << ": " << reply.error << "\n";
    return 2;
  }
  answer = Json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (reply.status < 200 || reply.status > 299) {
    std::string message = reply.body;
    if (answer.is_object() && answer.contains("error") && answer["error"].is_object())
      message = answer["error"].value("message", reply.body);
    std::cerr << kWho << ": " << server << " answered HTTP " << reply.status << ": " << message
              << "\n";
    return 1;
  }
  if (ctl.json) std::cout << answer.dump(2) << "\n";
  return 0;
}

std::string text_or(const Json& j, const char* key, std::string_view fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
}

// "-" reads the message from stdin (a long Markdown update from a file or a heredoc).
std::string message_text(const std::string& message) {
  if (message != "-") return message;
  std::string text, line;
  while (std::getline(std::cin, line)) text += line + "\n";
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

void print_report(const Json& r) {
  std::cout << "#" << r.value("id", std::int64_t{0}) << "  " << text_or(r, "state", "?") << "  "
            << text_or(r, "title", "") << "\n";
}

}  // namespace

int ctl_report_open_command(const CtlOptions& ctl, ReportKind kind, ReportOptions report) {
  Json body = {{"kind", to_string(kind)}, {"title", report.title}};
  if (std::string m = message_text(report.message); !m.empty()) body["message"] = m;
  if (!report.state.empty()) body["state"] = report.state;
  if (!report.impact.empty()) body["impact"] = report.impact;
  if (!report.components.empty()) body["components"] = report.components;
  if (kind == ReportKind::maintenance) {
    TimePoint from =
        std::chrono::time_point_cast<TimePoint::duration>(std::chrono::system_clock::now());
    if (!report.starts_at.empty()) {
      auto t = parse_time(report.starts_at);
      if (!t) {
        std::cerr << kWho << ": --from: expected an RFC 3339 time, got \"" << report.starts_at
                  << "\"\n";
        return 2;
      }
      from = *t;
    }
    body["starts_at"] = format_time(from);
    if (!report.duration.empty()) {
      auto d = parse_duration(report.duration);
      if (!d || *d <= Duration::zero()) {
        std::cerr << kWho << ": --duration: expected a duration like 2h, got \"" << report.duration
                  << "\"\n";
        return 2;
      }
      body["ends_at"] = format_time(from + *d);
    } else if (!report.ends_at.empty()) {
      body["ends_at"] = report.ends_at;
    } else {
      std::cerr << kWho << " maintenance add: say when it ends: --to TIME or --duration 2h\n";
      return 2;
    }
  }
  Json answer;
  int rc = call(ctl, "POST", "/api/v1/status-reports", body.dump(), answer);
  if (rc == 0 && !ctl.json) print_report(answer);
  return rc;
}

int ctl_report_update_command(const CtlOptions& ctl, ReportOptions report) {
  Json body = {{"message", message_text(report.message)}};
  if (!report.state.empty()) body["state"] = report.state;
  Json answer;
  int rc = call(ctl, "POST", "/api/v1/status-reports/" + std::to_string(report.id) + "/updates",
                body.dump(), answer);
  if (rc == 0 && !ctl.json) print_report(answer);
  return rc;
}

int ctl_report_list_command(const CtlOptions& ctl, ReportKind kind, const ReportOptions& report) {
  std::string path = "/api/v1/status-reports?kind=" + std::string(to_string(kind)) +
                     "&limit=" + std::to_string(report.limit);
  if (report.open_only) path += "&open=true";
  Json answer;
  int rc = call(ctl, "GET", path, "", answer);
  if (rc != 0 || ctl.json) return rc;
  const Json list = answer.value("reports", Json::array());
  if (list.empty()) std::cout << "no " << to_string(kind) << " reports\n";
  for (const auto& r : list) print_report(r);
  return 0;
}

int ctl_pause_command(const CtlOptions& ctl, const std::string& check, const std::string& reason,
                      bool pause) {
  Json body = Json::object();
  if (pause && !reason.empty()) body["reason"] = reason;
  Json answer;
  // Check names are letters, digits, '.', '_' and '-': nothing to escape in the path.
  int rc = call(ctl, "POST", "/api/v1/checks/" + check + (pause ? "/pause" : "/resume"),
                body.dump(), answer);
  if (rc == 0 && !ctl.json) std::cout << check << (pause ? " paused" : " resumed") << "\n";
  return rc;
}

int ctl_ack_command(const CtlOptions& ctl, const AckOptions& ack) {
  Json body = {{"by", ack.by.empty() ? default_user() : ack.by}};
  if (ack.incident > 0) body["incident"] = ack.incident;
  if (!ack.check.empty()) body["check"] = ack.check;
  if (!ack.note.empty()) body["note"] = ack.note;
  if (ack.incident <= 0 && ack.check.empty()) {
    std::cerr << kWho << " ack: name the CHECK, or give --incident N\n";
    return 2;
  }
  Json answer;
  int rc = call(ctl, "POST", "/api/v1/ack", body.dump(), answer);
  if (rc == 0 && !ctl.json) std::cout << text_or(answer, "message", "acknowledged") << "\n";
  return rc;
}

int ctl_silence_add_command(const CtlOptions& ctl, const SilenceOptions& s) {
  Json body = {{"created_by", s.by.empty() ? default_user() : s.by}};
  if (!s.checks.empty()) body["checks"] = s.checks;
  if (!s.tags.empty()) body["tags"] = s.tags;
  if (!s.groups.empty()) body["groups"] = s.groups;
  if (!s.duration.empty()) body["duration"] = s.duration;
  if (!s.until.empty()) body["until"] = s.until;
  if (!s.comment.empty()) body["comment"] = s.comment;
  Json answer;
  int rc = call(ctl, "POST", "/api/v1/silences", body.dump(), answer);
  if (rc == 0 && !ctl.json)
    std::cout << "silence #" << answer.value("id", std::int64_t{0}) << " until "
              << text_or(answer, "ends_at", "?") << "\n";
  return rc;
}

int ctl_silence_list_command(const CtlOptions& ctl) {
  Json answer;
  int rc = call(ctl, "GET", "/api/v1/silences", "", answer);
  if (rc != 0 || ctl.json) return rc;
  const Json list = answer.value("silences", Json::array());
  if (list.empty()) std::cout << "no silences\n";
  for (const auto& s : list) {
    std::string what;
    for (const char* key : {"checks", "tags", "groups"})
      for (const auto& v : s.value(key, Json::array()))
        what += (what.empty() ? "" : " ") + std::string(key) + ":" + v.get<std::string>();
    std::cout << "#" << s.value("id", std::int64_t{0}) << "  " << what << "  until "
              << text_or(s, "ends_at", "?") << "  by " << text_or(s, "created_by", "?");
    if (auto comment = text_or(s, "comment", ""); !comment.empty())
      std::cout << "  (" << comment << ")";
    std::cout << "\n";
  }
  return 0;
}

int ctl_silence_remove_command(const CtlOptions& ctl, std::int64_t id) {
  Json answer;
  int rc = call(ctl, "DELETE", "/api/v1/silences/" + std::to_string(id), "", answer);
  if (rc == 0 && !ctl.json) std::cout << "silence #" << id << " removed\n";
  return rc;
}

int ctl_alerts_command(const CtlOptions& ctl) {
  Json answer;
  int rc = call(ctl, "GET", "/api/v1/alerts", "", answer);
  if (rc != 0 || ctl.json) return rc;
  const Json list = answer.value("alerts", Json::array());
  if (list.empty()) std::cout << "no open alerts\n";
  for (const auto& a : list) {
    std::string checks;
    for (const auto& c : a.value("checks", Json::array()))
      checks += (checks.empty() ? "" : ", ") + c.get<std::string>();
    std::cout << "#" << a.value("incident", std::int64_t{0}) << "  " << checks << "  ";
    if (a.value("acknowledged_at", Json()).is_string())
      std::cout << "acknowledged by " << text_or(a, "acknowledged_by", "?");
    else if (a.value("notified", false))
      std::cout << "notified, not acknowledged";
    else if (auto why = text_or(a, "suppressed", ""); !why.empty())
      std::cout << "held back: " << why;
    else
      std::cout << "waiting to be notified";
    std::cout << "\n";
  }
  return 0;
}

int oncall_command(const std::string& config_path, const std::string& at, std::size_t next) {
  auto kinds = kind_parsers();
  auto loaded = config::load_file(config_path, kinds, config::process_environment());
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    return 2;
  }
  TimePoint when =
      std::chrono::time_point_cast<TimePoint::duration>(std::chrono::system_clock::now());
  if (!at.empty()) {
    auto t = parse_time(at);
    if (!t) {
      std::cerr << "lightkeeper oncall: --at: expected an RFC 3339 time, got \"" << at << "\"\n";
      return 2;
    }
    when = *t;
  }
  const auto& schedules = loaded.config->alerting.schedules;
  if (schedules.empty()) {
    std::cout << "no schedules in " << config_path << "\n";
    return 0;
  }
  auto who = [](const alert::oncall::OnCall& on) {
    std::string out = on.primary.value_or("nobody");
    if (on.secondary) out += " (secondary " + *on.secondary + ")";
    return out;
  };
  for (const auto& s : schedules) {
    auto on = alert::oncall::who_is_on(s, when);
    std::cout << s.name << ": " << who(on);
    if (!on.decided_by.empty()) std::cout << "  [" << on.decided_by << "]";
    std::cout << "\n";
    for (const auto& h : alert::oncall::next_handoffs(s, when, next))
      std::cout << "  " << format_time(h.at) << "  -> " << who(h.after) << "\n";
  }
  return 0;
}

}  // namespace lk::app
