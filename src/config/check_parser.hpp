#pragma once
// Reads one entry of `checks:`. Private to config/.

#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "config/config.hpp"
#include "config/yaml_fields.hpp"

namespace lk::config {

/// Check names seen so far in this load (across files), with where each was first defined.
/// Holds views of the documents' text: the documents must outlive it.
class NameRegistry {
 public:
  /// Records that `name` is defined at `mark` of `doc`, where its value node is `written`.
  /// Returns where it was first defined when it already was.
  std::optional<SourcePos> add(const std::string& name, yaml::Node written, const Document& doc);

 private:
  struct Site {
    const Document* doc;
    yaml::Mark mark;
  };
  struct Hash {
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string_view, Site, Hash> sites_;
  std::deque<std::string> substituted_;  // names that differ from their text (${VAR})
};

/// Parses the check at `path` (e.g. "checks[3]"), reporting every error to `context`.
/// Returns nothing only when the entry is not a mapping at all.
std::optional<Check> parse_check(yaml::Node node, const std::string& path, const Document& doc,
                                 ReadContext context, std::span<const ProbeKindParser> kinds,
                                 NameRegistry& names);

}  // namespace lk::config
