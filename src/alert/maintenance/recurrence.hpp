#pragma once
// Recurrence rules for maintenance windows: the RFC 5545 RRULE subset that hosting teams need
// ("FREQ=MONTHLY;BYDAY=2TU" is the second Tuesday of each month), as calendar arithmetic on
// local dates. No time zone and no time of day here: window.hpp turns dates into instants.
//
// The subset: FREQ=DAILY|WEEKLY|MONTHLY|YEARLY, INTERVAL, BYDAY (ordinals such as 2TU or -1FR
// only with MONTHLY and YEARLY), BYMONTHDAY (1..31, -1..-31 from the end of the month),
// BYMONTH, COUNT, UNTIL (YYYYMMDD or YYYYMMDDTHHMMSSZ) and WKST. BYSETPOS, BYYEARDAY, BYWEEKNO,
// BYHOUR, BYMINUTE, BYSECOND and the sub-daily frequencies are refused by name.
//
// How the parts combine (RFC 5545 section 3.3.10, "expand" and "limit"):
// - The first occurrence's date (DTSTART) anchors the rule: period 0 is its day, week (weeks
//   start on WKST, Monday by default), month or year; INTERVAL=n keeps every n-th period.
// - DAILY: one day per period; BYMONTH, BYMONTHDAY and BYDAY only filter.
// - WEEKLY: the BYDAY days of each week (DTSTART's weekday without BYDAY); BYMONTH filters.
// - MONTHLY: BYMONTHDAY days (BYDAY then filters), else BYDAY days (2TU: the 2nd Tuesday,
//   -1FR: the last Friday, FR: every Friday), else DTSTART's day of the month; BYMONTH filters.
// - YEARLY: the BYMONTH months (DTSTART's month without BYMONTH, unless BYDAY or BYMONTHDAY
//   ask for every month), each expanded as MONTHLY; with BYDAY but no BYMONTH, ordinals count
//   within the year (20MO is the 20th Monday of the year).
// - Dates that do not exist are skipped, never moved: BYMONTHDAY=31 skips 30-day months, a
//   5th Friday skips months with four.
//
// Choices where RFC 5545 leaves room:
// - DTSTART need not match the rule: it anchors the periods and is the lower bound, and counts
//   as an occurrence only if the rule gives its date. "The 2nd Tuesday of each month from
//   2026-01-01" is what people mean, not "2026-01-01 and then every 2nd Tuesday".
// - COUNT counts occurrences from DTSTART on. UNTIL is inclusive: a date UNTIL is the last
//   local date that may have an occurrence, a UTC UNTIL the last instant one may start at.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.hpp"

namespace lk::alert::maintenance {

enum class Frequency { daily, weekly, monthly, yearly };

/// One BYDAY entry: a weekday, and optionally which one of the month or year it must be.
struct WeekdayRule {
  std::chrono::weekday day;
  int nth = 0;  ///< 0: every such weekday; 2: the second; -1: the last
  bool operator==(const WeekdayRule&) const = default;
};

/// A parsed RRULE. Build one with parse_rrule(), or by hand and check it with problems().
struct Recurrence {
  Frequency frequency = Frequency::daily;
  unsigned interval = 1;
  std::vector<WeekdayRule> by_day;
  std::vector<int> by_month_day;   ///< 1..31, or -31..-1 counted from the month's last day
  std::vector<unsigned> by_month;  ///< 1..12
  std::optional<unsigned> count;
  std::optional<std::chrono::year_month_day> until_date;  ///< UNTIL=YYYYMMDD, inclusive
  std::optional<TimePoint> until;                         ///< UNTIL=...Z, inclusive
  std::chrono::weekday week_start = std::chrono::Monday;  ///< WKST
  bool operator==(const Recurrence&) const = default;
};

/// Parses an RRULE ("FREQ=MONTHLY;BYDAY=2TU", an "RRULE:" prefix is accepted). Returns the rule
/// or a message naming the part at fault ("BYDAY: unknown weekday \"TX\"").
std::variant<Recurrence, std::string> parse_rrule(std::string_view text);

/// The rule as RRULE text, parts in a fixed order; parse_rrule(format_rrule(r)) == r.
std::string format_rrule(const Recurrence& rule);

/// What makes a hand-built rule meaningless (the same messages parse_rrule gives); empty when
/// usable.
std::vector<std::string> problems(const Recurrence& rule);

/// Walks the local dates of a rule in increasing order. COUNT and a date UNTIL end the walk; a
/// UTC UNTIL is left to the caller, who knows the time of day and the zone. The rule must have
/// no problems() and outlive the walk.
class RecurrenceDates {
 public:
  /// Dates of `rule` anchored at `start` (DTSTART's date), from `from` to `last` inclusive.
  /// Without COUNT the walk jumps straight to `from`'s period; with it, it counts from `start`.
  RecurrenceDates(const Recurrence& rule, std::chrono::sys_days start, std::chrono::sys_days from,
                  std::chrono::sys_days last);

  /// The next date, or nullopt when the rule or the range has ended.
  std::optional<std::chrono::sys_days> next();

 private:
  /// Fills `pending_` with the dates of period `period_`, sorted and without repeats.
  void expand_period();
  std::chrono::sys_days period_first_day() const;

  const Recurrence& rule_;
  std::chrono::sys_days start_;
  std::chrono::year_month_day start_ymd_;
  std::chrono::sys_days from_;
  std::chrono::sys_days last_;
  long long period_ = 0;
  std::vector<std::chrono::sys_days> pending_;
  std::size_t next_pending_ = 0;
  unsigned emitted_ = 0;  ///< occurrences on or after start, for COUNT
  bool done_ = false;
};

}  // namespace lk::alert::maintenance
