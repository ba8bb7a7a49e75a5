#include "expect/subject.hpp"

#include <array>
#include <utility>

namespace lk::expect {

namespace {

constexpr std::string_view kValidSubjects =
    "status, body, body.size, latency, latency.dns, latency.connect, latency.tls, "
    "latency.first_byte, cert.expires_in, header.<name>, metric.<name>, json.<path> "
    "(also body.json.<path>)";

struct FixedSubject {
  std::string_view root;
  std::string_view field;  ///< empty for the bare root
  SubjectKind kind;
  SubjectType type;
};

// Subjects with a fixed spelling; header, metric and json take a name or path instead.
constexpr std::array<FixedSubject, 9> kFixedSubjects{{
    {"status", "", SubjectKind::status, SubjectType::number},
    {"body", "", SubjectKind::body, SubjectType::string},
    {"body", "size", SubjectKind::body_size, SubjectType::size},
    {"latency", "", SubjectKind::latency, SubjectType::duration},
    {"latency", "dns", SubjectKind::latency_dns, SubjectType::duration},
    {"latency", "connect", SubjectKind::latency_connect, SubjectType::duration},
    {"latency", "tls", SubjectKind::latency_tls, SubjectType::duration},
    {"latency", "first_byte", SubjectKind::latency_first_byte, SubjectType::duration},
    {"cert", "expires_in", SubjectKind::cert_expires_in, SubjectType::duration},
}};

ParseError unknown(std::string_view text, const ScannedSubject& scanned, std::size_t offset) {
  auto start = scanned.parts.front().offset;
  return ParseError{offset, "unknown subject '" +
                                std::string(text.substr(start, scanned.end - start)) +
                                "': expected one of " + std::string(kValidSubjects)};
}

char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// header.<name> and metric.<name>: the rest of the subject, joined back with dots, so that
// `metric.disk.used` names the metric "disk.used".
std::variant<std::string, ParseError> dotted_name(std::string_view text,
                                                  const ScannedSubject& scanned) {
  const auto& parts = scanned.parts;
  if (parts.size() < 2) {
    const auto& root = parts[0].name;
    std::string_view example = root == "header" ? "content-type" : "rows";
    return ParseError{parts[0].offset, root + " needs a name: write " + root + ".<name>, e.g. " +
                                           root + "." + std::string(example)};
  }
  std::string name;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].is_index) return unknown(text, scanned, parts[i].offset);
    if (i > 1) name += '.';
    name += parts[i].name;
  }
  return name;
}

// json.<path>: a numeric key also indexes arrays (json.items.0), so it is kept as a key and
// decided when the document is seen. Each step remembers where it ends in the subject's text,
// so that a verdict can name the part that is missing: "json.items[3] missing".
std::vector<PathStep> json_path(const ScannedSubject& scanned, std::size_t first) {
  const auto& parts = scanned.parts;
  std::vector<PathStep> path;
  for (std::size_t i = first; i < parts.size(); ++i) {
    std::size_t end = scanned.end;
    if (i + 1 < parts.size()) end = parts[i + 1].offset - (parts[i + 1].is_index ? 0 : 1);
    path.push_back(
        PathStep{parts[i].name, parts[i].index, parts[i].is_index, end - parts[0].offset});
  }
  return path;
}

}  // namespace

std::string_view describe(SubjectType type) {
  switch (type) {
    case SubjectType::number:
      return "a number";
    case SubjectType::size:
      return "a size in bytes";
    case SubjectType::duration:
      return "a duration";
    case SubjectType::string:
      return "a string";
    case SubjectType::dynamic:
      return "a JSON value";
  }
  return "a value";
}

std::variant<ResolvedSubject, ParseError> resolve_subject(std::string_view text,
                                                          const ScannedSubject& scanned) {
  const auto& parts = scanned.parts;
  const auto& root = parts[0].name;
  ResolvedSubject out;
  out.subject.text = std::string(text.substr(parts[0].offset, scanned.end - parts[0].offset));

  if (root == "header" || root == "metric") {
    auto name = dotted_name(text, scanned);
    if (auto* error = std::get_if<ParseError>(&name)) return *error;
    out.subject.name = std::move(std::get<std::string>(name));
    if (root == "header") {
      // Observations hold header names lower-cased; HTTP names are case-insensitive.
      for (char& c : out.subject.name) c = to_lower(c);
      out.subject.kind = SubjectKind::header;
      out.type = SubjectType::string;
    } else {
      out.subject.kind = SubjectKind::metric;
      out.type = SubjectType::number;
    }
    return out;
  }

  std::size_t json_from = 0;
  if (root == "json") json_from = 1;
  if (root == "body" && parts.size() > 1 && !parts[1].is_index && !parts[1].quoted &&
      parts[1].name == "json")
    json_from = 2;
  if (json_from > 0) {
    out.subject.kind = SubjectKind::json;
    out.subject.path = json_path(scanned, json_from);
    out.type = SubjectType::dynamic;
    return out;
  }

  if (parts.size() > 2) return unknown(text, scanned, parts[2].offset);
  std::string_view field;
  if (parts.size() == 2) {
    if (parts[1].is_index || parts[1].quoted) return unknown(text, scanned, parts[1].offset);
    field = parts[1].name;
  }
  bool root_known = false;
  for (const auto& fixed : kFixedSubjects) {
    if (fixed.root != root) continue;
    root_known = true;
    if (fixed.field != field) continue;
    out.subject.kind = fixed.kind;
    out.type = fixed.type;
    return out;
  }
  // Point at the field when the root is right but the field is not (latency.foo).
  bool field_wrong = root_known && parts.size() > 1;
  return unknown(text, scanned, field_wrong ? parts[1].offset : parts[0].offset);
}

}  // namespace lk::expect
