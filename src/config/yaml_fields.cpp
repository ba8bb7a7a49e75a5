#include "config/yaml_fields.hpp"

#include <algorithm>
#include <stdexcept>

#include "config/env.hpp"
#include "config/text.hpp"

namespace lk::config {

namespace {

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return in_quotes(node.Scalar());
    default:
      return "nothing";
  }
}

bool is_empty(const YAML::Node& node) {
  return !node.IsDefined() || node.IsNull();
}

}  // namespace

std::string Error::to_string() const {
  std::string out = pos.file;
  if (pos.line > 0) out += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
  out += ": ";
  if (!path.empty()) out += path + ": ";
  return out + message;
}

SourcePos position(const Document& doc, const YAML::Mark& mark) {
  if (mark.is_null()) return {doc.file, 1, 1};
  return {doc.file, mark.line + 1, mark.column + 1};
}

SourcePos LocatedText::pos_at(std::size_t offset) const {
  if (!first_column) return pos;
  return {pos.file, pos.line, *first_column + static_cast<int>(offset)};
}

YamlFields::YamlFields(YAML::Node mapping, std::string path_prefix, const Document& doc,
                       ReadContext context, std::vector<std::span<const Option>> tables)
    : mapping_(std::move(mapping)),
      prefix_(std::move(path_prefix)),
      doc_(doc),
      context_(context),
      tables_(std::move(tables)) {
  if (!mapping_.IsMap()) return;
  for (auto it = mapping_.begin(); it != mapping_.end(); ++it) {
    std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
    entries_.push_back({std::move(key), it->first, it->second});
  }
}

void YamlFields::add_options(std::span<const Option> table) {
  tables_.push_back(table);
}

const Option& YamlFields::option(std::string_view key) const {
  for (auto table : tables_) {
    for (const Option& o : table) {
      if (o.key == key) return o;
    }
  }
  throw std::logic_error("config: option '" + std::string(key) + "' is read at " +
                         (prefix_.empty() ? std::string("top level") : prefix_) +
                         " but is not in its option table");
}

const YamlFields::Entry* YamlFields::entry(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (e.key == key && e.key_node.IsScalar()) return &e;
  }
  return nullptr;
}

bool YamlFields::has(std::string_view key) const {
  const Entry* e = entry(key);
  return e && !is_empty(e->value);
}

YAML::Node YamlFields::node(std::string_view key) const {
  option(key);
  const Entry* e = entry(key);
  return e ? e->value : YAML::Node(YAML::NodeType::Null);
}

SourcePos YamlFields::mapping_pos() const {
  return position(doc_, mapping_.Mark());
}

SourcePos YamlFields::pos(std::string_view key) const {
  const Entry* e = entry(key);
  if (!e) return mapping_pos();
  // An empty value's mark points past the key, often at the next line: the key is clearer.
  if (is_empty(e->value)) return position(doc_, e->key_node.Mark());
  return position(doc_, e->value.Mark());
}

std::string YamlFields::path(std::string_view key) const {
  if (prefix_.empty()) return std::string(key);
  return prefix_ + "." + std::string(key);
}

void YamlFields::error(std::string_view key, std::string message) {
  context_.errors.push_back({pos(key), path(key), std::move(message)});
}

void YamlFields::report(const Value& value, std::string message) {
  if (value.from_default) {
    throw std::logic_error("config: the default of '" + value.path + "' is invalid: " + message);
  }
  context_.errors.push_back({value.pos, value.path, std::move(message)});
}

void YamlFields::mark_handled(std::string_view key) {
  handled_.emplace_back(key);
}

// Reads one option: the user's value when given (falling back to the default when it is
// wrong, so one mistake does not cascade into others), else the default, else `fallback`.
template <class T, class Convert>
T YamlFields::get(std::string_view key, T fallback, Convert convert) {
  const Option& opt = option(key);
  if (has(key)) {
    if (std::optional<T> value = convert(Value{entry(key)->value, pos(key), path(key), false})) {
      return std::move(*value);
    }
  } else if (opt.required) {
    error(key, "missing required field");
  }
  if (opt.default_value.empty()) return fallback;
  YAML::Node default_node;
  try {
    default_node = YAML::Load(std::string(opt.default_value));
  } catch (const YAML::Exception& e) {
    throw std::logic_error("config: the default of '" + path(key) + "' is not YAML: " + e.what());
  }
  std::optional<T> value = convert(Value{default_node, mapping_pos(), path(key), true});
  return value ? std::move(*value) : fallback;
}

std::optional<std::string> YamlFields::scalar_text(const Value& value, std::string_view expected) {
  if (!value.node.IsScalar()) {
    report(value, "expected " + std::string(expected) + ", got " + describe(value.node));
    return std::nullopt;
  }
  if (value.from_default) return value.node.Scalar();
  auto substituted = substitute_env(value.node.Scalar(), context_.env);
  if (auto* failure = std::get_if<EnvError>(&substituted)) {
    report(value, failure->message);
    return std::nullopt;
  }
  return std::get<std::string>(std::move(substituted));
}

std::string YamlFields::string(std::string_view key) {
  return get<std::string>(key, {}, [&](const Value& v) { return scalar_text(v, "a string"); });
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
  return get<bool>(key, false, [&](const Value& v) -> std::optional<bool> {
    auto text = scalar_text(v, "true or false");
    if (!text) return std::nullopt;
    auto value = parse_bool(*text);
    if (!value) report(v, "expected true or false, got " + in_quotes(*text));
    return value;
  });
}

std::int64_t YamlFields::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  return get<std::int64_t>(key, min, [&](const Value& v) -> std::optional<std::int64_t> {
    auto text = scalar_text(v, "an integer");
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
  return get<Duration>(key, Duration::zero(), [&](const Value& v) -> std::optional<Duration> {
    auto text = scalar_text(v, "a duration like 30s");
    if (!text) return std::nullopt;
    auto value = parse_duration(*text);
    if (!value) report(v, "expected a duration like 30s, got " + in_quotes(*text));
    return value;
  });
}

std::uint64_t YamlFields::size(std::string_view key) {
  return get<std::uint64_t>(key, 0, [&](const Value& v) -> std::optional<std::uint64_t> {
    auto text = scalar_text(v, "a size like 64KiB");
    if (!text) return std::nullopt;
    auto value = parse_byte_size(*text);
    if (!value) report(v, "expected a size like 64KiB, got " + in_quotes(*text));
    return value;
  });
}

std::vector<YamlFields::Value> YamlFields::list_items(const Value& value) {
  if (value.node.IsScalar()) return {value};
  std::vector<Value> items;
  if (!value.node.IsSequence()) {
    report(value, "expected a list of strings, got " + describe(value.node));
    return items;
  }
  for (std::size_t i = 0; i < value.node.size(); ++i) {
    const YAML::Node item = value.node[i];
    SourcePos item_pos = value.from_default ? value.pos : position(doc_, item.Mark());
    items.push_back(
        {item, item_pos, value.path + "[" + std::to_string(i) + "]", value.from_default});
  }
  return items;
}

LocatedText YamlFields::locate(const Value& item, std::string text) const {
  LocatedText located{std::move(text), item.pos, item.path, std::nullopt};
  const YAML::Mark mark = item.node.Mark();
  if (item.from_default || mark.is_null() || located.text.find('\n') != std::string::npos) {
    return located;
  }
  // Only a value written exactly as it reads maps offsets to columns: plain, or quoted with
  // nothing escaped. Anything else (escapes, folding, ${VAR}) points at the value's start.
  std::string_view source = doc_.text;
  auto start = static_cast<std::size_t>(mark.pos);
  if (start >= source.size()) return located;
  const std::string& t = located.text;
  if (source.substr(start, t.size()) == t) {
    located.first_column = item.pos.column;
  } else if ((source[start] == '"' || source[start] == '\'') &&
             source.substr(start + 1, t.size()) == t &&
             source.substr(start + 1 + t.size(), 1) == source.substr(start, 1)) {
    located.first_column = item.pos.column + 1;
  }
  return located;
}

std::vector<LocatedText> YamlFields::located_strings(std::string_view key) {
  return get<std::vector<LocatedText>>(
      key, {}, [&](const Value& v) -> std::optional<std::vector<LocatedText>> {
        std::vector<LocatedText> out;
        for (const Value& item : list_items(v)) {
          if (auto text = scalar_text(item, "a string")) out.push_back(locate(item, *text));
        }
        return out;
      });
}

std::vector<std::string> YamlFields::string_list(std::string_view key) {
  std::vector<std::string> out;
  for (LocatedText& item : located_strings(key)) out.push_back(std::move(item.text));
  return out;
}

std::vector<std::pair<std::string, std::string>> YamlFields::string_map(std::string_view key) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  return get<Pairs>(key, {}, [&](const Value& v) -> std::optional<Pairs> {
    if (!v.node.IsMap()) {
      report(v, "expected a mapping of strings, got " + describe(v.node));
      return std::nullopt;
    }
    Pairs out;
    for (auto it = v.node.begin(); it != v.node.end(); ++it) {
      std::string name = it->first.IsScalar() ? it->first.Scalar() : "?";
      SourcePos item_pos = v.from_default ? v.pos : position(doc_, it->second.Mark());
      Value item{it->second, item_pos, v.path + "." + name, v.from_default};
      if (!it->first.IsScalar()) {
        report(item, "expected a name, got " + describe(it->first));
      } else if (auto text = scalar_text(item, "a string")) {
        out.emplace_back(std::move(name), std::move(*text));
      }
    }
    return out;
  });
}

void YamlFields::finish() {
  std::vector<std::string_view> known;
  for (auto table : tables_) {
    for (const Option& o : table) known.push_back(o.key);
  }
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    SourcePos key_pos = position(doc_, e.key_node.Mark());
    if (!e.key_node.IsScalar()) {
      context_.errors.push_back(
          {key_pos, prefix_, "expected a field name, got " + describe(e.key_node)});
      continue;
    }
    auto first = std::find_if(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(i),
                              [&](const Entry& other) { return other.key == e.key; });
    if (first != entries_.begin() + static_cast<std::ptrdiff_t>(i)) {
      int first_line = position(doc_, first->key_node.Mark()).line;
      context_.errors.push_back(
          {key_pos, path(e.key),
           "field given twice; the first is on line " + std::to_string(first_line)});
      continue;
    }
    bool is_known = std::find(known.begin(), known.end(), e.key) != known.end() ||
                    std::find(handled_.begin(), handled_.end(), e.key) != handled_.end();
    if (is_known) continue;
    std::string message = "unknown field";
    if (auto suggestion = closest_match(e.key, known)) {
      message += "; did you mean '" + std::string(*suggestion) + "'?";
    }
    context_.errors.push_back({key_pos, path(e.key), std::move(message)});
  }
}

}  // namespace lk::config
