#pragma once
// Embeddable SVG badges of a component (shields.io's flat style): its state, and its uptime over
// a period. Standalone documents with fixed colours (they are shown on other sites, outside the
// page's stylesheet), white text on colours that keep WCAG AA contrast, and a text alternative.

#include <optional>
#include <string>
#include <string_view>

#include "web/components.hpp"

namespace lk::web {

/// A two-part badge: `label` on grey, `value` on `color` (a "#rrggbb").
std::string badge_svg(std::string_view label, std::string_view value, std::string_view color);

/// "<label> | operational" coloured by the state.
std::string status_badge_svg(std::string_view label, ComponentState state);

/// "uptime 30d | 99.95%": green from 99.9%, amber from 99%, red below; grey without data.
std::string uptime_badge_svg(std::string_view period, std::optional<double> uptime);

/// The colour a badge gives a state.
std::string_view badge_color(ComponentState state);

/// Approximate width in pixels of `text` in 11px Verdana (the badge font), for layout.
double badge_text_width(std::string_view text);

}  // namespace lk::web
