#pragma once
// The fingerprint of a check's YAML, so that a reload can tell an unchanged check from a changed
// one. Private to config/.

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/yaml/document.hpp"

namespace lk::config {

/// Canonical forms and fingerprints of YAML values after `${VAR}` substitution, in which
/// formatting, comments, key order, quoting style and anchors do not show. Keeps its scratch
/// space between calls: one per load serves every check without allocating.
class Fingerprinter {
 public:
  /// Compact, deterministic text of `node`: mapping keys sorted, scalars length-prefixed. Valid
  /// until the next call.
  std::string_view canonical_text(yaml::Node node, const EnvLookup& env);
  /// A 64-bit hash of the canonical text, as 11 printable characters. Fingerprints are only
  /// compared within one process (old and new config of a reload), never stored.
  std::string fingerprint(yaml::Node node, const EnvLookup& env);

 private:
  struct Entry {
    std::string_view key;  ///< scalar key, or the canonical text of a complex one
    bool complex;
    std::uint32_t order;
    yaml::Node value;
  };

  void append(yaml::Node node, const EnvLookup& env);
  void append_scalar(std::string_view text);

  std::string out_;
  std::vector<Entry> entries_;            // a stack: each mapping sorts its own range
  std::deque<std::string> complex_keys_;  // keys that are lists or mappings (rare); stable
};

}  // namespace lk::config
