#pragma once
// Turns a scanned subject (`latency.dns`, `header.Content-Type`, `body.json.items[0]`) into
// what it names and the type it has.

#include <string_view>
#include <variant>

#include "expect/lexer.hpp"
#include "expect/node.hpp"

namespace lk::expect {

struct ResolvedSubject {
  Subject subject;
  SubjectType type = SubjectType::number;
};

/// `text` is the whole condition; `scanned` came from scan_subject on it.
std::variant<ResolvedSubject, ParseError> resolve_subject(std::string_view text,
                                                          const ScannedSubject& scanned);

/// "a number", "a duration", ... for messages.
std::string_view describe(SubjectType type);

}  // namespace lk::expect
