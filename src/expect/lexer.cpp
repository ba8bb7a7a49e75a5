#include "expect/lexer.hpp"

namespace lk::expect {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_name_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '_' || c == '-';
}
// 'µ' is two bytes in UTF-8 (0xC2 0xB5); parse_duration accepts "µs".
bool is_unit_char(char c) {
  return is_alpha(c) || c == '\xc2' || c == '\xb5';
}

bool at(std::string_view text, std::size_t i, char c) {
  return i < text.size() && text[i] == c;
}

std::string show_char(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  auto byte = static_cast<unsigned char>(c);
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xf];
}

struct DecodedString {
  std::string value;
  std::size_t end = 0;  ///< just past the closing quote
};

// Decodes a quoted string starting at the quote. \" \' \\ \n \t are escapes; any other
// backslash is kept as written, so regexes such as "v\d+" need no doubling.
std::variant<DecodedString, ParseError> decode_string(std::string_view text, std::size_t start) {
  char quote = text[start];
  DecodedString out;
  std::size_t i = start + 1;
  while (i < text.size()) {
    char c = text[i];
    if (c == quote) {
      out.end = i + 1;
      return out;
    }
    if (c == '\\' && i + 1 < text.size()) {
      char next = text[i + 1];
      if (next == '"' || next == '\'' || next == '\\') {
        out.value += next;
      } else if (next == 'n') {
        out.value += '\n';
      } else if (next == 't') {
        out.value += '\t';
      } else {
        out.value += c;
        out.value += next;
      }
      i += 2;
      continue;
    }
    out.value += c;
    ++i;
  }
  return ParseError{start, std::string("unterminated string: missing closing ") + quote};
}

}  // namespace

std::string describe(const Token& token) {
  if (token.kind == TokenKind::end) return "end of condition";
  constexpr std::size_t kMaxShown = 40;
  std::string_view shown = token.text.substr(0, kMaxShown);
  std::string suffix = token.text.size() > kMaxShown ? "..." : "";
  if (token.kind == TokenKind::string) return std::string(shown) + suffix;
  return "'" + std::string(shown) + suffix + "'";
}

std::variant<std::vector<Token>, ParseError> tokenize(std::string_view text, std::size_t offset) {
  std::vector<Token> tokens;
  std::size_t i = offset;
  auto push = [&](TokenKind kind, std::size_t start, std::size_t end) {
    tokens.push_back(Token{kind, start, text.substr(start, end - start), {}});
    i = end;
  };
  while (true) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    char c = text[i];
    std::size_t start = i;
    if (c == '"' || c == '\'') {
      auto decoded = decode_string(text, start);
      if (auto* error = std::get_if<ParseError>(&decoded)) return *error;
      auto& string = std::get<DecodedString>(decoded);
      push(TokenKind::string, start, string.end);
      tokens.back().value = std::move(string.value);
    } else if (is_digit(c) || (c == '-' && i + 1 < text.size() && is_digit(text[i + 1]))) {
      std::size_t end = start + 1;
      // A '.' belongs to the number only before a digit, so 200..299 is a range.
      while (end < text.size() &&
             (is_digit(text[end]) || is_unit_char(text[end]) ||
              (text[end] == '.' && end + 1 < text.size() && is_digit(text[end + 1]))))
        ++end;
      push(TokenKind::number, start, end);
    } else if (is_alpha(c) || c == '_') {
      std::size_t end = start + 1;
      while (end < text.size() && is_name_char(text[end])) ++end;
      push(TokenKind::word, start, end);
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      bool followed_by_equals = at(text, i + 1, '=');
      if (c == '!' && at(text, i + 1, '~')) {
        push(TokenKind::symbol, start, i + 2);
      } else if (followed_by_equals) {
        push(TokenKind::symbol, start, i + 2);
      } else if (c == '=') {
        return ParseError{start, "unexpected '=': write '==' to compare"};
      } else if (c == '!') {
        return ParseError{start, "unexpected '!': write '!=' or 'not in', 'not contains', ..."};
      } else {
        push(TokenKind::symbol, start, i + 1);
      }
    } else if (c == '~') {
      push(TokenKind::symbol, start, i + 1);
    } else if (c == '[') {
      push(TokenKind::lbracket, start, i + 1);
    } else if (c == ']') {
      push(TokenKind::rbracket, start, i + 1);
    } else if (c == ',') {
      push(TokenKind::comma, start, i + 1);
    } else if (c == '.' && at(text, i + 1, '.')) {
      push(TokenKind::range, start, i + 2);
    } else {
      return ParseError{start, "unexpected character " + show_char(c)};
    }
  }
  tokens.push_back(Token{TokenKind::end, text.size(), {}, {}});
  return tokens;
}

std::variant<ScannedSubject, ParseError> scan_subject(std::string_view text, std::size_t offset) {
  ScannedSubject out;
  std::size_t i = offset;
  auto scan_name = [&](std::size_t start) {
    std::size_t end = start;
    while (end < text.size() && is_name_char(text[end])) ++end;
    return end;
  };
  if (i >= text.size() || !(is_alpha(text[i]) || text[i] == '_')) {
    std::string got = i >= text.size() ? "end of condition" : show_char(text[i]);
    return ParseError{
        i, "expected a subject such as status, body, latency or json.<path>, got " + got};
  }
  std::size_t end = scan_name(i);
  out.parts.push_back(SubjectPart{i, std::string(text.substr(i, end - i))});
  i = end;
  while (i < text.size() && (text[i] == '.' || text[i] == '[')) {
    // ".." after a subject is not a path step (and not valid there either); leave it.
    if (text[i] == '.' && at(text, i + 1, '.')) break;
    if (text[i] == '.') {
      std::size_t start = i + 1;
      if (at(text, start, '"') || at(text, start, '\'')) {
        auto decoded = decode_string(text, start);
        if (auto* error = std::get_if<ParseError>(&decoded)) return *error;
        auto& string = std::get<DecodedString>(decoded);
        out.parts.push_back(SubjectPart{start, std::move(string.value), true});
        i = string.end;
        continue;
      }
      end = scan_name(start);
      if (end == start)
        return ParseError{start, "expected a name after '.' in the subject, got " +
                                     (start < text.size() ? show_char(text[start])
                                                          : std::string("end of condition"))};
      out.parts.push_back(SubjectPart{start, std::string(text.substr(start, end - start))});
      i = end;
      continue;
    }
    std::size_t start = i + 1;
    end = start;
    if (at(text, end, '-')) ++end;
    std::size_t digits = end;
    while (end < text.size() && is_digit(text[end])) ++end;
    // Longer indices cannot exist in a body and would overflow the conversion below.
    if (end == digits || end - digits > 9 || !at(text, end, ']'))
      return ParseError{i, "expected an array index such as [0] or [-1] in the subject"};
    std::int64_t index = 0;
    for (std::size_t k = digits; k < end; ++k) index = index * 10 + (text[k] - '0');
    if (text[start] == '-') index = -index;
    SubjectPart part{i, {}, false, true, index};
    out.parts.push_back(std::move(part));
    i = end + 1;
  }
  out.end = i;
  return out;
}

}  // namespace lk::expect
