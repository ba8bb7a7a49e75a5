#pragma once
// The page of one component: its state and how it is derived, uptime over 24 hours to 90 days,
// a response-time graph over a day, week, month or year (from the store's rollups, Munin-style:
// minutes for a day, hours for a week or month, days for a year), and its 90 days as a bar and,
// for keyboards and screen readers, as a table.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"
#include "web/layout.hpp"
#include "web/svg.hpp"

namespace lk::web {

enum class HistoryRange { day, week, month, year };
std::optional<HistoryRange> parse_history_range(std::string_view text);
std::string_view to_string(HistoryRange range);

/// What a range reads from the store.
struct RangeWindow {
  Duration span;
  store::Resolution resolution;
  Duration bucket;
};
RangeWindow range_window(HistoryRange range);

/// Merges the rollups of a component's checks (at every location) into one point per bucket:
/// averages weighted by their counts, the extremes of the extremes, the worst p95 (an upper
/// bound of the merged one).
class LatencyMerger {
 public:
  void add(const store::Rollup& rollup);
  /// The points, oldest first.
  std::vector<LatencyPoint> points() const;

 private:
  std::vector<LatencyPoint> points_;  // by bucket, kept sorted
};

/// The page of `component` with its latency `points` between `from` and `to` for `range`.
std::string render_component_page(const PageContext& ctx, const ComponentStatus& component,
                                  HistoryRange range, const std::vector<LatencyPoint>& points,
                                  TimePoint from, TimePoint to);

}  // namespace lk::web
