#include "probe/command/settings.hpp"

#include <array>

#include "probe/url_form.hpp"

namespace lk::probe::command {

namespace {

constexpr std::array kOptions{
    config::Option{
        "command", "string", "",
        "Nagios/Monitoring Plugins program to run: an absolute path, or a name looked up in PATH. "
        "Run directly, never through a shell. Its exit code is the status (0 ok, 1 warn, 2 fail, "
        "3 unknown), its first output line the message, its whole output the `body`, and its "
        "performance data (after `|`) the metrics: `metric.<label>` (quote odd labels: "
        "`metric.\"/\" < 9000`). At the timeout its process group gets SIGTERM, then SIGKILL "
        "1s later.",
        true},
    config::Option{"args", "list", "",
                   "Arguments, each passed as is (no shell, no word splitting), e.g. `[-w, 10%, "
                   "-c, 5%, -p, /]`."},
    config::Option{
        "env", "map", "",
        "Environment variables for the plugin, e.g. `{SNMP_COMMUNITY: \"${COMMUNITY}\"}`. "
        "The plugin otherwise gets only PATH, HOME, TZ and TMPDIR of Lightkeeper's "
        "environment, and LC_NUMERIC=C."},
    config::Option{"max_output", "size", "64KiB",
                   "Bytes of the plugin's standard output kept; the rest is read and dropped."},
};

constexpr std::uint64_t kMinOutput = 1024;
constexpr std::uint64_t kMaxOutput = 16 * 1024 * 1024;

bool has_space(std::string_view s) {
  return s.find_first_of(" \t\n") != std::string_view::npos;
}

bool is_env_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

}  // namespace

std::span<const config::Option> options() {
  return kOptions;
}

std::string display_command(std::string_view program, std::span<const std::string> args) {
  auto word = [](std::string_view w) {
    if (!w.empty() && w.find_first_of(" \t\n'\"\\$`;&|<>*?()") == std::string_view::npos)
      return std::string(w);
    std::string out = "'";
    for (char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  };
  std::string out = word(program);
  for (const auto& a : args) out += " " + word(a);
  return out;
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  s->program = fields.string("command");
  if (fields.has("command")) {
    if (s->program.empty()) {
      fields.error("command", "is empty; name the plugin, e.g. /usr/lib/nagios/plugins/check_disk");
    } else if (s->program.find('\0') != std::string::npos) {
      fields.error("command", "contains a NUL byte");
    } else if (has_space(s->program)) {
      fields.error("command", "\"" + s->program +
                                  "\" contains spaces: `command` is the program only (it is not "
                                  "run by a shell); put its arguments in `args:`, e.g. "
                                  "args: [-w, 10%, -c, 5%]");
    } else if (s->program.find('/') != std::string::npos && s->program.front() != '/') {
      fields.error("command", "\"" + s->program +
                                  "\" is a relative path; write an absolute path, or a bare "
                                  "program name to look it up in PATH");
    }
  }
  s->args = fields.string_list("args");
  for (const auto& arg : s->args) {
    if (arg.find('\0') != std::string::npos)
      fields.error("args", "an argument contains a NUL byte");
  }
  s->env = fields.string_map("env");
  for (const auto& [name, value] : s->env) {
    if (!is_env_name(name))
      fields.error("env", "\"" + name +
                              "\" is not an environment variable name (letters, digits and '_', "
                              "not starting with a digit)");
  }
  auto max_output = fields.size("max_output");
  if (max_output < kMinOutput || max_output > kMaxOutput) {
    fields.error("max_output",
                 "must be between 1KiB and 16MiB, got " + std::to_string(max_output) + " bytes");
  } else {
    s->max_output = static_cast<std::size_t>(max_output);
  }
  spec.target = display_command(s->program, s->args);
  return s;
}

UrlFields from_url(std::string_view url) {
  UrlFields out;
  std::string error;
  auto form = split_url_form(url, error);
  const std::string example =
      "; write command:///path/to/check_x?arg=-H&arg=host (one arg= per argument, in order)";
  if (!form) {
    out.error = error + example;
    return out;
  }
  if (!form->authority.empty()) {
    out.error = "command://" + form->authority +
                " names a host; the plugin runs here: write command:///path/to/plugin (three "
                "slashes)" +
                example.substr(1);
    return out;
  }
  if (form->path.size() <= 1) {
    out.error = "no plugin in \"" + std::string(url) + "\"" + example;
    return out;
  }
  out.scalars.emplace_back("command", form->path);
  std::vector<std::string> args;
  for (auto& [key, value] : form->query) {
    if (key == "arg") {
      args.push_back(std::move(value));
    } else if (key == "max_output") {
      out.scalars.emplace_back(key, std::move(value));
    } else {
      out.error = "unknown parameter \"" + key + "\" in " + std::string(url) +
                  "; command:// takes arg= (repeated) and max_output=";
      return out;
    }
  }
  out.lists.emplace_back("args", std::move(args));
  return out;
}

}  // namespace lk::probe::command
