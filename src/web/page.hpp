#pragma once
// The front page of a public status page: banner, active incidents, maintenance, components by
// group with their 90-day bars, and the past week's incidents. Server-rendered HTML with inline
// SVG; live.js (when JavaScript is on) swaps in a fresh copy when the server announces a change.

#include <string>
#include <vector>

#include "web/components.hpp"
#include "web/layout.hpp"

namespace lk::web {

/// The page's components, evaluated, in the page's order (ids the site does not know are
/// skipped).
std::vector<ComponentStatus> evaluate_page(const PageContext& ctx);

/// The banner of a page from its evaluated components.
Banner page_banner(const std::vector<ComponentStatus>& components);

/// How far back "Past incidents" looks.
inline constexpr auto kPastIncidentsWindow = std::chrono::days{7};

/// The whole front page.
std::string render_status_page(const PageContext& ctx);

}  // namespace lk::web
