// Reads one notifier's fields through the real config loader, as the channel config tests do:
// the loader has no notifiers section of its own yet, so the channel kind stands in for a probe
// kind of the same name, and its option table and parse() run exactly as a kind's would
// (defaults, ${VAR}s, required and unknown keys, error paths).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "alert/notify/channel.hpp"
#include "config/config.hpp"

namespace lk::alert::test {

/// Values for `${NAME}`, in place of the process environment.
using Environment = std::map<std::string, std::string>;

struct ParsedChannel {
  std::shared_ptr<const ChannelSettings> settings;  ///< what parse() returned
  std::vector<std::string> errors;                  ///< every error as "key: message"
};

/// Parses the YAML mapping `yaml` (lines written without indentation) as the fields of one
/// notifier of `kind`.
inline ParsedChannel parse_channel(const ChannelKind& kind, std::string_view yaml,
                                   const Environment& env = {}) {
  ParsedChannel out;
  const config::ProbeKindParser stand_in{
      kind.type, kind.options(),
      [&](config::Fields& fields, CheckSpec& spec) -> std::shared_ptr<const ProbeSettings> {
        spec.target = std::string(kind.type);
        out.settings = kind.parse(fields);
        return std::make_shared<const ProbeSettings>();
      }};
  std::string text = "checks:\n  - name: n\n    type: " + std::string(kind.type) + "\n";
  std::istringstream lines{std::string(yaml)};
  for (std::string line; std::getline(lines, line);) text += "    " + line + "\n";
  auto result = config::load_string(text, "lk.yaml", {&stand_in, 1},
                                    [&env](std::string_view name) -> std::optional<std::string> {
                                      if (auto it = env.find(std::string(name)); it != env.end())
                                        return it->second;
                                      return std::nullopt;
                                    });
  constexpr std::string_view kPrefix = "checks[0].";
  for (const auto& e : result.errors) {
    std::string_view path = e.path;
    if (path.starts_with(kPrefix)) path.remove_prefix(kPrefix.size());
    out.errors.push_back(std::string(path) + ": " + e.message);
  }
  return out;
}

}  // namespace lk::alert::test
