#pragma once
// Maintenance windows: times during which checks still run but nobody is notified and the time
// is left out of the SLA. Pure: every query takes the time; the time zone database is read, the
// clock never.
//
// A window is either
// - one-off: [from, to), two instants ("2026-12-24T22:00Z to 2026-12-25T02:00Z"); or
// - recurring: occurrences that start on the dates a rule gives, at `start_time` local time in
//   the IANA zone `zone`, and last `duration`. The rule is an RRULE (recurrence.hpp: "the 2nd
//   Tuesday of each month" is FREQ=MONTHLY;BYDAY=2TU) or, instead, a 5-field cron expression
//   read in `zone` (schedule/cron.hpp) whose fire times start the occurrences; `start_time` is
//   then unused. Cron cannot say "the 2nd Tuesday": "0 2 8-14 * 2" fires on days 8 to 14 *or*
//   on every Tuesday, because cron ORs its two day fields. Use an RRULE for n-th weekdays.
//   `start_date` is DTSTART's local date: a rule needs it to anchor INTERVAL and COUNT, and
//   no occurrence starts on an earlier local date. A cron window may leave it unset.
//
// Time semantics
// - A start time that falls in a spring-forward gap starts at the end of the gap; one in the
//   repeated hour of a fall-back starts at its first occurrence (as schedule/cron.hpp and
//   oncall/ do). 01:30 Europe/London on 2027-03-28 starts at 02:00 BST (01:00 UTC).
// - `duration` is elapsed time, not a wall-clock end: "Sunday 01:00 for 3h" in New York on the
//   spring-forward night runs 06:00-09:00 UTC, which the wall clock shows as 01:00-05:00 EDT.
//   Maintenance is planned as an amount of work, and SLA exclusions must not grow or shrink by
//   an hour twice a year. Occurrences may run over midnight, and may overlap when `duration`
//   is longer than the gap between starts (queries then report each occurrence on its own).
// - Occurrences are half-open: a window is active from its start (inclusive) to its end
//   (exclusive).
//
// Cost: a recurring query walks the rule one period (day, week, month, year) at a time from the
// period of the instant asked about, so a window costs microseconds per query. A rule with
// COUNT is walked from `start_date`, since the count starts there; a cron expression is parsed on
// each query.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "alert/maintenance/recurrence.hpp"
#include "core/time.hpp"

namespace lk::alert::maintenance {

struct Window {
  std::string name;
  // One-off: [from, to).
  std::optional<TimePoint> from;
  std::optional<TimePoint> to;
  // Recurring: `rule` or `cron`, with the fields below.
  std::optional<Recurrence> rule;
  std::optional<std::string> cron;  ///< "0 2 * * 0"; see the note on n-th weekdays above
  std::string zone = "UTC";         ///< IANA name: "Europe/London"
  std::optional<std::chrono::year_month_day> start_date;  ///< DTSTART's local date
  std::chrono::minutes start_time{0};  ///< local time of day each occurrence starts (rule)
  Duration duration{};                 ///< elapsed time each occurrence lasts
};

/// One occurrence of a window: [start, end).
struct Occurrence {
  TimePoint start{};
  TimePoint end{};
  bool operator==(const Occurrence&) const = default;
};

/// How far next_after() looks: past the instant asked about, or past the start date if later.
inline constexpr std::chrono::days search_ahead{5 * 366};

/// What makes the window unusable (unknown zone, non-positive duration, from >= to, neither
/// one-off nor recurring or both, a bad rule or cron, a rule that never occurs); empty when
/// usable. Queries on a window with problems return nothing rather than throw.
std::vector<std::string> problems(const Window& window);

/// The occurrence containing `t`, if any (the latest-starting one, should several overlap).
std::optional<Occurrence> active_at(const Window& window, TimePoint t);

/// The first occurrence that starts strictly after `t`, within search_ahead (see above).
std::optional<Occurrence> next_after(const Window& window, TimePoint t);

/// The occurrences that overlap [from, to), in order of start, at most `limit` of them (SLA
/// exclusion, announcing upcoming maintenance). Overlapping occurrences are not merged.
std::vector<Occurrence> occurrences(const Window& window, TimePoint from, TimePoint to,
                                    std::size_t limit);

/// For the CLI and the status page: "every month on the 2nd Tuesday, 02:00-04:00
/// Europe/London" (with an en dash), "once, 2026-12-24 22:00 to 2026-12-25 02:00 UTC".
std::string describe(const Window& window);

}  // namespace lk::alert::maintenance
