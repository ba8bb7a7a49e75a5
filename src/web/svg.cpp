#include "web/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "web/text.hpp"

namespace lk::web {

namespace {

constexpr int kDayWidth = 3;
constexpr int kDayStride = 4;  // one unit of gap between days
constexpr int kBarHeight = 24;

constexpr double kSparkWidth = 120;
constexpr double kSparkHeight = 24;
constexpr double kSparkPadding = 2;

std::string plural(std::int64_t n, std::string_view word) {
  std::string out = std::to_string(n) + " " + std::string(word);
  if (n != 1) out += 's';
  return out;
}

TimePoint start_of_day(TimePoint t) {
  return std::chrono::floor<std::chrono::days>(t);
}

void append_number(std::string& out, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  out += buf;
}

}  // namespace

DayGrade grade_day(const DayBar& day) {
  // A day with a few failures out of thousands of runs is still worth a different colour from a
  // clean one, but not the same red as a day that was mostly down.
  constexpr double kMinorOutageUptime = 0.99;
  if (day.count == 0) return DayGrade::no_data;
  if (day.failures == 0) return day.warnings == 0 ? DayGrade::ok : DayGrade::warn;
  return day.uptime() >= kMinorOutageUptime ? DayGrade::minor_outage : DayGrade::major_outage;
}

std::string_view day_css_class(DayGrade grade) {
  switch (grade) {
    case DayGrade::no_data:
      return "d-none";
    case DayGrade::ok:
      return "d-ok";
    case DayGrade::warn:
      return "d-warn";
    case DayGrade::minor_outage:
      return "d-minor";
    case DayGrade::major_outage:
      return "d-major";
  }
  return "d-none";
}

std::string describe_day(const DayBar& day) {
  std::string out = format_day(day.day) + ": ";
  if (day.count == 0) return out + "no data";
  out += format_percent(day.uptime()) + " up";
  if (day.failures > 0) out += ", " + plural(day.failures, "failure");
  if (day.warnings > 0) out += ", " + plural(day.warnings, "warning");
  return out;
}

std::string uptime_bar_svg(const std::vector<DayBar>& days, TimePoint today) {
  // Index the given days by date so that gaps (no results stored) show as grey days.
  std::map<TimePoint, const DayBar*> by_day;
  for (const auto& d : days) by_day[start_of_day(d.day)] = &d;
  const TimePoint last_day = start_of_day(today);

  std::int64_t total = 0, failures = 0;
  std::string rects;
  rects.reserve(kUptimeBarDays * 80);
  for (int i = 0; i < kUptimeBarDays; ++i) {
    TimePoint day = last_day - std::chrono::days{kUptimeBarDays - 1 - i};
    DayBar bar{.day = day};
    if (auto it = by_day.find(day); it != by_day.end()) {
      bar = *it->second;
      bar.day = day;
    }
    total += bar.count;
    failures += bar.failures;
    rects += "<rect x=\"" + std::to_string(i * kDayStride) + "\" width=\"" +
             std::to_string(kDayWidth) + "\" height=\"" + std::to_string(kBarHeight) +
             "\" class=\"" + std::string(day_css_class(grade_day(bar))) + "\"><title>";
    append_html_escaped(rects, describe_day(bar));
    rects += "</title></rect>";
  }

  std::string label = total == 0 ? "no data in the last 90 days"
                                 : format_percent(1.0 - double(failures) / double(total)) +
                                       " up over the last 90 days";
  std::string out = "<svg class=\"bar\" viewBox=\"0 0 " +
                    std::to_string(kUptimeBarDays * kDayStride - (kDayStride - kDayWidth)) + " " +
                    std::to_string(kBarHeight) +
                    "\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"" + label + "\">";
  out += rects;
  out += "</svg>";
  return out;
}

std::string sparkline_svg(const std::vector<float>& latencies_ms) {
  std::size_t failed = 0;
  double max_ms = 0, min_ms = 0;
  bool any = false;
  for (float v : latencies_ms) {
    if (std::isnan(v)) {
      ++failed;
      continue;
    }
    max_ms = any ? std::max(max_ms, double(v)) : double(v);
    min_ms = any ? std::min(min_ms, double(v)) : double(v);
    any = true;
  }

  std::string label;
  if (latencies_ms.empty()) {
    label = "no runs yet";
  } else {
    label = "latency of the last " + plural(static_cast<std::int64_t>(latencies_ms.size()), "run");
    if (any) label += ": " + format_latency_ms(min_ms) + " to " + format_latency_ms(max_ms);
    if (failed > 0) label += ", " + std::to_string(failed) + " failed";
  }

  std::string out = "<svg class=\"spark\" viewBox=\"0 0 120 24\" role=\"img\" aria-label=\"" +
                    label + "\"><title>" + label + "</title>";
  const std::size_t n = latencies_ms.size();
  const double step = n > 1 ? (kSparkWidth - 2 * kSparkPadding) / double(n - 1) : 0;
  const double scale = max_ms > 0 ? (kSparkHeight - 2 * kSparkPadding) / max_ms : 0;
  auto x_of = [&](std::size_t i) { return kSparkPadding + step * double(i); };
  auto y_of = [&](double ms) { return kSparkHeight - kSparkPadding - ms * scale; };

  // Consecutive successful runs form one polyline; a failed run breaks the line, so a failure is
  // never drawn as if it had a latency.
  std::size_t i = 0;
  while (i < n) {
    if (std::isnan(latencies_ms[i])) {
      out += "<rect class=\"sf\" x=\"";
      append_number(out, x_of(i) - 1);
      out += "\" y=\"0\" width=\"2\" height=\"24\"/>";
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < n && !std::isnan(latencies_ms[end])) ++end;
    if (end - i == 1) {
      out += "<circle class=\"sp\" cx=\"";
      append_number(out, x_of(i));
      out += "\" cy=\"";
      append_number(out, y_of(latencies_ms[i]));
      out += "\" r=\"1.5\"/>";
    } else {
      out += "<polyline class=\"sl\" points=\"";
      for (std::size_t k = i; k < end; ++k) {
        if (k > i) out += ' ';
        append_number(out, x_of(k));
        out += ',';
        append_number(out, y_of(latencies_ms[k]));
      }
      out += "\"/>";
    }
    i = end;
  }
  out += "</svg>";
  return out;
}

}  // namespace lk::web
