#pragma once
// On-call schedules: who is on shift at an instant, and when that changes. Pure: every query
// takes the time; the time zone database is read, the clock never.
//
// The model
// - A Person has a name and the names of the notifier channels that reach them.
// - A Rotation hands the shift from one member to the next, in order and round again, starting
//   on `start_date` at `handoff_time` (local time of day in the IANA zone `zone`).
//   Whole-day lengths (daily, weekly, 14 days) count *local calendar days*: a 09:00
//   Europe/London hand-off stays at 09:00 on the wall clock across the March and October
//   changes, and a daily rotation moves one member per calendar day, 23- and 25-hour days
//   included. Any other length (12h) is a fixed span of elapsed time from the first hand-off.
//   A hand-off in a spring-forward gap happens at the end of the gap; one in the repeated hour
//   of a fall-back happens at its first occurrence (as schedule/cron.hpp does).
// - A Layer is a rotation, optionally restricted to time-of-day windows on given weekdays, read
//   in the rotation's zone. Layers stack: at any instant the *last* layer that has someone on
//   decides. Follow-the-sun is one layer per site, each window being that site's local hours.
// - Pairs: a paired layer's secondary is the *next member of the same rotation* (whoever takes
//   the following shift). Chosen over a separate secondary rotation because primary and
//   secondary then always change together, one list says who covers, and being secondary the
//   shift before being primary is the usual hand-over shadowing. A one-member rotation has no
//   secondary.
// - An Override puts a person on as primary over every layer from `from` (inclusive) to `to`
//   (exclusive); among overlapping overrides the last listed wins. The secondary stays the
//   one the layers give, unless it is the override's person (nobody is paged twice).

#include <bitset>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace lk::alert::oncall {

struct Person {
  std::string name;
  std::vector<std::string> channels;  ///< notifier names; all are told at once
};

inline constexpr std::chrono::hours daily{24};
inline constexpr std::chrono::hours weekly{24 * 7};

struct Rotation {
  std::vector<std::string> members;           ///< person names, in hand-off order
  Duration length = weekly;                   ///< whole days count calendar days (see above)
  std::string zone = "UTC";                   ///< IANA name: "Europe/London"
  std::chrono::minutes handoff_time{9 * 60};  ///< local time of day of each hand-off
  std::chrono::year_month_day start_date{};   ///< local date of the first shift (member 0)
};

/// Weekday bits, 0 = Sunday (as tm_wday and cron).
using Weekdays = std::bitset<7>;
inline const Weekdays every_day{0b1111111};
inline const Weekdays monday_to_friday{0b0111110};

/// Local [from, to) on each of `days`; `to` may be 24h. A shift over midnight is two windows.
struct TimeWindow {
  Weekdays days = every_day;
  std::chrono::minutes from{0};
  std::chrono::minutes to{24 * 60};
};

struct Layer {
  std::string name;
  Rotation rotation;
  std::vector<TimeWindow> windows;  ///< empty: always on
  bool paired = false;              ///< secondary = next member of the rotation
};

struct Override {
  std::string person;
  TimePoint from{};
  TimePoint to{};  ///< exclusive
};

struct Schedule {
  std::string name;
  std::vector<Person> people;
  std::vector<Layer> layers;  ///< later layers take precedence
  std::vector<Override> overrides;

  /// The person of that name, or nullptr.
  const Person* person(std::string_view name) const;
};

/// Who is on at an instant, and what decided it.
struct OnCall {
  std::optional<std::string> primary;
  std::optional<std::string> secondary;
  std::string decided_by;  ///< the layer's name, "override", or empty when nobody is on

  /// Same people on (what decided does not matter to whoever is paged).
  bool same_people(const OnCall& other) const {
    return primary == other.primary && secondary == other.secondary;
  }
};

struct Handoff {
  TimePoint at{};
  OnCall before;
  OnCall after;
};

/// Every problem that would make the queries meaningless or throw (unknown zone, unknown member,
/// empty or backwards window or override, non-positive length); empty when usable.
std::vector<std::string> problems(const Schedule& schedule);

/// Who is on at `t`. The schedule must have no problems().
OnCall who_is_on(const Schedule& schedule, TimePoint t);

/// The next `n` instants after `t` at which the primary or secondary changes, searched up to two
/// years ahead. The schedule must have no problems().
std::vector<Handoff> next_handoffs(const Schedule& schedule, TimePoint t, std::size_t n);

}  // namespace lk::alert::oncall
