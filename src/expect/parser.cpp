// parse(): `subject operator value`, type-checked against the subject, regexes compiled here
// so that evaluation never meets a bad pattern.

#include <string>

#include "expect/lexer.hpp"
#include "expect/literal.hpp"
#include "expect/node.hpp"
#include "expect/subject.hpp"

namespace lk::expect {

namespace {

constexpr std::string_view kOperators =
    "==, !=, <, <=, >, >=, in, not in, contains, not contains, ~, matches or not matches";

std::string_view op_name(Op op) {
  switch (op) {
    case Op::eq:
      return "==";
    case Op::ne:
      return "!=";
    case Op::lt:
      return "<";
    case Op::le:
      return "<=";
    case Op::gt:
      return ">";
    case Op::ge:
      return ">=";
    case Op::in:
      return "in";
    case Op::not_in:
      return "not in";
    case Op::contains:
      return "contains";
    case Op::not_contains:
      return "not contains";
    case Op::matches:
      return "matches";
    case Op::not_matches:
      return "not matches";
  }
  return "?";
}

bool is_ordering(Op op) {
  return op == Op::lt || op == Op::le || op == Op::gt || op == Op::ge;
}
bool is_text_op(Op op) {
  return op == Op::contains || op == Op::not_contains || op == Op::matches || op == Op::not_matches;
}
bool is_ordered(SubjectType type) {
  return type == SubjectType::number || type == SubjectType::size || type == SubjectType::duration;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, Node& node) : tokens_(std::move(tokens)), node_(node) {}

  std::optional<ParseError> parse_rest() {
    const Token& op_token = peek();
    if (auto error = parse_operator()) return error;
    if (auto error = check_operator(op_token)) return error;
    if (auto error = parse_operand()) return error;
    if (peek().kind != TokenKind::end)
      return ParseError{peek().offset, "expected end of condition after the value, got " +
                                           describe(peek()) +
                                           " (one condition per entry: subject operator value)"};
    return std::nullopt;
  }

 private:
  const Token& peek() const { return tokens_[position_]; }
  const Token& take() {
    const Token& token = tokens_[position_];
    if (token.kind != TokenKind::end) ++position_;
    return token;
  }
  bool take_word(std::string_view word) {
    if (peek().kind != TokenKind::word || peek().text != word) return false;
    take();
    return true;
  }
  std::string subject() const { return node_.subject.text; }

  std::optional<ParseError> parse_operator() {
    const Token& token = take();
    if (token.kind == TokenKind::symbol) {
      static constexpr std::pair<std::string_view, Op> kSymbols[] = {
          {"==", Op::eq}, {"!=", Op::ne}, {"<", Op::lt},       {"<=", Op::le},
          {">", Op::gt},  {">=", Op::ge}, {"~", Op::contains}, {"!~", Op::not_contains}};
      for (const auto& [symbol, op] : kSymbols)
        if (token.text == symbol) node_.op = op;
      return std::nullopt;
    }
    if (token.kind == TokenKind::word) {
      bool negated = token.text == "not";
      const Token& word = negated ? take() : token;
      if (word.kind == TokenKind::word && word.text == "in") {
        node_.op = negated ? Op::not_in : Op::in;
        return std::nullopt;
      }
      if (word.kind == TokenKind::word && word.text == "contains") {
        node_.op = negated ? Op::not_contains : Op::contains;
        return std::nullopt;
      }
      if (word.kind == TokenKind::word && word.text == "matches") {
        node_.op = negated ? Op::not_matches : Op::matches;
        return std::nullopt;
      }
      if (negated)
        return ParseError{word.offset,
                          "expected in, contains or matches after 'not', got " + describe(word)};
    }
    return ParseError{token.offset, "expected an operator (" + std::string(kOperators) +
                                        ") after '" + subject() + "', got " + describe(token)};
  }

  std::optional<ParseError> check_operator(const Token& op_token) {
    std::string op_text(op_name(node_.op));
    if (is_ordered(node_.type) && is_text_op(node_.op))
      return ParseError{op_token.offset, subject() + " is " + std::string(describe(node_.type)) +
                                             ": " + op_text +
                                             " works on strings; use ==, !=, <, <=, >, >= or in"};
    if (node_.type == SubjectType::string && is_ordering(node_.op))
      return ParseError{op_token.offset,
                        subject() + " is a string: " + op_text +
                            " compares numbers; use ==, !=, in, contains or matches"};
    return std::nullopt;
  }

  std::optional<ParseError> parse_operand() {
    if (node_.op == Op::matches || node_.op == Op::not_matches) return parse_regex();
    if (node_.op == Op::in || node_.op == Op::not_in) return parse_choices();
    auto literal = parse_literal();
    if (auto* error = std::get_if<ParseError>(&literal)) return *error;
    node_.value = std::move(std::get<Literal>(literal));
    return std::nullopt;
  }

  std::optional<ParseError> parse_regex() {
    const Token& token = take();
    if (token.kind != TokenKind::string)
      return ParseError{token.offset,
                        "expected a regex in quotes after 'matches', got " + describe(token)};
    auto compiled = Regex::compile(token.value);
    if (auto* error = std::get_if<RegexError>(&compiled)) {
      // Past the opening quote; exact unless the pattern used escapes before the error.
      std::size_t offset =
          std::min(token.offset + 1 + error->offset, token.offset + token.text.size() - 1);
      return ParseError{offset, "invalid regex " + describe(token) + ": " + error->message +
                                    " at offset " + std::to_string(error->offset) +
                                    " of the pattern"};
    }
    node_.regex = std::move(std::get<std::shared_ptr<const Regex>>(compiled));
    return std::nullopt;
  }

  std::optional<ParseError> parse_choices() {
    if (peek().kind == TokenKind::lbracket) {
      take();
      while (true) {
        auto literal = parse_literal();
        if (auto* error = std::get_if<ParseError>(&literal)) return *error;
        node_.choices.push_back(std::move(std::get<Literal>(literal)));
        const Token& separator = take();
        if (separator.kind == TokenKind::rbracket) return std::nullopt;
        if (separator.kind != TokenKind::comma)
          return ParseError{separator.offset,
                            "expected ',' or ']' in the list, got " + describe(separator)};
      }
    }
    if (node_.type == SubjectType::string)
      return ParseError{peek().offset, subject() +
                                           " is a string: write a list such as [\"a\", \"b\"], "
                                           "got " +
                                           describe(peek())};
    const Token& low_token = peek();
    auto low = parse_literal();
    if (auto* error = std::get_if<ParseError>(&low)) return *error;
    if (peek().kind != TokenKind::range)
      return ParseError{peek().offset,
                        "expected '..' for a range such as 200..299 (or a list "
                        "such as [200, 204]), got " +
                            describe(peek())};
    take();
    const Token& high_token = peek();
    auto high = parse_literal();
    if (auto* error = std::get_if<ParseError>(&high)) return *error;
    auto& from = std::get<Literal>(low);
    auto& to = std::get<Literal>(high);
    auto family = [](const Literal& l) {
      if (l.kind == Literal::Kind::duration) return 1;
      if (l.kind == Literal::Kind::number || l.kind == Literal::Kind::size) return 2;
      return 0;
    };
    if (family(from) == 0)
      return ParseError{low_token.offset,
                        "a range needs numbers, sizes or durations, got " + describe(low_token)};
    if (family(to) != family(from))
      return ParseError{high_token.offset, "a range needs both ends of the same kind, got " +
                                               describe(low_token) + " and " +
                                               describe(high_token)};
    bool empty = from.kind == Literal::Kind::duration ? from.duration > to.duration
                                                      : from.number > to.number;
    if (empty)
      return ParseError{low_token.offset, "empty range: its start is greater than its end"};
    node_.is_range = true;
    node_.choices = {std::move(from), std::move(to)};
    return std::nullopt;
  }

  // Reads one literal and checks it against the subject's type.
  std::variant<Literal, ParseError> parse_literal() {
    const Token& token = take();
    Literal literal;
    if (token.kind == TokenKind::string) {
      literal.kind = Literal::Kind::string;
      literal.string = token.value;
    } else if (token.kind == TokenKind::number) {
      auto number = read_number_literal(token.text);
      if (!number)
        return ParseError{token.offset, describe(token) +
                                            " is not a number, a duration (800ms, 1.5s, 14d) "
                                            "or a size (64KiB, 1MB)"};
      literal = std::move(*number);
    } else if (token.kind == TokenKind::word && (token.text == "true" || token.text == "false")) {
      literal.kind = Literal::Kind::boolean;
      literal.boolean = token.text == "true";
    } else if (token.kind == TokenKind::word && token.text == "null") {
      literal.kind = Literal::Kind::null;
    } else {
      return ParseError{token.offset,
                        "expected a value (a number, a duration such as 800ms, a size such as "
                        "64KiB, a \"string\", true, false or null), got " +
                            describe(token)};
    }
    if (auto error = check_literal(literal, token)) return *error;
    return literal;
  }

  std::optional<ParseError> check_literal(const Literal& literal, const Token& token) const {
    using Kind = Literal::Kind;
    const std::string shown = describe(token);
    const std::string is_a = subject() + " is " + std::string(describe(node_.type));
    switch (node_.type) {
      case SubjectType::number:
        if (literal.kind == Kind::number) return std::nullopt;
        return ParseError{token.offset,
                          is_a + ", got " + std::string(describe(literal.kind)) + " " + shown};
      case SubjectType::size:
        if (literal.kind == Kind::number || literal.kind == Kind::size) return std::nullopt;
        return ParseError{token.offset,
                          is_a + ": write a number or a size such as 64KiB, got " + shown};
      case SubjectType::duration: {
        if (literal.kind == Kind::duration) return std::nullopt;
        if (literal.kind == Kind::number) {
          std::string_view unit = node_.subject.kind == SubjectKind::cert_expires_in ? "d" : "ms";
          return ParseError{token.offset,
                            is_a + ": write " + std::string(token.text) + std::string(unit)};
        }
        return ParseError{token.offset, is_a + " such as 800ms, got " + shown};
      }
      case SubjectType::string:
        if (literal.kind == Kind::string) return std::nullopt;
        return ParseError{token.offset,
                          is_a + ": write \"" + std::string(token.text) + "\" in quotes"};
      case SubjectType::dynamic:
        if (literal.kind == Kind::duration || literal.kind == Kind::size)
          return ParseError{token.offset, is_a +
                                              ": compare it with a number, a string, true, "
                                              "false or null, got " +
                                              shown};
        if (is_ordering(node_.op) && literal.kind != Kind::number)
          return ParseError{token.offset, "ordering compares numbers, got " +
                                              std::string(describe(literal.kind)) + " " + shown};
        return std::nullopt;
    }
    return std::nullopt;
  }

  std::vector<Token> tokens_;
  std::size_t position_ = 0;
  Node& node_;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

std::variant<Condition, ParseError> parse(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  if (begin == end)
    return ParseError{text.size(),
                      "empty condition: expected subject operator value, e.g. status == 200"};

  auto scanned = scan_subject(text, begin);
  if (auto* error = std::get_if<ParseError>(&scanned)) return *error;
  auto resolved = resolve_subject(text, std::get<ScannedSubject>(scanned));
  if (auto* error = std::get_if<ParseError>(&resolved)) return *error;
  auto tokens = tokenize(text, std::get<ScannedSubject>(scanned).end);
  if (auto* error = std::get_if<ParseError>(&tokens)) return *error;

  auto node = std::make_shared<Node>();
  node->text = std::string(text.substr(begin, end - begin));
  node->subject = std::move(std::get<ResolvedSubject>(resolved).subject);
  node->type = std::get<ResolvedSubject>(resolved).type;
  Parser parser(std::move(std::get<std::vector<Token>>(tokens)), *node);
  if (auto error = parser.parse_rest()) return *error;

  Condition condition;
  condition.text_ = node->text;
  condition.node_ = std::move(node);
  return condition;
}

}  // namespace lk::expect
