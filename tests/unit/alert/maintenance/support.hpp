#pragma once
// Shared helpers for the maintenance window tests: instants as RFC 3339 text, rules from RRULE
// text, occurrences as "start/end" text.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "alert/maintenance/window.hpp"
#include "core/time.hpp"

namespace lk::alert::maintenance::testing {

inline TimePoint at(std::string_view rfc3339) {
  auto t = parse_time(rfc3339);
  EXPECT_TRUE(t) << rfc3339;
  return t.value_or(TimePoint{});
}

/// "2027-01-12T02:00:00Z" (format_time without the milliseconds, which are always zero here).
inline std::string text(TimePoint t) {
  std::string s = format_time(t);
  return s.substr(0, 19) + "Z";
}

inline Recurrence rrule(std::string_view text) {
  auto parsed = parse_rrule(text);
  if (auto* error = std::get_if<std::string>(&parsed)) ADD_FAILURE() << text << ": " << *error;
  auto* rule = std::get_if<Recurrence>(&parsed);
  return rule ? *rule : Recurrence{};
}

/// The error parse_rrule gives, or "parsed" when there is none.
inline std::string rrule_error(std::string_view text) {
  auto parsed = parse_rrule(text);
  auto* error = std::get_if<std::string>(&parsed);
  return error ? *error : "parsed";
}

/// A recurring window on an RRULE; checked for problems.
inline Window recurring(std::string_view rule, std::string zone, std::chrono::year_month_day start,
                        std::chrono::minutes time, Duration duration) {
  Window w;
  w.name = "maintenance";
  w.rule = rrule(rule);
  w.zone = std::move(zone);
  w.start_date = start;
  w.start_time = time;
  w.duration = duration;
  EXPECT_EQ(problems(w), std::vector<std::string>{});
  return w;
}

/// "2027-01-12T02:00:00Z/2027-01-12T04:00:00Z" (an ISO 8601 interval).
inline std::string span(const Occurrence& o) {
  return text(o.start) + "/" + text(o.end);
}

inline std::string span(const std::optional<Occurrence>& o) {
  return o ? span(*o) : "none";
}

inline std::vector<std::string> spans(const std::vector<Occurrence>& list) {
  std::vector<std::string> out;
  for (const Occurrence& o : list) out.push_back(span(o));
  return out;
}

inline std::string active(const Window& w, std::string_view t) {
  return span(active_at(w, at(t)));
}

inline std::string next(const Window& w, std::string_view t) {
  return span(next_after(w, at(t)));
}

/// Occurrences overlapping [from, to), at most 100.
inline std::vector<std::string> between(const Window& w, std::string_view from,
                                        std::string_view to) {
  return spans(occurrences(w, at(from), at(to), 100));
}

/// Just the start instants of the occurrences overlapping [from, to).
inline std::vector<std::string> starts(const Window& w, std::string_view from,
                                       std::string_view to) {
  std::vector<std::string> out;
  for (const Occurrence& o : occurrences(w, at(from), at(to), 100)) out.push_back(text(o.start));
  return out;
}

}  // namespace lk::alert::maintenance::testing
