#include "config/check_parser.hpp"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "config/fingerprint.hpp"
#include "config/load_cache.hpp"
#include "config/text.hpp"

namespace lk::config {

namespace {

constexpr std::size_t kMaxNameLength = 100;
// Short enough for tests on loopback; real checks should not need to run this often.
constexpr Duration kMinInterval = std::chrono::milliseconds{100};

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

void check_name(YamlFields& fields, const std::string& name, NameRegistry& names) {
  if (!fields.has("name")) return;  // already reported as missing
  if (name.empty() || name.size() > kMaxNameLength) {
    fields.error("name", "must be 1 to " + std::to_string(kMaxNameLength) +
                             " characters long, got " + std::to_string(name.size()));
    return;
  }
  if (!std::all_of(name.begin(), name.end(), is_name_char)) {
    fields.error("name",
                 "may contain only letters, digits, '.', '_' and '-', got " + in_quotes(name));
    return;
  }
  if (auto first = names.add(name, fields.node("name"), fields.document())) {
    const SourcePos& p = *first;
    fields.error("name", "duplicate check name " + in_quotes(name) + "; the first is at " + p.file +
                             ":" + std::to_string(p.line) + ":" + std::to_string(p.column));
  }
}

const ProbeKindParser* find_kind(YamlFields& fields, const std::string& type,
                                 std::span<const ProbeKindParser> kinds) {
  for (const ProbeKindParser& kind : kinds) {
    if (kind.type == type) return &kind;
  }
  if (!fields.has("type")) return nullptr;  // already reported as missing
  std::vector<std::string_view> known;
  for (const ProbeKindParser& kind : kinds) known.push_back(kind.type);
  std::sort(known.begin(), known.end());
  std::string message = "unknown type " + in_quotes(type) + ";";
  if (auto suggestion = closest_match(type, known)) {
    message += " did you mean '" + std::string(*suggestion) + "'?";
  }
  message += " known types:";
  for (std::size_t i = 0; i < known.size(); ++i) {
    message += (i == 0 ? " " : ", ") + std::string(known[i]);
  }
  fields.error("type", message);
  return nullptr;
}

std::vector<expect::Condition> parse_conditions(YamlFields& fields, std::string_view key,
                                                ReadContext context) {
  std::vector<expect::Condition> conditions;
  std::vector<LocatedText> items = fields.located_strings(key);
  conditions.reserve(items.size());
  for (const LocatedText& item : items) {
    const auto& parsed = fields.cache().condition(item.text);
    if (auto* failure = std::get_if<expect::ParseError>(&parsed)) {
      context.errors.push_back({item.pos_at(failure->offset), item.path(),
                                "condition " + in_quotes(item.text) + ": " + failure->message +
                                    " at offset " + std::to_string(failure->offset)});
    } else {
      conditions.push_back(std::get<expect::Condition>(parsed));
    }
  }
  return conditions;
}

void read_timing(YamlFields& fields, CheckSpec& spec) {
  spec.interval = fields.duration("interval");
  spec.timeout = fields.duration("timeout");
  if (spec.interval < kMinInterval) {
    fields.error("interval", "must be at least " + format_duration(kMinInterval) + ", got " +
                                 format_duration(spec.interval));
    return;  // comparing the timeout with a wrong interval would only repeat the mistake
  }
  if (spec.timeout <= Duration::zero()) {
    fields.error("timeout", "must be more than 0s");
  } else if (spec.timeout > spec.interval) {
    // Say it where the user wrote something: the timeout, or the interval under a default one.
    if (fields.has("timeout")) {
      fields.error("timeout", "timeout " + format_duration(spec.timeout) +
                                  " must not exceed the interval " +
                                  format_duration(spec.interval));
    } else {
      fields.error("interval", "interval " + format_duration(spec.interval) +
                                   " is shorter than the default timeout " +
                                   format_duration(spec.timeout) + "; set a shorter timeout");
    }
  }
}

}  // namespace

std::optional<SourcePos> NameRegistry::add(const std::string& name, yaml::Node written,
                                           const Document& doc) {
  // Keys are views: of the document's text when the name is written as it reads (nearly
  // always), else of a copy.
  std::string_view key = written.scalar();
  if (key != name) key = substituted_.emplace_back(name);
  if (2 * (sites_.size() + 1) > slots_.size())
    rehash(std::max<std::size_t>(1024, 2 * slots_.size()));
  auto hash = static_cast<std::uint32_t>(std::hash<std::string_view>{}(key));
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.site == 0) {
      sites_.push_back({key, &doc, written.mark()});
      slot = {hash, static_cast<std::uint32_t>(sites_.size())};
      return std::nullopt;
    }
    const Site& site = sites_[slot.site - 1];
    if (slot.hash == hash && site.name == key) return position(*site.doc, site.mark);
  }
}

void NameRegistry::reserve(std::size_t names) {
  // Geometric growth: many included files must not each copy all the names so far.
  if (sites_.capacity() < names) sites_.reserve(std::max(names, 2 * sites_.capacity()));
  std::size_t slot_count = 1024;
  while (slot_count < 2 * names) slot_count *= 2;
  if (slot_count > slots_.size()) rehash(slot_count);
}

void NameRegistry::rehash(std::size_t slot_count) {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(slot_count));
  const std::size_t mask = slot_count - 1;
  for (const Slot& slot : old) {
    if (slot.site == 0) continue;
    std::size_t i = slot.hash & mask;
    while (slots_[i].site != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

std::optional<Check> parse_check(yaml::Node node, const std::string& path, const Document& doc,
                                 ReadContext context, std::span<const ProbeKindParser> kinds,
                                 NameRegistry& names) {
  if (!node.is_mapping()) {
    std::string got = node.is_sequence() ? "a list"
                      : node.is_scalar() ? in_quotes(node.scalar())
                                         : "nothing";
    context.errors.push_back({position(doc, node.mark()), path,
                              "expected a check (a mapping with name, type, ...), got " + got});
    return std::nullopt;
  }
  YamlFields fields(node, path, doc, context, {check_options()});
  Check check;
  check.pos = fields.mapping_pos();
  check.spec.name = fields.string("name");
  check_name(fields, check.spec.name, names);
  check.spec.type = fields.string("type");
  const ProbeKindParser* kind = find_kind(fields, check.spec.type, kinds);
  read_timing(fields, check.spec);
  check.expect = parse_conditions(fields, "expect", context);
  check.warn = parse_conditions(fields, "warn", context);
  check.failure_threshold = static_cast<int>(fields.integer("failure_threshold", 1, 100));
  check.recovery_threshold = static_cast<int>(fields.integer("recovery_threshold", 1, 100));
  check.spec.tags = fields.string_list("tags");
  check.depends_on = fields.string_list("depends_on");
  check.spec.description = fields.string("description");
  check.spec.group = fields.string("group");
  check.spec.paused = fields.boolean("paused");
  // With an unknown type the kind's keys are unknown too: reporting them would only be noise.
  if (kind) {
    fields.add_options(kind->options);
    check.spec.settings = kind->parse(fields, check.spec);
    if (kind->passive) {
      // A missed daily backup is news at once; waiting for a second miss would take a day.
      if (!fields.has("failure_threshold")) check.failure_threshold = 1;
      if (!fields.has("recovery_threshold")) check.recovery_threshold = 1;
    }
    fields.finish();
  }
  check.fingerprint = fields.cache().fingerprinter().fingerprint(node, context.env);
  return check;
}

std::optional<Check> reuse_check(yaml::Node node, const Document& doc, ReadContext context,
                                 const PreviousChecks& previous, NameRegistry& names) {
  if (previous.empty() || !node.is_mapping() || !context.cache) return std::nullopt;
  yaml::Node name_node;
  for (const auto& entry : node.entries())
    if (entry.key.is_scalar() && entry.key.scalar() == "name") {
      name_node = entry.value;
      break;
    }
  // A name written through ${VAR} is left to the parser.
  if (!name_node.is_scalar() || name_node.scalar().find('$') != std::string_view::npos)
    return std::nullopt;
  auto it = previous.find(name_node.scalar());
  if (it == previous.end()) return std::nullopt;
  const Check& old = *it->second;
  if (context.cache->fingerprinter().fingerprint(node, context.env) != old.fingerprint)
    return std::nullopt;
  if (names.add(old.spec.name, name_node, doc)) return std::nullopt;  // a duplicate: parse it
  Check check = old;
  check.pos = position(doc, node.mark());
  return check;
}

}  // namespace lk::config
