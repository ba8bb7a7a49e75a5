#include "config/env.hpp"

#include <cctype>
#include <cstdlib>

#include "config/text.hpp"

namespace lk::config {

namespace {

bool is_variable_name(std::string_view name) {
  if (name.empty()) return false;
  if (std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::variant<std::string, EnvError> substitute_env(std::string_view text, const EnvLookup& env) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      return EnvError{i, "unterminated ${ (close it with }, or write $${ for a literal ${)"};
    }
    std::string_view inside = text.substr(i + 2, close - i - 2);
    std::optional<std::string_view> fallback;
    if (std::size_t sep = inside.find(":-"); sep != std::string_view::npos) {
      fallback = inside.substr(sep + 2);
      inside = inside.substr(0, sep);
    }
    if (!is_variable_name(inside)) {
      return EnvError{i, "invalid environment variable name " + in_quotes(inside) +
                             " (letters, digits and _, not starting with a digit)"};
    }
    std::optional<std::string> value = env ? env(inside) : std::nullopt;
    if (value && !value->empty()) {
      out += *value;
    } else if (fallback) {
      out += *fallback;
    } else if (value) {
      // Set but empty, and no default: the user asked for exactly that value.
    } else {
      return EnvError{i, "environment variable " + std::string(inside) +
                             " is not set (set it, or give a default: ${" + std::string(inside) +
                             ":-value})"};
    }
    i = close + 1;
  }
  return out;
}

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    std::string key(name);
    if (const char* value = std::getenv(key.c_str())) return std::string(value);
    return std::nullopt;
  };
}

}  // namespace lk::config
