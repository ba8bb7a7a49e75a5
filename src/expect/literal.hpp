#pragma once
// Reads number-like literals: 200, -3.5, 800ms, 1h30m, 64KiB, 1MB.

#include <optional>
#include <string_view>

#include "expect/node.hpp"

namespace lk::expect {

/// A number, a size (stored as bytes) or a duration; nullopt when `text` is none of them.
std::optional<Literal> read_number_literal(std::string_view text);

/// "a number", "a duration", "a string", ... for messages.
std::string_view describe(Literal::Kind kind);

}  // namespace lk::expect
