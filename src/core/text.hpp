#pragma once
// Small text helpers shared by modules.

#include <string>
#include <string_view>

namespace lk {

/// Appends `text` as a double-quoted JSON string: quotes, backslashes and control characters
/// escaped, other bytes as they are.
void append_quoted(std::string& out, std::string_view text);

}  // namespace lk
