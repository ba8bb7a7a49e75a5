// evaluate(): one compiled condition against one observation. The common conditions
// (`status == 200`, `latency < 800ms`) run without allocating; strings are built only to
// explain a failure.

#include "expect/eval.hpp"

#include "expect/eval_json.hpp"
#include "expect/format.hpp"
#include "expect/node.hpp"

namespace lk::expect {

namespace {

Verdict pass() {
  return {true, {}};
}

Verdict was(const Node& node, const std::string& actual) {
  return {false, node.subject.text + " was " + actual + " (expected " + node.text + ")"};
}

// ==, !=, <, <=, >, >=, in, not in on numbers, sizes and durations; `value_of` reads the
// literal in the subject's unit.
template <class T, class ValueOf>
bool holds_ordered(const T& actual, const Node& node, ValueOf value_of) {
  auto in_choices = [&] {
    if (node.is_range)
      return value_of(node.choices[0]) <= actual && actual <= value_of(node.choices[1]);
    for (const auto& choice : node.choices)
      if (actual == value_of(choice)) return true;
    return false;
  };
  switch (node.op) {
    case Op::eq:
      return actual == value_of(node.value);
    case Op::ne:
      return actual != value_of(node.value);
    case Op::lt:
      return actual < value_of(node.value);
    case Op::le:
      return actual <= value_of(node.value);
    case Op::gt:
      return actual > value_of(node.value);
    case Op::ge:
      return actual >= value_of(node.value);
    case Op::in:
      return in_choices();
    case Op::not_in:
      return !in_choices();
    default:
      return false;  // text operators are refused at parse time
  }
}

Verdict evaluate_number(const Node& node, double actual) {
  if (holds_ordered(actual, node, [](const Literal& l) { return l.number; })) return pass();
  return was(node, format_number(actual));
}

Verdict evaluate_duration(const Node& node, Duration actual) {
  if (holds_ordered(actual, node, [](const Literal& l) { return l.duration; })) return pass();
  return was(node, format_readable(actual));
}

// The body can be megabytes, so a failure never quotes it for the text operators.
std::string body_failure(const Node& node) {
  switch (node.op) {
    case Op::contains:
      return "body does not contain " + quote(node.value.string);
    case Op::not_contains:
      return "body contains " + quote(node.value.string);
    case Op::matches:
      return "body does not match " + quote(node.regex->pattern());
    case Op::not_matches:
      return "body matches " + quote(node.regex->pattern());
    default:
      return {};
  }
}

Verdict evaluate_string(const Node& node, std::string_view actual) {
  bool holds = false;
  switch (node.op) {
    case Op::eq:
      holds = actual == node.value.string;
      break;
    case Op::ne:
      holds = actual != node.value.string;
      break;
    case Op::in:
    case Op::not_in: {
      bool found = false;
      for (const auto& choice : node.choices) found = found || actual == choice.string;
      holds = found == (node.op == Op::in);
      break;
    }
    case Op::contains:
      holds = actual.find(node.value.string) != std::string_view::npos;
      break;
    case Op::not_contains:
      holds = actual.find(node.value.string) == std::string_view::npos;
      break;
    case Op::matches:
    case Op::not_matches: {
      std::string why;
      auto outcome = node.regex->search(actual, &why);
      if (outcome == MatchOutcome::gave_up)
        return {false, node.subject.text + " could not be matched: " + why + " (expected " +
                           node.text + ")"};
      holds = (outcome == MatchOutcome::matched) == (node.op == Op::matches);
      break;
    }
    default:
      break;  // ordering is refused at parse time
  }
  if (holds) return pass();
  if (node.subject.kind == SubjectKind::body) {
    std::string explanation = body_failure(node);
    if (!explanation.empty()) return {false, std::move(explanation)};
  }
  return was(node, quote(actual));
}

const std::optional<Duration>* phase(const PhaseTimings& timings, SubjectKind kind) {
  switch (kind) {
    case SubjectKind::latency_dns:
      return &timings.dns;
    case SubjectKind::latency_connect:
      return &timings.connect;
    case SubjectKind::latency_tls:
      return &timings.tls;
    case SubjectKind::latency_first_byte:
      return &timings.first_byte;
    default:
      return nullptr;
  }
}

std::string_view phase_name(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::latency_dns:
      return "dns";
    case SubjectKind::latency_connect:
      return "connect";
    case SubjectKind::latency_tls:
      return "tls";
    default:
      return "first_byte";
  }
}

std::string not_json(const Observation& o) {
  if (o.body.empty()) return "body is not JSON (it is empty)";
  // A JSON document cut short by the body size limit is the usual cause; say so.
  if (o.body_truncated)
    return "body is not JSON (only its first " + std::to_string(o.body.size()) +
           " bytes were read)";
  return "body is not JSON";
}

}  // namespace

const nlohmann::json* EvalContext::json() {
  if (!json_) json_ = nlohmann::json::parse(observation_.body, nullptr, false);
  return json_->is_discarded() ? nullptr : &*json_;
}

Verdict evaluate_in(const Condition& condition, EvalContext& context) {
  const Node* node = Access::node(condition);
  if (node == nullptr) return {false, "empty condition (never parsed)"};
  const Observation& o = context.observation();
  switch (node->subject.kind) {
    case SubjectKind::status:
      if (!o.status_code) return {false, "no HTTP status"};
      return evaluate_number(*node, *o.status_code);
    case SubjectKind::body:
      return evaluate_string(*node, o.body);
    case SubjectKind::body_size:
      if (holds_ordered(static_cast<double>(o.body.size()), *node,
                        [](const Literal& l) { return l.number; }))
        return pass();
      return was(*node, format_bytes(o.body.size()));
    case SubjectKind::latency:
      return evaluate_duration(*node, o.latency());
    case SubjectKind::latency_dns:
    case SubjectKind::latency_connect:
    case SubjectKind::latency_tls:
    case SubjectKind::latency_first_byte: {
      const auto& measured = *phase(o.timings, node->subject.kind);
      if (!measured) return {false, "no " + std::string(phase_name(node->subject.kind)) + " phase"};
      return evaluate_duration(*node, *measured);
    }
    case SubjectKind::cert_expires_in:
      if (!o.cert_not_after) return {false, "no certificate"};
      return evaluate_duration(
          *node, std::chrono::duration_cast<Duration>(*o.cert_not_after - context.now()));
    case SubjectKind::header: {
      const std::string* value = o.header(node->subject.name);
      if (value == nullptr) return {false, "header " + node->subject.name + " missing"};
      return evaluate_string(*node, *value);
    }
    case SubjectKind::metric:
      for (const auto& metric : o.metrics)
        if (metric.name == node->subject.name) return evaluate_number(*node, metric.value);
      return {false, "metric " + node->subject.name + " missing"};
    case SubjectKind::json: {
      const nlohmann::json* document = context.json();
      if (document == nullptr) return {false, not_json(o)};
      return evaluate_json(*node, *document);
    }
  }
  return {false, "unknown subject"};
}

Verdict evaluate(const Condition& c, const Observation& o, TimePoint now) {
  EvalContext context(o, now);
  return evaluate_in(c, context);
}

}  // namespace lk::expect
