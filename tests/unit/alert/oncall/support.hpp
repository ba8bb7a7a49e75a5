#pragma once
// Shared helpers for the on-call schedule tests: instants as RFC 3339 text, small schedules.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "alert/oncall/schedule.hpp"
#include "core/time.hpp"

namespace lk::alert::oncall::testing {

inline TimePoint at(std::string_view rfc3339) {
  auto t = parse_time(rfc3339);
  EXPECT_TRUE(t) << rfc3339;
  return t.value_or(TimePoint{});
}

/// "2026-03-29T08:00:00Z" (format_time without the milliseconds, which are always zero here).
inline std::string text(TimePoint t) {
  std::string s = format_time(t);
  return s.substr(0, 19) + "Z";
}

inline Rotation rotation(std::vector<std::string> members, Duration length, std::string zone,
                         std::chrono::minutes handoff, std::chrono::year_month_day start) {
  return Rotation{std::move(members), length, std::move(zone), handoff, start};
}

/// A schedule whose people are `names`, with no channels, and the given layers.
inline Schedule schedule_of(const std::vector<std::string>& names, std::vector<Layer> layers) {
  Schedule s;
  s.name = "ops";
  for (const auto& name : names) s.people.push_back({name, {"sms"}});
  s.layers = std::move(layers);
  EXPECT_EQ(problems(s), std::vector<std::string>{});
  return s;
}

inline std::string primary_at(const Schedule& s, std::string_view t) {
  return who_is_on(s, at(t)).primary.value_or("nobody");
}

/// The next `n` hand-offs after `t`, as "time primary" strings.
inline std::vector<std::string> handoffs(const Schedule& s, std::string_view t, std::size_t n) {
  std::vector<std::string> out;
  for (const Handoff& h : next_handoffs(s, at(t), n))
    out.push_back(text(h.at) + " " + h.after.primary.value_or("nobody"));
  return out;
}

}  // namespace lk::alert::oncall::testing
