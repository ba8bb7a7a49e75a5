#pragma once
// Status reports (incidents and maintenance) on the public pages: the card a page lists them
// with, the page of one report with its timeline, and the incident history with paging.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/layout.hpp"

namespace lk::web {

/// "Investigating", "Identified", ..., "In progress", "Completed".
std::string_view report_state_word(ReportState state);
/// "No impact", "Minor impact", "Major impact", "Critical impact".
std::string_view impact_word(Impact impact);

/// Appends a report as a card: its title (an <h3> linking to its page), state, impact, the
/// components it concerns, its times and, with `with_latest_update`, its latest update.
void append_report_card(std::string& out, const PageContext& ctx, const StatusReport& report,
                        bool with_latest_update);

/// The page of one report: what it concerns and its whole timeline, newest first.
std::string render_report_page(const PageContext& ctx, const StatusReport& report);

/// One page of the incident history.
struct HistoryView {
  std::vector<StatusReport> reports;         ///< newest first
  std::optional<std::int64_t> older_before;  ///< the `before` of the next (older) page, if any
  bool is_newest = true;                     ///< the first page (no `before`)
};

/// Reports on each page of the history.
inline constexpr std::size_t kHistoryPageSize = 20;

std::string render_history_page(const PageContext& ctx, const HistoryView& view);

}  // namespace lk::web
