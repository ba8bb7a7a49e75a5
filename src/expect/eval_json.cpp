#include "expect/eval_json.hpp"

#include "expect/format.hpp"

namespace lk::expect {

namespace {

using Json = nlohmann::json;

std::optional<std::size_t> array_position(const Json& array, std::int64_t index) {
  auto size = static_cast<std::int64_t>(array.size());
  if (index < 0) index += size;  // [-1] is the last element
  if (index < 0 || index >= size) return std::nullopt;
  return static_cast<std::size_t>(index);
}

std::optional<std::int64_t> digits_value(const std::string& key) {
  if (key.empty() || key.size() > 9) return std::nullopt;
  std::int64_t value = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Follows the path; on a missing step, returns nullptr and sets `missing` to that step.
const Json* walk(const Json& root, const std::vector<PathStep>& path, std::size_t* missing) {
  const Json* at = &root;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const PathStep& step = path[i];
    const Json* next = nullptr;
    if (step.is_index) {
      if (at->is_array())
        if (auto position = array_position(*at, step.index)) next = &(*at)[*position];
    } else if (at->is_object()) {
      auto found = at->find(step.key);
      if (found != at->end()) next = &*found;
    } else if (at->is_array()) {
      if (auto index = digits_value(step.key))
        if (auto position = array_position(*at, *index)) next = &(*at)[*position];
    }
    if (next == nullptr) {
      *missing = i;
      return nullptr;
    }
    at = next;
  }
  return at;
}

std::string show(const Json& value) {
  if (value.is_string()) return quote(value.get_ref<const std::string&>());
  std::string dumped = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (dumped.size() > kMaxQuoted) dumped = dumped.substr(0, kMaxQuoted) + "...";
  return dumped;
}

bool equals(const Json& value, const Literal& literal) {
  switch (literal.kind) {
    case Literal::Kind::null:
      return value.is_null();
    case Literal::Kind::boolean:
      return value.is_boolean() && value.get<bool>() == literal.boolean;
    case Literal::Kind::number:
    case Literal::Kind::size:
      return value.is_number() && value.get<double>() == literal.number;
    case Literal::Kind::string:
      return value.is_string() && value.get_ref<const std::string&>() == literal.string;
    case Literal::Kind::duration:
      return false;  // refused at parse time
  }
  return false;
}

bool in_choices(const Json& value, const Node& node) {
  if (node.is_range) {
    if (!value.is_number()) return false;
    double number = value.get<double>();
    return node.choices[0].number <= number && number <= node.choices[1].number;
  }
  for (const auto& choice : node.choices)
    if (equals(value, choice)) return true;
  return false;
}

// A string contains a substring, an array an element, an object a key. Other values contain
// nothing; nullopt then, so that `not contains` fails too instead of passing by accident.
std::optional<bool> contains(const Json& value, const Literal& literal) {
  if (value.is_string()) {
    if (literal.kind != Literal::Kind::string) return std::nullopt;
    return value.get_ref<const std::string&>().find(literal.string) != std::string::npos;
  }
  if (value.is_array()) {
    for (const auto& element : value)
      if (equals(element, literal)) return true;
    return false;
  }
  if (value.is_object() && literal.kind == Literal::Kind::string)
    return value.contains(literal.string);
  return std::nullopt;
}

std::optional<bool> ordered(const Json& value, Op op, double bound) {
  if (!value.is_number()) return std::nullopt;
  double number = value.get<double>();
  switch (op) {
    case Op::lt:
      return number < bound;
    case Op::le:
      return number <= bound;
    case Op::gt:
      return number > bound;
    case Op::ge:
      return number >= bound;
    default:
      return std::nullopt;
  }
}

}  // namespace

Verdict evaluate_json(const Node& node, const Json& document) {
  std::size_t missing = 0;
  const Json* value = walk(document, node.subject.path, &missing);
  if (value == nullptr)
    return {false, node.subject.text.substr(0, node.subject.path[missing].text_end) + " missing"};

  std::optional<bool> holds;
  std::string why;
  switch (node.op) {
    case Op::eq:
      holds = equals(*value, node.value);
      break;
    case Op::ne:
      holds = !equals(*value, node.value);
      break;
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge:
      holds = ordered(*value, node.op, node.value.number);
      break;
    case Op::in:
      holds = in_choices(*value, node);
      break;
    case Op::not_in:
      holds = !in_choices(*value, node);
      break;
    case Op::contains:
      holds = contains(*value, node.value);
      break;
    case Op::not_contains:
      holds = contains(*value, node.value);
      if (holds) holds = !*holds;
      break;
    case Op::matches:
    case Op::not_matches:
      if (value->is_string()) {
        auto outcome = node.regex->search(value->get_ref<const std::string&>(), &why);
        if (outcome == MatchOutcome::gave_up)
          return {false, node.subject.text + " could not be matched: " + why + " (expected " +
                             node.text + ")"};
        holds = (outcome == MatchOutcome::matched) == (node.op == Op::matches);
      }
      break;
  }
  if (holds.value_or(false)) return {true, {}};
  return {false, node.subject.text + " was " + show(*value) + " (expected " + node.text + ")"};
}

}  // namespace lk::expect
