#include "probe/command/command_probe.hpp"

#include <string.h>

#include <cstdio>
#include <cstdlib>

#include "probe/command/plugin_output.hpp"

namespace lk::probe::command {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxMessage = 1024;
constexpr std::size_t kMaxStderr = 4096;
constexpr Duration kKillGrace = std::chrono::seconds{1};

std::string base_name(std::string_view program) {
  auto slash = program.rfind('/');
  return std::string(slash == std::string_view::npos ? program : program.substr(slash + 1));
}

std::string first_line(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == '\r' || text.front() == ' '))
    text.remove_prefix(1);
  text = text.substr(0, text.find('\n'));
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  return std::string(text);
}

std::string capped(std::string text) {
  if (text.size() > kMaxMessage) {
    text.resize(kMaxMessage);
    text += "...";
  }
  return text;
}

std::string signal_name(int sig) {
  const char* description = ::strsignal(sig);
  return "signal " + std::to_string(sig) +
         (description ? " (" + std::string(description) + ")" : "");
}

/// The plugin's message: its summary line, or what it said on stderr when it printed nothing.
std::string plugin_message(const PluginOutput& parsed, const ProcessEnd& end,
                           const std::string& name) {
  std::string message = parsed.summary;
  if (message.empty()) {
    std::string err = first_line(end.err);
    message =
        err.empty() ? name + " printed no output" : name + " printed no output; stderr: " + err;
  }
  message = capped(std::move(message));
  if (!parsed.perfdata.problems.empty()) {
    message += " (performance data ignored: " + parsed.perfdata.problems.front();
    if (parsed.perfdata.problems.size() > 1)
      message += " and " + std::to_string(parsed.perfdata.problems.size() - 1) + " more";
    message += ")";
  }
  return message;
}

}  // namespace

Observation observe(const ProcessEnd& end, std::string_view program, Duration timeout,
                    Duration kill_grace) {
  Observation obs;
  const std::string name = base_name(program);
  obs.body = end.out;
  obs.body_truncated = end.out_truncated;
  switch (end.how) {
    case ProcessEnd::How::not_started:
      obs.verdict = OwnVerdict{Status::unknown, "cannot run " + std::string(program) + ": " +
                                                    std::string(::strerror(end.spawn_error))};
      return obs;
    case ProcessEnd::How::timed_out: {
      obs.failed_at = Layer::timeout;
      obs.error = timeout_message(timeout, name + " to exit");
      if (end.leader_exited)
        obs.error += " (it exited, but a process it started kept its output open)";
      obs.error += "; killed its process group (SIGTERM, then SIGKILL after " +
                   format_duration(kill_grace) + ")";
      return obs;
    }
    case ProcessEnd::How::signaled: {
      std::string message = name + " was killed by " + signal_name(end.signal);
      if (auto line = first_line(end.out); !line.empty()) message += ": " + capped(line);
      obs.verdict = OwnVerdict{Status::unknown, std::move(message)};
      return obs;
    }
    case ProcessEnd::How::exited:
      break;
  }
  if (auto bad = first_non_text(end.out)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned char>(end.out[*bad]));
    obs.verdict =
        OwnVerdict{Status::unknown, name + " printed binary data, not plugin output (byte " +
                                        std::to_string(*bad) + " is " + byte + "; exit code " +
                                        std::to_string(end.exit_code) + ")"};
    return obs;
  }
  PluginOutput parsed = parse_plugin_output(end.out);
  for (auto& v : parsed.perfdata.values) obs.metrics.push_back({v.label, v.value, v.unit});
  std::string message = plugin_message(parsed, end, name);
  if (end.exit_code >= 0 && end.exit_code <= 3) {
    obs.verdict = OwnVerdict{static_cast<Status>(end.exit_code), std::move(message)};
  } else {
    std::string why = name + " exited with code " + std::to_string(end.exit_code) +
                      ", not a plugin status (0 ok, 1 warning, 2 critical, 3 unknown)";
    if (end.exit_code == 126 || end.exit_code == 127)
      why += "; a program it runs may be missing or not executable";
    obs.verdict = OwnVerdict{Status::unknown, why + ": " + message};
  }
  return obs;
}

asio::awaitable<Observation> CommandProbe::run(const CheckSpec& check, Deadline deadline) {
  const auto& s = check.settings_as<Settings>();
  const auto started_at = clock_.now();
  const auto started = clock_.mono_now();
  SpawnSpec spec;
  spec.program = s.program;
  spec.args = s.args;
  spec.max_stdout = s.max_output;
  spec.max_stderr = kMaxStderr;
  spec.kill_grace = kKillGrace;
  spec.env.reserve(base_env_.size() + s.env.size());
  for (const auto& e : base_env_) {
    auto name = std::string_view(e).substr(0, e.find('='));
    bool overridden = false;
    for (const auto& [key, value] : s.env) overridden = overridden || key == name;
    if (!overridden) spec.env.push_back(e);
  }
  for (const auto& [key, value] : s.env) spec.env.push_back(key + "=" + value);

  ProcessEnd end = co_await run_process(io_, spec, deadline);
  Observation obs = observe(end, s.program, check.timeout, kKillGrace);
  obs.started_at = started_at;
  obs.timings.total = clock_.mono_now() - started;
  co_return obs;
}

std::vector<std::string> base_environment() {
  std::vector<std::string> env;
  const char* path = std::getenv("PATH");
  env.push_back(
      std::string("PATH=") +
      (path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
  for (const char* name : {"HOME", "TZ", "TMPDIR"}) {
    if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
  }
  // Performance data must use '.' as the decimal point whatever the locale.
  env.emplace_back("LC_NUMERIC=C");
  return env;
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  return std::make_unique<CommandProbe>(io, clock, base_environment());
}

}  // namespace lk::probe::command
