#pragma once
// What one load works out once and shares between all its checks. Private to config/.

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "config/fields.hpp"
#include "config/fingerprint.hpp"
#include "config/yaml/document.hpp"
#include "expect/expect.hpp"

namespace lk::config {

/// Option defaults parsed from their YAML text, conditions parsed by text, and the
/// fingerprinter's scratch space. A config of 100,000 checks writes the same few defaults and
/// conditions 100,000 times; each is parsed once. Lives as long as the load (not global).
class LoadCache {
 public:
  using ParsedCondition = std::variant<expect::Condition, expect::ParseError>;

  /// The parsed default of `option` (which must have one); its `error()` is set when the
  /// default is not YAML (a bug in an option table).
  const yaml::Tree& default_value(const Option& option);
  /// `expect::parse(text)`, once per distinct text: a Condition is immutable and shares its
  /// compiled form when copied.
  const ParsedCondition& condition(std::string_view text);
  Fingerprinter& fingerprinter() { return fingerprinter_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  struct Default {
    std::string_view text;  ///< the option's default when parsed (checked: tables are static)
    const yaml::Tree* tree;
  };
  // Node-based maps: a tree or condition never moves once stored.
  std::unordered_map<std::string, yaml::Tree, Hash, std::equal_to<>> default_trees_;
  // By address, searched in order: a load reads a few dozen options, each once per check.
  std::vector<std::pair<const Option*, Default>> defaults_;
  std::unordered_map<std::string, ParsedCondition, Hash, std::equal_to<>> conditions_;
  Fingerprinter fingerprinter_;
};

}  // namespace lk::config
