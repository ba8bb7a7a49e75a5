#pragma once
// Inline SVG for the status pages: a component's 90-day uptime bar and its response-time graph.
// Plain markup with CSS classes for colours (the page's stylesheet themes them) and a text
// alternative for everything that carries meaning, so that colour is never the only signal.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/components.hpp"

namespace lk::web {

/// CSS class of a day grade ("d0" ok ... "d4" no data).
std::string_view day_css_class(DayGrade grade);
/// Text of one day: "Nov 20: 99.93%, 1 check failed, incident: Checkout errors".
std::string describe_day(const ComponentDay& day);

/// Appends the uptime bar of `days` (oldest first), labelled as a whole by `uptime` and the
/// number of days with trouble. Each grade's days are one <path> (a class d0-d4 colours it), and
/// transparent shapes over them carry the words: one per run of days of one grade ("Nov 20:
/// 99.93%, 2 checks failed", "Nov 1 – Nov 19: 100%, no incidents"), or one per week when there
/// would be more than 15 ("Nov 1 – Nov 7: lowest 99.20%, trouble on 4 days, incident: Checkout
/// errors"). Its size is bounded whatever the days were (~2.5 KB), which keeps a page of 40
/// components small. The stylesheet's ".b path" rule draws the paths' days.
void append_uptime_bar(std::string& out, const std::vector<ComponentDay>& days,
                       std::optional<double> uptime);

/// Response times of one bucket, merged over a component's checks and locations.
struct LatencyPoint {
  TimePoint bucket{};
  double avg_ms = 0, min_ms = 0, p95_ms = 0, max_ms = 0;
  std::int64_t count = 0, failures = 0;
};

/// The response time at the top of the graph of `points` (the graph starts at 0 ms).
double response_time_scale_ms(const std::vector<LatencyPoint>& points);

/// A response-time graph between `from` and `to` with buckets of `bucket`: a band from the
/// fastest to the 95th percentile, a line for the average (broken where there is no data) and a
/// red tick at the foot for each bucket with failures. `title` is its text alternative.
std::string response_time_svg(const std::vector<LatencyPoint>& points, TimePoint from, TimePoint to,
                              Duration bucket, std::string_view title);

}  // namespace lk::web
