#pragma once
// Reading one YAML mapping with positions, defaults from an option table, and every error kept.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"

namespace lk::config {

inline constexpr std::string_view kLocalLocationName = "local";

struct SourcePos {
  std::string file;
  int line = 0;    ///< 1-based
  int column = 0;  ///< 1-based
};

/// A config error: `file:line:col: path.to.field: message`.
struct Error {
  SourcePos pos;
  std::string path;  ///< e.g. "checks[0].interval"
  std::string message;
  std::string to_string() const;
};

/// One documented option. The default is written as it would be in YAML and parsed by the same
/// code as user input, so the table is the single source of defaults and of the docs.
struct Option {
  std::string_view key;            ///< e.g. "interval"
  std::string_view type;           ///< "string", "duration", "bool", "int", "size", "list", "map"
  std::string_view default_value;  ///< "" means no default
  std::string_view help;
  bool required = false;
};

/// Reads the fields of one YAML mapping. Getters fall back to the option's default, report
/// errors (wrong type, out of range, missing required field) with the value's position and
/// return a usable fallback, so that parsing goes on and every error is collected. Keys not
/// in the option table are reported as unknown when the reader is finished.
class Fields {
 public:
  virtual ~Fields() = default;
  virtual bool has(std::string_view key) const = 0;
  virtual std::string string(std::string_view key) = 0;
  virtual std::optional<std::string> optional_string(std::string_view key) = 0;
  virtual bool boolean(std::string_view key) = 0;
  virtual std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) = 0;
  virtual Duration duration(std::string_view key) = 0;
  /// Byte size: "65536", "64KiB", "1MiB", "10MB".
  virtual std::uint64_t size(std::string_view key) = 0;
  virtual std::vector<std::string> string_list(std::string_view key) = 0;
  /// A mapping of strings (e.g. headers), in file order.
  virtual std::vector<std::pair<std::string, std::string>> string_map(std::string_view key) = 0;
  /// Reports an error at the key's value (or at the mapping when the key is absent).
  virtual void error(std::string_view key, std::string message) = 0;
  /// Dotted path of the key for messages, e.g. "checks[2].url".
  virtual std::string path(std::string_view key) const = 0;
};

}  // namespace lk::config
