#pragma once
// `${VAR}` substitution in config values. Private to config/.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "config/config.hpp"

namespace lk::config {

struct EnvError {
  std::size_t offset = 0;  ///< where the offending `${` starts in the text
  std::string message;
};

/// Replaces `${VAR}` and `${VAR:-default}` (default used when VAR is unset or empty) and turns
/// `$${` into a literal `${`. An unset variable without a default is an error.
std::variant<std::string, EnvError> substitute_env(std::string_view text, const EnvLookup& env);

}  // namespace lk::config
