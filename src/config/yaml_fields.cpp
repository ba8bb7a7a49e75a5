#include "config/yaml_fields.hpp"

#include <algorithm>
#include <stdexcept>

#include "config/env.hpp"
#include "config/load_cache.hpp"
#include "config/text.hpp"

namespace lk::config {

namespace {

std::string describe(yaml::Node node) {
  switch (node.kind()) {
    case yaml::Kind::sequence:
      return "a list";
    case yaml::Kind::mapping:
      return "a mapping";
    case yaml::Kind::scalar:
      return in_quotes(node.scalar());
    default:
      return "nothing";
  }
}

// Keys are short and mostly differ in length or first letter: a loop beats a call to memcmp.
bool same_key(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string Error::to_string() const {
  std::string out = pos.file;
  if (pos.line > 0) out += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
  out += ": ";
  if (!path.empty()) out += path + ": ";
  return out + message;
}

SourcePos position(const Document& doc, yaml::Mark mark) {
  return {doc.file, static_cast<int>(mark.line) + 1, static_cast<int>(mark.column) + 1};
}

LocatedText::LocatedText(std::string text, const YamlFields& fields, FieldValue value)
    : text(std::move(text)), fields_(&fields), value_(value) {}

SourcePos LocatedText::pos() const {
  return fields_->pos(value_);
}

std::string LocatedText::path() const {
  return fields_->path(value_);
}

SourcePos LocatedText::pos_at(std::size_t offset) const {
  const yaml::Node& node = value_.node;
  // Verbatim and unchanged by ${VAR} substitution: offsets in the text are columns.
  if (value_.from_default || !node.is_verbatim() || node.scalar() != text) return pos();
  SourcePos at = position(fields_->document(), node.mark());
  // Columns count characters, as libyaml's marks do; the offset counts bytes.
  std::string_view before = std::string_view(text).substr(0, offset);
  auto characters = std::count_if(before.begin(), before.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  at.column = static_cast<int>(node.value_column()) + 1 + static_cast<int>(characters);
  return at;
}

YamlFields::YamlFields(yaml::Node mapping, std::string path_prefix, const Document& doc,
                       ReadContext context, std::span<const Option> options)
    : mapping_(mapping), prefix_(std::move(path_prefix)), doc_(doc), context_(context) {
  if (!context_.cache) {
    own_cache_ = std::make_unique<LoadCache>();
    context_.cache = own_cache_.get();
  }
  add_options(options);
  const std::size_t count = mapping_.size();
  Key* keys = inline_keys_.data();
  if (count > kInlineKeys) {
    many_keys_.resize(count);
    keys = many_keys_.data();
  }
  std::size_t i = 0;
  for (Entry e : mapping_.entries()) {
    keys[i++] = {e.key.is_scalar() ? e.key.scalar() : std::string_view(), e};
  }
  keys_ = std::span<const Key>(keys, count);
}

YamlFields::~YamlFields() = default;

LoadCache& YamlFields::cache() {
  return *context_.cache;
}

void YamlFields::add_options(std::span<const Option> table) {
  if (table_count_ == kMaxTables) {
    throw std::logic_error("config: more than " + std::to_string(kMaxTables) +
                           " option tables for one mapping");
  }
  tables_[table_count_++] = table;
}

const Option& YamlFields::option(std::string_view key) const {
  for (std::size_t t = 0; t < table_count_; ++t) {
    for (const Option& o : tables_[t]) {
      if (same_key(o.key, key)) return o;
    }
  }
  throw std::logic_error("config: option '" + std::string(key) + "' is read at " +
                         (prefix_.empty() ? std::string("top level") : prefix_) +
                         " but is not in its option table");
}

std::optional<YamlFields::Entry> YamlFields::entry(std::string_view key) const {
  for (const Key& k : keys_) {
    if (same_key(k.text, key) && k.entry.key.is_scalar()) return k.entry;
  }
  return std::nullopt;
}

bool YamlFields::has(std::string_view key) const {
  auto e = entry(key);
  return e && !e->value.is_null();
}

yaml::Node YamlFields::node(std::string_view key) const {
  option(key);
  auto e = entry(key);
  return e ? e->value : yaml::Node();
}

SourcePos YamlFields::mapping_pos() const {
  return position(doc_, mapping_.mark());
}

SourcePos YamlFields::pos(std::string_view key) const {
  auto e = entry(key);
  if (!e) return mapping_pos();
  // An empty value's mark points past the key, often at the next line: the key is clearer.
  if (e->value.is_null()) return position(doc_, e->key.mark());
  return position(doc_, e->value.mark());
}

SourcePos YamlFields::pos(const FieldValue& value) const {
  if (value.from_default) return mapping_pos();
  if (value.index < 0 && value.entry.empty()) return pos(value.key);
  return position(doc_, value.node.mark());
}

std::string YamlFields::path(std::string_view key) const {
  if (prefix_.empty()) return std::string(key);
  return prefix_ + "." + std::string(key);
}

std::string YamlFields::path(const FieldValue& value) const {
  std::string out = path(value.key);
  if (value.index >= 0) out += "[" + std::to_string(value.index) + "]";
  if (!value.entry.empty()) out += "." + std::string(value.entry);
  return out;
}

void YamlFields::error(std::string_view key, std::string message) {
  context_.errors.push_back({pos(key), path(key), std::move(message)});
}

void YamlFields::report(const FieldValue& value, std::string message) {
  if (value.from_default) {
    throw std::logic_error("config: the default of '" + path(value) + "' is invalid: " + message);
  }
  context_.errors.push_back({pos(value), path(value), std::move(message)});
}

void YamlFields::mark_handled(std::string_view key) {
  handled_.emplace_back(key);
}

// Reads one option: the user's value when given (falling back to the default when it is
// wrong, so one mistake does not cascade into others), else the default, else `fallback`.
template <class T, class Convert>
T YamlFields::get(std::string_view key, T fallback, Convert convert) {
  const Option& opt = option(key);
  auto e = entry(key);
  if (e && !e->value.is_null()) {
    if (std::optional<T> value = convert(FieldValue{e->value, opt.key})) return std::move(*value);
  } else if (opt.required) {
    error(key, "missing required field");
  }
  if (opt.default_value.empty()) return fallback;
  const yaml::Tree& default_tree = cache().default_value(opt);
  if (default_tree.error()) {
    throw std::logic_error("config: the default of '" + path(key) +
                           "' is not YAML: " + default_tree.error()->message);
  }
  std::optional<T> value = convert(FieldValue{default_tree.root(), opt.key, -1, {}, true});
  return value ? std::move(*value) : fallback;
}

std::optional<std::string_view> YamlFields::scalar_view(const FieldValue& value,
                                                        std::string_view expected,
                                                        std::string& storage) {
  if (!value.node.is_scalar()) {
    report(value, "expected " + std::string(expected) + ", got " + describe(value.node));
    return std::nullopt;
  }
  std::string_view raw = value.node.scalar();
  // Substitution only ever changes text at a '$'.
  if (value.from_default || raw.find('$') == std::string_view::npos) return raw;
  auto substituted = substitute_env(raw, context_.env);
  if (auto* failure = std::get_if<EnvError>(&substituted)) {
    report(value, failure->message);
    return std::nullopt;
  }
  storage = std::get<std::string>(std::move(substituted));
  return storage;
}

std::optional<std::string> YamlFields::scalar_text(const FieldValue& value,
                                                   std::string_view expected) {
  std::string storage;
  auto text = scalar_view(value, expected, storage);
  if (!text) return std::nullopt;
  if (text->data() == storage.data()) return storage;
  return std::string(*text);
}

std::string YamlFields::string(std::string_view key) {
  return get<std::string>(key, {}, [&](const FieldValue& v) { return scalar_text(v, "a string"); });
}

std::optional<std::string> YamlFields::optional_string(std::string_view key) {
  const Option& opt = option(key);
  if (!has(key) && opt.default_value.empty()) {
    if (opt.required) error(key, "missing required field");
    return std::nullopt;
  }
  return string(key);
}

bool YamlFields::boolean(std::string_view key) {
  return get<bool>(key, false, [&](const FieldValue& v) -> std::optional<bool> {
    std::string storage;
    auto text = scalar_view(v, "true or false", storage);
    if (!text) return std::nullopt;
    auto value = parse_bool(*text);
    if (!value) report(v, "expected true or false, got " + in_quotes(*text));
    return value;
  });
}

std::int64_t YamlFields::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  return get<std::int64_t>(key, min, [&](const FieldValue& v) -> std::optional<std::int64_t> {
    std::string storage;
    auto text = scalar_view(v, "an integer", storage);
    if (!text) return std::nullopt;
    auto value = parse_integer(*text);
    if (!value) {
      report(v, "expected an integer, got " + in_quotes(*text));
    } else if (*value < min || *value > max) {
      report(v, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                    ", got " + std::to_string(*value));
      return std::nullopt;
    }
    return value;
  });
}

Duration YamlFields::duration(std::string_view key) {
  return get<Duration>(key, Duration::zero(), [&](const FieldValue& v) -> std::optional<Duration> {
    std::string storage;
    auto text = scalar_view(v, "a duration like 30s", storage);
    if (!text) return std::nullopt;
    auto value = parse_duration(*text);
    if (!value) report(v, "expected a duration like 30s, got " + in_quotes(*text));
    return value;
  });
}

std::uint64_t YamlFields::size(std::string_view key) {
  return get<std::uint64_t>(key, 0, [&](const FieldValue& v) -> std::optional<std::uint64_t> {
    std::string storage;
    auto text = scalar_view(v, "a size like 64KiB", storage);
    if (!text) return std::nullopt;
    auto value = parse_byte_size(*text);
    if (!value) report(v, "expected a size like 64KiB, got " + in_quotes(*text));
    return value;
  });
}

std::vector<LocatedText> YamlFields::located_strings(std::string_view key) {
  return get<std::vector<LocatedText>>(
      key, {}, [&](const FieldValue& v) -> std::optional<std::vector<LocatedText>> {
        std::vector<LocatedText> out;
        auto add = [&](const FieldValue& item) {
          if (auto text = scalar_text(item, "a string"))
            out.emplace_back(*std::move(text), *this, item);
        };
        if (v.node.is_scalar()) {
          add(v);
          return out;
        }
        if (!v.node.is_sequence()) {
          report(v, "expected a list of strings, got " + describe(v.node));
          return out;
        }
        out.reserve(v.node.size());
        int index = 0;
        for (yaml::Node item : v.node.items()) add({item, v.key, index++, {}, v.from_default});
        return out;
      });
}

std::vector<std::string> YamlFields::string_list(std::string_view key) {
  std::vector<std::string> out;
  std::vector<LocatedText> items = located_strings(key);
  out.reserve(items.size());
  for (LocatedText& item : items) out.push_back(std::move(item.text));
  return out;
}

std::vector<std::pair<std::string, std::string>> YamlFields::string_map(std::string_view key) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  return get<Pairs>(key, {}, [&](const FieldValue& v) -> std::optional<Pairs> {
    if (!v.node.is_mapping()) {
      report(v, "expected a mapping of strings, got " + describe(v.node));
      return std::nullopt;
    }
    Pairs out;
    out.reserve(v.node.size());
    for (auto [name, value] : v.node.entries()) {
      FieldValue item{value, v.key, -1, name.is_scalar() ? name.scalar() : "?", v.from_default};
      if (!name.is_scalar()) {
        report(item, "expected a name, got " + describe(name));
      } else if (auto text = scalar_text(item, "a string")) {
        out.emplace_back(std::string(name.scalar()), std::move(*text));
      }
    }
    return out;
  });
}

void YamlFields::finish() {
  auto is_known = [&](std::string_view key) {
    for (std::size_t t = 0; t < table_count_; ++t) {
      for (const Option& o : tables_[t]) {
        if (same_key(o.key, key)) return true;
      }
    }
    return std::find(handled_.begin(), handled_.end(), key) != handled_.end();
  };
  auto entries = mapping_.entries();
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    const Entry e = *it;
    auto key_pos = [&] { return position(doc_, e.key.mark()); };
    if (!e.key.is_scalar()) {
      context_.errors.push_back(
          {key_pos(), prefix_, "expected a field name, got " + describe(e.key)});
      continue;
    }
    const std::string_view key = e.key.scalar();
    auto first = std::find_if(entries.begin(), it, [&](const Entry& other) {
      return other.key.is_scalar() && other.key.scalar() == key;
    });
    if (first != it) {
      int first_line = position(doc_, (*first).key.mark()).line;
      context_.errors.push_back(
          {key_pos(), path(key),
           "field given twice; the first is on line " + std::to_string(first_line)});
      continue;
    }
    if (is_known(key)) continue;
    std::vector<std::string_view> known;
    for (std::size_t t = 0; t < table_count_; ++t) {
      for (const Option& o : tables_[t]) known.push_back(o.key);
    }
    std::string message = "unknown field";
    if (auto suggestion = closest_match(key, known)) {
      message += "; did you mean '" + std::string(*suggestion) + "'?";
    }
    context_.errors.push_back({key_pos(), path(key), std::move(message)});
  }
}

}  // namespace lk::config
