#pragma once
// Reads one entry of `checks:`. Private to config/.

#include <map>
#include <optional>
#include <span>
#include <string>

#include "config/config.hpp"
#include "config/yaml_fields.hpp"

namespace lk::config {

/// Check names seen so far in this load (across files), with where each was first defined.
using NameRegistry = std::map<std::string, SourcePos, std::less<>>;

/// Parses the check at `path` (e.g. "checks[3]"), reporting every error to `context`.
/// Returns nothing only when the entry is not a mapping at all.
std::optional<Check> parse_check(const YAML::Node& node, const std::string& path,
                                 const Document& doc, ReadContext context,
                                 std::span<const ProbeKindParser> kinds, NameRegistry& names);

}  // namespace lk::config
