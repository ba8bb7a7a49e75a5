#pragma once
// A PCRE2 pattern compiled once at parse time and matched from many threads.
//
// std::regex is not used: it recurses per character and overflows the stack on large bodies.
// PCRE2 runs with match, depth and heap limits so a hostile body or pattern cannot hang a
// probe thread; hitting a limit is an outcome, not a crash.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace lk::expect {

struct RegexError {
  std::size_t offset = 0;  ///< offset into the pattern
  std::string message;     ///< PCRE2's own message
};

enum class MatchOutcome { matched, not_matched, gave_up };

class Regex {
 public:
  /// Compiles `pattern` (UTF-8; subjects may hold invalid UTF-8, which never matches `.`).
  static std::variant<std::shared_ptr<const Regex>, RegexError> compile(std::string_view pattern);

  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  ~Regex();

  /// Searches `subject`. Thread-safe: the scratch space is created per call. On `gave_up`,
  /// `why` says which limit or error stopped the search.
  MatchOutcome search(std::string_view subject, std::string* why) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Handles;
  explicit Regex(std::string pattern, std::unique_ptr<Handles> handles);
  std::string pattern_;
  std::unique_ptr<Handles> handles_;
};

}  // namespace lk::expect
