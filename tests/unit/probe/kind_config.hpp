// Loads a config of one check through the real config loader, as each probe kind's settings
// tests do: the kind's option table and parser are exercised exactly as `serve` would.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace lk::probe::test {

/// Values for `${NAME}` in the config, in place of the process environment.
using Environment = std::map<std::string, std::string>;

/// What loading gave: the config (null when there were errors) and every error as
/// "path: message".
template <class Settings>
struct LoadedCheck {
  std::shared_ptr<const config::Config> config;
  std::vector<std::string> errors;

  /// The one check's spec; only when `config` is set.
  const CheckSpec& spec() const { return config->checks.front().spec; }
  /// The one check's settings as its kind reads them; only when `config` is set.
  const Settings& settings() const { return spec().template settings_as<Settings>(); }
};

/// Loads a config whose only check has `type` and the YAML lines `fields` (each indented by
/// four spaces, as a check's fields are), with `kinds` as the known probe kinds.
template <class Settings>
LoadedCheck<Settings> load_check(std::span<const config::ProbeKindParser> kinds,
                                 std::string_view type, std::string_view fields,
                                 const Environment& env = {}) {
  std::string yaml = "checks:\n  - name: c\n    type: " + std::string(type) + "\n";
  yaml += fields;
  auto result = config::load_string(yaml, "lk.yaml", kinds,
                                    [&env](std::string_view name) -> std::optional<std::string> {
                                      if (auto it = env.find(std::string(name)); it != env.end())
                                        return it->second;
                                      return std::nullopt;
                                    });
  LoadedCheck<Settings> out{result.config, {}};
  for (const auto& e : result.errors) out.errors.push_back(e.path + ": " + e.message);
  return out;
}

}  // namespace lk::probe::test
