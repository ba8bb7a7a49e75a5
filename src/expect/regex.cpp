#include "expect/regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace lk::expect {

namespace {

// Budgets for one search. The match limit bounds the work of catastrophic backtracking
// (`(a+)+$` on a long run of 'a's) to a few milliseconds; the depth and heap limits bound the
// interpreter's memory. Legitimate patterns on bodies of a few MB stay far below them.
constexpr std::uint32_t kMatchLimit = 1'000'000;
constexpr std::uint32_t kDepthLimit = 100'000;
constexpr std::uint32_t kHeapLimitKiB = 20 * 1024;

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  int length = pcre2_get_error_message(code, buffer, sizeof buffer);
  if (length < 0) return "PCRE2 error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
}

struct MatchDataDeleter {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

}  // namespace

struct Regex::Handles {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  ~Handles() {
    pcre2_match_context_free(context);
    pcre2_code_free(code);
  }
};

Regex::Regex(std::string pattern, std::unique_ptr<Handles> handles)
    : pattern_(std::move(pattern)), handles_(std::move(handles)) {}

Regex::~Regex() = default;

std::variant<std::shared_ptr<const Regex>, RegexError> Regex::compile(std::string_view pattern) {
  auto handles = std::make_unique<Handles>();
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  // MATCH_INVALID_UTF: a body is whatever the server sent, and need not be valid UTF-8.
  handles->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C,
                                &error_code, &error_offset, nullptr);
  if (handles->code == nullptr) return RegexError{error_offset, pcre2_message(error_code)};

  // JIT is an optimisation only: when the platform lacks it, the interpreter is used.
  (void)pcre2_jit_compile(handles->code, PCRE2_JIT_COMPLETE);

  handles->context = pcre2_match_context_create(nullptr);
  if (handles->context == nullptr) return RegexError{0, "out of memory"};
  pcre2_set_match_limit(handles->context, kMatchLimit);
  pcre2_set_depth_limit(handles->context, kDepthLimit);
  pcre2_set_heap_limit(handles->context, kHeapLimitKiB);
  return std::shared_ptr<const Regex>(new Regex(std::string(pattern), std::move(handles)));
}

MatchOutcome Regex::search(std::string_view subject, std::string* why) const {
  // One ovector pair is enough to know whether it matched; a fresh block per call keeps the
  // compiled pattern free of mutable state shared between threads.
  std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(pcre2_match_data_create(1, nullptr));
  if (!data) {
    if (why) *why = "out of memory";
    return MatchOutcome::gave_up;
  }
  auto run = [&](std::uint32_t options) {
    return pcre2_match(handles_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(),
                       0, options, data.get(), handles_->context);
  };
  int rc = run(0);
  // The JIT stack is small (32 KiB on the machine stack); the interpreter keeps its
  // backtracking on the heap under the limits above, so it gets a second chance.
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT) rc = run(PCRE2_NO_JIT);
  if (rc >= 0) return MatchOutcome::matched;
  if (rc == PCRE2_ERROR_NOMATCH) return MatchOutcome::not_matched;
  if (why) {
    switch (rc) {
      case PCRE2_ERROR_MATCHLIMIT:
        *why = "regex gave up: too much backtracking";
        break;
      case PCRE2_ERROR_DEPTHLIMIT:
      case PCRE2_ERROR_HEAPLIMIT:
        *why = "regex gave up: nesting too deep";
        break;
      default:
        *why = "regex failed: " + pcre2_message(rc);
        break;
    }
  }
  return MatchOutcome::gave_up;
}

}  // namespace lk::expect
