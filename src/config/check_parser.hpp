#pragma once
// Reads one entry of `checks:`. Private to config/.

#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "config/yaml_fields.hpp"

namespace lk::config {

/// Check names seen so far in this load (across files), with where each was first defined.
/// Holds views of the documents' text: the documents must outlive it.
class NameRegistry {
 public:
  /// Records that `name` is defined where its value node `written` of `doc` is. Returns where
  /// it was first defined when it already was.
  std::optional<SourcePos> add(const std::string& name, yaml::Node written, const Document& doc);
  /// Makes room for this many names in all.
  void reserve(std::size_t names);

 private:
  struct Site {
    std::string_view name;
    const Document* doc;
    yaml::Mark mark;
  };
  // Open addressing over indices into `sites_`: 100,000 names make two flat arrays rather than
  // 100,000 allocated nodes, and a lookup touches one slot.
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t site = 0;  ///< index into sites_ plus one; 0 when the slot is free
  };
  void rehash(std::size_t slot_count);

  std::vector<Site> sites_;
  std::vector<Slot> slots_;
  std::deque<std::string> substituted_;  // names that differ from their text (${VAR})
};

/// Parses the check at `path` (e.g. "checks[3]"), reporting every error to `context`.
/// Returns nothing only when the entry is not a mapping at all.
std::optional<Check> parse_check(yaml::Node node, const std::string& path, const Document& doc,
                                 ReadContext context, std::span<const ProbeKindParser> kinds,
                                 NameRegistry& names);

/// The checks of the running config by name, for a reload to reuse.
using PreviousChecks = std::unordered_map<std::string_view, const Check*>;

/// A reload's shortcut: when the entry names a check of `previous` and its fingerprint (the
/// canonical text with ${VAR}s resolved) is the same, that check can only parse to the same
/// result, so it is copied (with its new position) instead of parsed. Registers the name.
/// Nothing when the entry must be parsed: new, changed, a duplicate name, or not a mapping.
std::optional<Check> reuse_check(yaml::Node node, const Document& doc, ReadContext context,
                                 const PreviousChecks& previous, NameRegistry& names);

}  // namespace lk::config
