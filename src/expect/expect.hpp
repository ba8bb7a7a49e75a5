#pragma once
// The condition language of `expect:` and `warn:`: parsed once at load, evaluated per result.
//
//   status == 200            status in [200, 204]        status < 400
//   body contains "ok"       body matches "v[0-9]+"      body.size < 64KiB
//   json.status == "up"      json.items[0].id == 3       (also written body.json.status)
//   header.content-type contains "json"   (also: header.content-type ~ "json")
//   latency < 800ms          cert.expires_in > 14d       metric.rows >= 1
//
// Subjects have types (number, string, duration, bool); a comparison of the wrong type is
// refused at parse time with the offset of the offending token.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "core/result.hpp"
#include "core/status.hpp"

namespace lk::expect {

struct ParseError {
  std::size_t offset = 0;  ///< byte offset into the condition text where the problem starts
  std::string message;     ///< e.g. "expected a duration after '<', got \"abc\""
};

class Node;  // compiled form, private to expect/

/// A parsed condition. Cheap to copy (shares the compiled form).
class Condition {
 public:
  Condition() = default;
  const std::string& text() const { return text_; }

 private:
  friend std::variant<Condition, ParseError> parse(std::string_view text);
  friend struct Access;
  std::string text_;
  std::shared_ptr<const Node> node_;
};

/// Parses one condition. Never throws for bad input.
std::variant<Condition, ParseError> parse(std::string_view text);

struct Verdict {
  bool passed = false;
  /// Why it failed, naming the actual value: "status was 500 (expected status == 200)".
  std::string explanation;
};

/// Evaluates one condition against what the probe saw. `now` is for cert.expires_in.
Verdict evaluate(const Condition& c, const Observation& o, TimePoint now);

struct Judgement {
  Status status = Status::unknown;
  std::string message;
};

/// Judges an observation: a transport failure is `fail` with the probe's message; else the first
/// `expect` condition that does not hold makes it `fail`, else the first `warn` condition that
/// does not hold makes it `warn`, else `ok` with a short summary ("HTTP 200 in 12 ms").
Judgement judge(const Observation& o, std::span<const Condition> expect,
                std::span<const Condition> warn, TimePoint now);

}  // namespace lk::expect
