#pragma once
// The command check's settings: which plugin to run, with which arguments and environment.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/fields.hpp"
#include "core/check.hpp"
#include "probe/probe.hpp"

namespace lk::probe::command {

struct Settings final : ProbeSettings {
  std::string program;  ///< absolute path, or a name looked up in PATH
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  ///< added to the base environment
  std::size_t max_output = 64 * 1024;                    ///< stdout bytes kept
};

std::span<const config::Option> options();
/// Reads `command`, `args`, `env`, `max_output`; sets spec.target to the command line.
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);
/// `command:///usr/lib/nagios/plugins/check_tcp?arg=-H&arg=127.0.0.1&arg=-p&arg=22`.
UrlFields from_url(std::string_view url);

/// The command line as people read it: arguments with spaces or quotes are single-quoted.
std::string display_command(std::string_view program, std::span<const std::string> args);

}  // namespace lk::probe::command
