#pragma once
// Splits the part of a condition after its subject into tokens, and scans the subject itself
// (which has its own shape: `json.items[0]."odd key"`, `header.content-type`).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "expect/expect.hpp"

namespace lk::expect {

enum class TokenKind : std::uint8_t {
  word,      ///< in, not, contains, matches, true, false, null
  number,    ///< a number with an optional unit, as written: 200, -3.5, 800ms, 1h30m, 64KiB
  string,    ///< decoded contents of "..." or '...'
  symbol,    ///< ==, !=, <, <=, >, >=, ~, !~
  lbracket,  ///< [
  rbracket,  ///< ]
  comma,
  range,  ///< ..
  end,
};

struct Token {
  TokenKind kind = TokenKind::end;
  std::size_t offset = 0;
  std::string_view text;  ///< as written (with quotes, for strings)
  std::string value;      ///< decoded contents, for strings
};

/// Tokenizes `text` from `offset` to its end; the last token is always `end`.
std::variant<std::vector<Token>, ParseError> tokenize(std::string_view text, std::size_t offset);

/// One step of a subject as written: `items`, `"odd key"` or `[0]`.
struct SubjectPart {
  std::size_t offset = 0;
  std::string name;  ///< decoded key or word; empty for an index
  bool quoted = false;
  bool is_index = false;
  std::int64_t index = 0;
};

struct ScannedSubject {
  std::vector<SubjectPart> parts;
  std::size_t end = 0;  ///< offset just past the subject
};

/// Scans a subject starting at `offset`: a word, then `.word`, `."quoted"` or `[index]` steps,
/// with no spaces in between.
std::variant<ScannedSubject, ParseError> scan_subject(std::string_view text, std::size_t offset);

/// Describes a token for "got ..." in messages: `'foo'`, `"abc"` or `end of condition`.
std::string describe(const Token& token);

}  // namespace lk::expect
