#pragma once
// One check's history page (/checks/{name}): what it is, its state, and a chart of its latency
// and of every metric its probe reports, over its recent stored results. Server-rendered HTML
// with inline SVG, like the status page.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "web/model.hpp"

namespace lk::web {

/// How far back the page looks: 300 runs of the check, at least 10 minutes, at most 7 days.
Duration check_page_window(Duration interval);

/// A line chart of `points` (time, value) between `from` and `to`; a NaN value (a failed run)
/// breaks the line and is marked. `label` and `unit` name the series for the text alternative.
std::string history_chart_svg(std::string_view label, std::string_view unit,
                              const std::vector<std::pair<TimePoint, double>>& points,
                              TimePoint from, TimePoint to);

/// The page for `check` of `snapshot`, given its results between `from` and `to`, oldest first.
std::string render_check_page(const StatusSnapshot& snapshot, const CheckItem& check,
                              const std::vector<Result>& results, TimePoint from, TimePoint to);

}  // namespace lk::web
