#pragma once
// The canonical text of a YAML value, so that a reload can tell an unchanged check from a
// changed one. Private to config/.

#include <yaml-cpp/yaml.h>

#include <string>

#include "config/config.hpp"

namespace lk::config {

/// Compact, deterministic text of `node` after `${VAR}` substitution: mapping keys sorted,
/// every scalar quoted. Formatting, comments, key order and quoting style do not show in it.
std::string canonical_text(const YAML::Node& node, const EnvLookup& env);

}  // namespace lk::config
