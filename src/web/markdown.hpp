#pragma once
// Markdown of status report updates, as people write them through the API, rendered for the
// public pages and the feed.

#include <string>
#include <string_view>

namespace lk::web {

/// HTML of `text` (CommonMark with tables, strikethrough and autolinks). Raw HTML in the text is
/// shown as text, never interpreted; links keep only http, https and mailto targets (others, such
/// as javascript:, become plain text); images become their alt text (the page loads no third-party
/// images); headings start at level 4, below the page's own.
std::string render_markdown(std::string_view text);

}  // namespace lk::web
