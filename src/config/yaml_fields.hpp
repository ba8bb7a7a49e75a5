#pragma once
// The Fields reader over one mapping of a parsed YAML document. Private to config/: the
// document model stays out of the public headers.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/fields.hpp"
#include "config/yaml/document.hpp"

namespace lk::config {

class LoadCache;
class YamlFields;

/// One YAML file being read: its name for messages and its parsed text.
struct Document {
  std::string file;
  yaml::Tree tree;
};

/// What every reader of one load shares: where `${VAR}`s come from, where errors go, and what
/// is worked out once per load (without a cache, each reader keeps its own).
struct ReadContext {
  const EnvLookup& env;
  std::vector<Error>& errors;
  LoadCache* cache = nullptr;
};

/// The 1-based position of a (0-based) mark in a document.
SourcePos position(const Document& doc, yaml::Mark mark);

/// One value being converted: the user's (or an item or entry of it), or an option's default
/// (whose errors are bugs). Its position and path are only worked out for messages.
struct FieldValue {
  yaml::Node node;
  std::string_view key;    ///< the option's key (static: it is the option table's)
  int index = -1;          ///< item of a list, or -1
  std::string_view entry;  ///< key of a mapping entry (as in the tree), or empty
  bool from_default = false;
};

/// A string value with where it was written, for values whose contents are parsed further
/// (conditions, include paths) so that their errors can point inside them.
class LocatedText {
 public:
  LocatedText(std::string text, const YamlFields& fields, FieldValue value);

  std::string text;
  /// Where the value starts.
  SourcePos pos() const;
  /// e.g. "checks[0].expect[1]"
  std::string path() const;
  /// Position of byte `offset` of the text, or of the whole value when it does not map: only a
  /// value written exactly as it reads (plain, or quoted without escapes, on one line, without
  /// `${VAR}`) maps offsets to columns.
  SourcePos pos_at(std::size_t offset) const;

 private:
  const YamlFields* fields_;
  FieldValue value_;
};

/// A `Fields` over one YAML mapping (a null node reads as an empty mapping). Getters apply
/// `${VAR}` substitution to every scalar they read, before interpreting it.
class YamlFields final : public Fields {
 public:
  YamlFields(yaml::Node mapping, std::string path_prefix, const Document& doc, ReadContext context,
             std::span<const Option> options);
  ~YamlFields() override;
  YamlFields(const YamlFields&) = delete;  // keys_ may point into the reader itself
  YamlFields& operator=(const YamlFields&) = delete;

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

  /// Adds an option table, e.g. the probe kind's once the check's type is known (at most
  /// `kMaxTables` in all).
  void add_options(std::span<const Option> table);
  static constexpr std::size_t kMaxTables = 4;
  /// The strings of a list (a single string counts as a list of one), with their positions.
  std::vector<LocatedText> located_strings(std::string_view key);
  /// The raw value of a key (an absent node when not given). The key must be in a table.
  yaml::Node node(std::string_view key) const;
  /// Position of the key's value, of the key when its value is empty, else of the mapping.
  SourcePos pos(std::string_view key) const;
  SourcePos mapping_pos() const;
  /// Position and path of a value for messages.
  SourcePos pos(const FieldValue& value) const;
  std::string path(const FieldValue& value) const;
  /// Treats a present key as dealt with by the caller, so `finish` does not report it.
  void mark_handled(std::string_view key);
  /// Reports every key that is in no table (with a suggestion when one is close) and every key
  /// given twice.
  void finish();

  const Document& document() const { return doc_; }
  /// The dotted path of this mapping, e.g. "routes[2]".
  const std::string& prefix() const { return prefix_; }
  /// The load's cache (or this reader's own).
  LoadCache& cache();

 private:
  using Entry = yaml::Node::Entry;
  struct Key {
    std::string_view text;  ///< empty when the key is not a scalar
    Entry entry;
  };

  const Option& option(std::string_view key) const;
  /// The first entry whose key is the scalar `key`.
  std::optional<Entry> entry(std::string_view key) const;
  template <class T, class Convert>
  T get(std::string_view key, T fallback, Convert convert);
  /// The scalar's text after `${VAR}` substitution: a view of the document, or of `storage`
  /// when substitution changed it. Reports and returns nothing when it is not a scalar.
  std::optional<std::string_view> scalar_view(const FieldValue& value, std::string_view expected,
                                              std::string& storage);
  std::optional<std::string> scalar_text(const FieldValue& value, std::string_view expected);
  void report(const FieldValue& value, std::string message);

  yaml::Node mapping_;
  std::string prefix_;
  const Document& doc_;
  ReadContext context_;
  std::unique_ptr<LoadCache> own_cache_;
  // Fixed arrays: a reader is made per check and must not allocate. Every read looks up a key
  // and its option: the keys are gathered once, in the reader for a mapping of a usual size.
  std::array<std::span<const Option>, kMaxTables> tables_;
  std::size_t table_count_ = 0;
  static constexpr std::size_t kInlineKeys = 16;
  std::array<Key, kInlineKeys> inline_keys_;
  std::vector<Key> many_keys_;
  std::span<const Key> keys_;
  std::vector<std::string> handled_;
};

/// Reads the list of mappings under `key` of `parent`: calls `fn(fields, node)` for each item
/// with a reader over it (path `key[i]`) and its option `table`, then finishes that reader.
/// Reports a value that is not a list, items that are not mappings, and, when `required`, a
/// missing list.
template <class Fn>
void read_mapping_list(YamlFields& parent, std::string_view key, std::span<const Option> table,
                       ReadContext context, Fn fn, bool required = false) {
  yaml::Node list = parent.node(key);
  if (list.is_null()) {
    if (required) parent.error(key, "missing required field");
    return;
  }
  if (!list.is_sequence()) {
    parent.error(key, "expected a list of mappings (each starting with '- ')");
    return;
  }
  std::size_t i = 0;
  for (yaml::Node item : list.items()) {
    std::string path = parent.path(key) + "[" + std::to_string(i++) + "]";
    if (!item.is_mapping()) {
      context.errors.push_back(
          {position(parent.document(), item.mark()), path, "expected a mapping"});
      continue;
    }
    YamlFields fields(item, path, parent.document(), context, table);
    fn(fields, item);
    fields.finish();
  }
}

}  // namespace lk::config
