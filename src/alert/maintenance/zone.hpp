#pragma once
// Internal to maintenance/: local dates and times in an IANA zone, with the DST rules of
// window.hpp. Calendar dates are std::chrono::sys_days (a date, no zone); the date library
// supplies the zones.

#include <date/tz.h>

#include <chrono>
#include <exception>
#include <string_view>

#include "core/time.hpp"

namespace lk::alert::maintenance {

/// The zone of that IANA name, or nullptr.
inline const date::time_zone* find_zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

/// The instant local time `time_of_day` on `day` begins: at the end of a spring-forward gap if
/// it falls in one, the first of the two if it is repeated by a fall-back.
inline TimePoint start_on(const date::time_zone* zone, std::chrono::sys_days day,
                          std::chrono::minutes time_of_day) {
  const date::local_seconds local{
      std::chrono::duration_cast<std::chrono::seconds>(day.time_since_epoch() + time_of_day)};
  const date::local_info info = zone->get_info(local);
  const date::sys_seconds at =
      info.result == date::local_info::nonexistent
          ? info.second.begin
          : date::sys_seconds{local.time_since_epoch() - info.first.offset};
  return std::chrono::time_point_cast<TimePoint::duration>(at);
}

/// The local date at instant `t`.
inline std::chrono::sys_days local_date(const date::time_zone* zone, TimePoint t) {
  const auto local = zone->to_local(std::chrono::floor<std::chrono::seconds>(t));
  return std::chrono::sys_days{std::chrono::floor<std::chrono::days>(local.time_since_epoch())};
}

/// The local wall-clock time at instant `t`, as a sys time (date and time of day, no zone).
inline std::chrono::sys_seconds local_time(const date::time_zone* zone, TimePoint t) {
  const auto local = zone->to_local(std::chrono::floor<std::chrono::seconds>(t));
  return std::chrono::sys_seconds{local.time_since_epoch()};
}

}  // namespace lk::alert::maintenance
