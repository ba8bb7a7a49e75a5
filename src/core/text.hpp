#pragma once
// Small text helpers shared by modules.

#include <string>
#include <string_view>

namespace lk {

/// Appends `text` as a double-quoted JSON string: quotes, backslashes and control characters
/// escaped, other bytes as they are.
void append_quoted(std::string& out, std::string_view text);

/// Appends `text` with & < > escaped for HTML, and " ' too when `quotes` (text inside an
/// attribute value, or anywhere when in doubt): the one escaper of the status pages and the
/// HTML of notifications.
void append_html_escaped(std::string& out, std::string_view text, bool quotes = true);

}  // namespace lk
