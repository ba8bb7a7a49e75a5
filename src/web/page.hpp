#pragma once
// The public status page: server-rendered HTML with inline CSS and SVG, no JavaScript.

#include <string>
#include <string_view>

#include "web/model.hpp"

namespace lk::web {

/// The one-line summary at the top of the page.
struct Banner {
  std::string_view text;       ///< "All systems operational", "Partial outage", ...
  std::string_view css_class;  ///< "s-ok", "s-warn", "s-fail", "s-pending"
};

/// The banner for a snapshot: major outage when more than half of the checks with a result
/// fail, partial outage when some fail, degraded when some warn (or are unknown), waiting while
/// every check is still pending. Paused checks do not count.
Banner overall_banner(const StatusSnapshot& snapshot);

/// The word shown for a state, so that colour is never the only signal: "Up", "Down", ...
std::string_view state_word(State state);

/// The CSS class of a state: "s-ok", "s-fail", ...
std::string_view state_css_class(State state);

/// The whole page. `now` is used for the age of open incidents.
std::string render_status_page(const StatusSnapshot& snapshot, TimePoint now);

}  // namespace lk::web
