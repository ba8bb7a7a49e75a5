#pragma once
// The compiled form of a condition, private to expect/. Immutable once built, so one Node is
// shared by every copy of a Condition and read concurrently from several threads.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "expect/expect.hpp"
#include "expect/regex.hpp"

namespace lk::expect {

/// What the condition looks at.
enum class SubjectKind : std::uint8_t {
  status,
  body,
  body_size,
  latency,
  latency_dns,
  latency_connect,
  latency_tls,
  latency_first_byte,
  cert_expires_in,
  header,
  metric,
  json,
};

/// The type a subject has, which decides the operators and literals it accepts.
enum class SubjectType : std::uint8_t {
  number,
  size,      ///< a number of bytes; also accepts size literals (64KiB)
  duration,  ///< accepts only duration literals (800ms)
  string,
  dynamic,  ///< a JSON value: its type is known only when evaluated
};

enum class Op : std::uint8_t {
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in,
  contains,
  not_contains,
  matches,
  not_matches,
};

/// One literal value. Sizes are stored as numbers of bytes.
struct Literal {
  enum class Kind : std::uint8_t { null, boolean, number, size, duration, string };
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0;
  Duration duration{};
  std::string string;
};

/// One step of a JSON path: an object key, or an array index (negative counts from the end).
struct PathStep {
  std::string key;
  std::int64_t index = 0;
  bool is_index = false;
  std::size_t text_end = 0;  ///< length of the subject's text up to this step, for messages
};

struct Subject {
  SubjectKind kind = SubjectKind::status;
  std::string text;            ///< as written, for explanations: "json.items[0].id"
  std::string name;            ///< header name (lower-cased) or metric name
  std::vector<PathStep> path;  ///< for json
};

class Node {
 public:
  std::string text;  ///< the whole condition, trimmed, for "(expected ...)"
  Subject subject;
  SubjectType type = SubjectType::number;
  Op op = Op::eq;
  Literal value;                       ///< for comparisons, contains
  std::vector<Literal> choices;        ///< for `in [a, b]`
  bool is_range = false;               ///< `in lo..hi`: choices holds {lo, hi}
  std::shared_ptr<const Regex> regex;  ///< for matches
};

/// The one door into Condition's private parts, for the implementation files.
struct Access {
  static const Node* node(const Condition& c) { return c.node_.get(); }
};

}  // namespace lk::expect
