#pragma once
// A 5-field cron schedule in a time zone (minute hour day-of-month month day-of-week), with
// lists, ranges, steps, month and weekday names and the @hourly/@daily/@weekly/@monthly/@yearly
// shorthands. Pure: it reads the time zone database once, at parse, and never the clock.
//
// Semantics follow Vixie cron / cronie:
// - When both day-of-month and day-of-week are restricted (neither starts with '*'), a day
//   matches when either does; otherwise both must.
// - Daylight saving time: a *fixed-time* schedule (neither minute nor hour starts with '*')
//   whose local time falls in a spring-forward gap fires once, at the end of the gap (02:30 on
//   Europe/London's spring-forward day fires at 03:00 BST); on fall-back it fires once, at the
//   first occurrence. A *wildcard* schedule (minute or hour starts with '*') follows the wall
//   clock: minutes that do not exist are skipped and repeated ones fire twice.

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/time.hpp"

namespace date {
class time_zone;
}

namespace lk::schedule {

class CronSchedule {
 public:
  /// Parses `expression` in the IANA time zone `timezone` ("UTC", "Europe/London"). Returns a
  /// human message naming the field at fault on error.
  static std::variant<CronSchedule, std::string> parse(std::string_view expression,
                                                       std::string_view timezone = "UTC");

  /// The first fire time strictly after `t`; nullopt only when none comes within 8 years.
  std::optional<TimePoint> next_after(TimePoint t) const;
  /// The latest fire time at or before `t`; nullopt only when none came within 8 years.
  std::optional<TimePoint> previous_at_or_before(TimePoint t) const;

  const std::string& expression() const { return expression_; }
  const std::string& timezone() const { return timezone_; }

 private:
  CronSchedule() = default;
  /// Searches day by day (in local time) from `t`'s day, forwards or backwards.
  std::optional<TimePoint> search(TimePoint t, bool forward) const;

  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  ///< 1..31
  std::bitset<13> months_;         ///< 1..12
  std::bitset<7> days_of_week_;    ///< 0 = Sunday
  bool day_of_month_star_ = false;
  bool day_of_week_star_ = false;
  bool wildcard_ = false;  ///< minute or hour starts with '*' (see the DST rules above)
  const date::time_zone* zone_ = nullptr;
  std::string expression_;
  std::string timezone_;
};

}  // namespace lk::schedule
