#pragma once
// The Fields reader over one yaml-cpp mapping. Private to config/: yaml-cpp stays out of the
// public headers.

#include <yaml-cpp/yaml.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/fields.hpp"

namespace lk::config {

/// One YAML file being read: its name for messages and its text, so that an offset inside a
/// value (of a condition, say) can be turned into a column.
struct Document {
  std::string file;
  std::string text;
};

/// What every reader of one load shares: where `${VAR}`s come from and where errors go.
struct ReadContext {
  const EnvLookup& env;
  std::vector<Error>& errors;
};

/// The 1-based position of a yaml-cpp mark (which is 0-based) in a document.
SourcePos position(const Document& doc, const YAML::Mark& mark);

/// A string value with where it was written, for values whose contents are parsed further
/// (conditions, include paths) so that their errors can point inside them.
struct LocatedText {
  std::string text;
  SourcePos pos;
  std::string path;  ///< e.g. "checks[0].expect[1]"
  /// Column of `text[0]` when the value is written verbatim on one line (plain or quoted
  /// without escapes, no `${VAR}`), so that an offset into the text maps to a column.
  std::optional<int> first_column;

  /// Position of byte `offset` of the text, or of the whole value when it does not map.
  SourcePos pos_at(std::size_t offset) const;
};

/// A `Fields` over one YAML mapping (a null node reads as an empty mapping). Getters apply
/// `${VAR}` substitution to every scalar they read, before interpreting it.
class YamlFields final : public Fields {
 public:
  YamlFields(YAML::Node mapping, std::string path_prefix, const Document& doc, ReadContext context,
             std::vector<std::span<const Option>> tables);

  bool has(std::string_view key) const override;
  std::string string(std::string_view key) override;
  std::optional<std::string> optional_string(std::string_view key) override;
  bool boolean(std::string_view key) override;
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) override;
  Duration duration(std::string_view key) override;
  std::uint64_t size(std::string_view key) override;
  std::vector<std::string> string_list(std::string_view key) override;
  std::vector<std::pair<std::string, std::string>> string_map(std::string_view key) override;
  void error(std::string_view key, std::string message) override;
  std::string path(std::string_view key) const override;

  /// Adds an option table, e.g. the probe kind's once the check's type is known.
  void add_options(std::span<const Option> table);
  /// The strings of a list (a single string counts as a list of one), with their positions.
  std::vector<LocatedText> located_strings(std::string_view key);
  /// The raw value of a key (a null node when absent). The key must be in a table.
  YAML::Node node(std::string_view key) const;
  /// Position of the key's value, of the key when its value is empty, else of the mapping.
  SourcePos pos(std::string_view key) const;
  SourcePos mapping_pos() const;
  /// Treats a present key as dealt with by the caller, so `finish` does not report it.
  void mark_handled(std::string_view key);
  /// Reports every key that is in no table (with a suggestion when one is close) and every key
  /// given twice.
  void finish();

 private:
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };
  /// A value to convert: the user's, or an option's default (whose errors are bugs).
  struct Value {
    YAML::Node node;
    SourcePos pos;
    std::string path;
    bool from_default = false;
  };

  const Option& option(std::string_view key) const;
  const Entry* entry(std::string_view key) const;
  template <class T, class Convert>
  T get(std::string_view key, T fallback, Convert convert);
  std::optional<std::string> scalar_text(const Value& value, std::string_view expected);
  std::vector<Value> list_items(const Value& value);
  void report(const Value& value, std::string message);
  LocatedText locate(const Value& item, std::string text) const;

  YAML::Node mapping_;
  std::string prefix_;
  const Document& doc_;
  ReadContext context_;
  std::vector<std::span<const Option>> tables_;
  std::vector<Entry> entries_;
  std::vector<std::string> handled_;
};

}  // namespace lk::config
