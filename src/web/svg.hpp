#pragma once
// Inline SVG for the status page: the 90-day uptime bar and the latency sparkline. Plain
// markup with CSS classes for colours (the page's stylesheet themes them), a <title> on every
// element that carries meaning, so the colours have a text alternative.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/model.hpp"

namespace lk::web {

/// Days shown in the uptime bar.
inline constexpr int kUptimeBarDays = 90;

/// How a day is coloured: by its worst outcome, then by how much of it was down.
enum class DayGrade { no_data, ok, warn, minor_outage, major_outage };
DayGrade grade_day(const DayBar& day);
/// CSS class of a grade ("d-ok", "d-none", ...).
std::string_view day_css_class(DayGrade grade);
/// Text alternative of one day: "2026-11-20: 99.93% up, 2 failures".
std::string describe_day(const DayBar& day);

/// The uptime bar: exactly kUptimeBarDays rects, oldest on the left, ending with `today` (00:00
/// UTC of the day the snapshot was taken). Days missing from `days` are drawn grey as "no data".
std::string uptime_bar_svg(const std::vector<DayBar>& days, TimePoint today);

/// The latency sparkline: a polyline over the successful runs (broken where a run failed) and a
/// red mark for each failed run (NaN).
std::string sparkline_svg(const std::vector<float>& latencies_ms);

}  // namespace lk::web
