#include "web/svg.hpp"

#include <algorithm>
#include <cstdio>

#include "web/text.hpp"

namespace lk::web {

namespace {

constexpr int kDayWidth = 3;
constexpr int kDayStride = 4;  // one unit of gap between days
// Titled shapes per bar beyond which it is drawn as a busy bar (see append_busy_bar).
constexpr std::size_t kMaxDayShapes = 20;

constexpr double kGraphWidth = 720, kGraphHeight = 180;
constexpr double kPlotTop = 6, kPlotBottom = 166;  // failure ticks go below the plot
constexpr double kTickTop = 170;

std::string plural(std::int64_t n, std::string_view word) {
  std::string out = std::to_string(n) + " " + std::string(word);
  if (n != 1) out += 's';
  return out;
}

void append_number(std::string& out, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  out += buf;
}

// Runs of days that need no words of their own: clean days, and days without data (a young
// check has 89 of them).
bool is_plain(const ComponentDay& day) {
  DayGrade g = grade_day(day);
  return g == DayGrade::ok || g == DayGrade::no_data;
}

// The words for days first..last drawn or hovered as one: a run of clean days or of days
// without data, or a week of a busy bar.
std::string describe_span(const std::vector<ComponentDay>& days, std::size_t first,
                          std::size_t last) {
  std::string out = format_short_day(days[first].day) + " – " + format_short_day(days[last].day);
  double lowest = 1.0;
  std::int64_t with_data = 0, troubled = 0;
  std::vector<const StatusReport*> incidents;
  for (std::size_t i = first; i <= last; ++i) {
    if (days[i].uptime) {
      ++with_data;
      lowest = std::min(lowest, *days[i].uptime);
    }
    if (!is_plain(days[i])) ++troubled;
    for (const auto* r : days[i].incidents)
      if (std::find(incidents.begin(), incidents.end(), r) == incidents.end())
        incidents.push_back(r);
  }
  const auto span = static_cast<std::int64_t>(last - first + 1);
  if (with_data == 0) return out + ": no data";
  out += lowest >= 1.0 ? ": 100%" : ": lowest " + format_percent(lowest);
  if (troubled > 0) out += ", trouble on " + plural(troubled, "day");
  if (with_data < span) out += ", no data on " + plural(span - with_data, "day");
  if (!incidents.empty())
    out += ", " + plural(static_cast<std::int64_t>(incidents.size()), "incident");
  else if (troubled == 0)
    out += ", no incidents";
  return out;
}

void append_run(std::string& out, const std::vector<ComponentDay>& days, std::size_t first,
                std::size_t last) {
  const DayGrade grade = grade_day(days[first]);
  const int x = static_cast<int>(first) * kDayStride;
  if (first == last) {
    // A reference to the one day-sized rect of the defs: the shortest markup for a day, which
    // matters on a page of 40 components with 90 days each.
    out += "<use href=\"#lk-d\" x=\"" + std::to_string(x) + "\" class=\"";
    out += day_css_class(grade);
    out += "\"><title>";
    append_html_escaped(out, describe_day(days[first]));
    out += "</title></use>";
    return;
  }
  // The pattern draws the run as separate days, as if each had its own rect.
  out += "<rect x=\"" + std::to_string(x) + "\" width=\"";
  out += std::to_string(static_cast<int>(last - first) * kDayStride + kDayWidth);
  out += "\" height=\"24\" fill=\"url(#lk-";
  out += day_css_class(grade);
  out += ")\"><title>";
  append_html_escaped(out, describe_span(days, first, last));
  out += "</title></rect>";
}

// A bar with trouble on most days (a flaky check in an `any` component) would need a titled
// shape per day, and 40 of them do not fit the page's budget. It keeps every day's colour, as
// one path per colour, and puts the words per week in transparent shapes over them: at most
// ~3 KB, whatever the days were. The component's page still lists every day.
void append_busy_bar(std::string& out, const std::vector<ComponentDay>& days) {
  constexpr std::size_t kShortRun = 3;  // longer runs are one patterned rect
  std::string paths[5];                 // by grade
  std::size_t i = 0;
  while (i < days.size()) {
    const DayGrade grade = grade_day(days[i]);
    std::size_t last = i;
    while (last + 1 < days.size() && grade_day(days[last + 1]) == grade) ++last;
    const std::string_view css_class = day_css_class(grade);
    if (last - i + 1 > kShortRun) {
      out += "<rect x=\"" + std::to_string(static_cast<int>(i) * kDayStride) + "\" width=\"";
      out += std::to_string(static_cast<int>(last - i) * kDayStride + kDayWidth);
      out.append("\" height=\"24\" fill=\"url(#lk-").append(css_class).append(")\"/>");
    } else {
      for (std::size_t k = i; k <= last; ++k)
        paths[static_cast<int>(grade)] +=
            "M" + std::to_string(static_cast<int>(k) * kDayStride) + " 0h3v24h-3z";
    }
    i = last + 1;
  }
  for (int g = 0; g < 5; ++g) {
    if (paths[g].empty()) continue;
    out.append("<path class=\"").append(day_css_class(static_cast<DayGrade>(g)));
    out.append("\" d=\"").append(paths[g]).append("\"/>");
  }
  constexpr std::size_t kWeek = 7;
  for (std::size_t first = 0; first < days.size(); first += kWeek) {
    const std::size_t last = std::min(first + kWeek - 1, days.size() - 1);
    out += "<rect x=\"" + std::to_string(static_cast<int>(first) * kDayStride) + "\" width=\"";
    out += std::to_string(static_cast<int>(last - first + 1) * kDayStride);
    out += "\" height=\"24\" fill=\"transparent\"><title>";
    append_html_escaped(out, describe_span(days, first, last));
    out += "</title></rect>";
  }
}

// How many shapes the bar has when only plain days are merged.
std::size_t shape_count(const std::vector<ComponentDay>& days) {
  std::size_t shapes = 0;
  for (std::size_t i = 0; i < days.size(); ++i)
    if (i == 0 || !is_plain(days[i]) || grade_day(days[i]) != grade_day(days[i - 1])) ++shapes;
  return shapes;
}

}  // namespace

std::string_view day_css_class(DayGrade grade) {
  switch (grade) {
    case DayGrade::ok:
      return "d0";
    case DayGrade::degraded:
      return "d1";
    case DayGrade::minor_outage:
      return "d2";
    case DayGrade::major_outage:
      return "d3";
    case DayGrade::no_data:
      return "d4";
  }
  return "d4";
}

std::string describe_day(const ComponentDay& day) {
  std::string out = format_short_day(day.day) + ": ";
  if (!day.uptime) {
    out += "no data";
  } else {
    out += format_percent(*day.uptime);
    if (day.failing_checks > 0) out += ", " + plural(day.failing_checks, "check") + " failed";
    if (day.warning_checks > 0) out += ", " + plural(day.warning_checks, "check") + " warned";
  }
  if (day.incidents.size() == 1) {
    out += ", incident: " + day.incidents.front()->title;
  } else if (day.incidents.size() > 1) {
    out += ", " + plural(static_cast<std::int64_t>(day.incidents.size()), "incident") + ": ";
    for (std::size_t i = 0; i < day.incidents.size(); ++i)
      out += (i ? "; " : "") + day.incidents[i]->title;
  }
  return out;
}

std::string_view uptime_bar_defs() {
  static const std::string defs = [] {
    std::string out =
        "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\" "
        "focusable=\"false\"><defs><rect id=\"lk-d\" width=\"3\" height=\"24\"/>";
    for (auto grade : {DayGrade::ok, DayGrade::degraded, DayGrade::minor_outage,
                       DayGrade::major_outage, DayGrade::no_data}) {
      const std::string css_class(day_css_class(grade));
      out += "<pattern id=\"lk-" + css_class +
             "\" width=\"4\" height=\"24\" patternUnits=\"userSpaceOnUse\"><rect width=\"3\" "
             "height=\"24\" class=\"" +
             css_class + "\"/></pattern>";
    }
    return out + "</defs></svg>\n";
  }();
  return defs;
}

void append_uptime_bar(std::string& out, const std::vector<ComponentDay>& days,
                       std::optional<double> uptime) {
  std::size_t troubled = 0;
  for (const auto& d : days)
    if (!is_plain(d)) ++troubled;
  std::string label = std::to_string(days.size()) + "-day uptime ";
  label += uptime ? format_percent(*uptime) : "unknown";
  label += ", " + plural(static_cast<std::int64_t>(troubled), "day") + " with trouble";

  out += "<svg class=\"b\" viewBox=\"0 0 ";
  out += std::to_string(static_cast<int>(days.size()) * kDayStride - (kDayStride - kDayWidth));
  out += " 24\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"" + label + "\">";
  if (shape_count(days) > kMaxDayShapes) {
    append_busy_bar(out, days);
  } else {
    std::size_t i = 0;
    while (i < days.size()) {
      std::size_t last = i;
      if (is_plain(days[i]))
        while (last + 1 < days.size() && grade_day(days[last + 1]) == grade_day(days[i])) ++last;
      append_run(out, days, i, last);
      i = last + 1;
    }
  }
  out += "</svg>";
}

double response_time_scale_ms(const std::vector<LatencyPoint>& points) {
  // The 95th percentile, not the maximum, sets the scale: one slow outlier would flatten the
  // rest of the graph (the caption names the slowest response).
  double top = 0;
  for (const auto& p : points) top = std::max({top, p.p95_ms, p.avg_ms});
  return top > 0 ? top * 1.1 : 1.0;
}

std::string response_time_svg(const std::vector<LatencyPoint>& points, TimePoint from, TimePoint to,
                              Duration bucket, std::string_view title) {
  const double top = response_time_scale_ms(points);
  const double span = std::max(1e-9, std::chrono::duration<double>(to - from).count());
  const double bucket_seconds = std::chrono::duration<double>(bucket).count();
  auto x_of = [&](TimePoint t, double offset_buckets) {
    double seconds =
        std::chrono::duration<double>(t - from).count() + offset_buckets * bucket_seconds;
    return std::clamp(kGraphWidth * seconds / span, 0.0, kGraphWidth);
  };
  auto y_of = [&](double ms) {
    return kPlotBottom - (kPlotBottom - kPlotTop) * std::clamp(ms / top, 0.0, 1.0);
  };

  std::string out;
  out.reserve(512 + points.size() * 40);
  out += "<svg class=\"rt\" viewBox=\"0 0 720 180\" preserveAspectRatio=\"none\" role=\"img\">";
  out += "<title>";
  append_html_escaped(out, title);
  out += "</title>";

  // Segments of consecutive buckets; a missing bucket breaks the band and the line, so a gap in
  // the data is never drawn as if it had a latency. A lone bucket is drawn across its width.
  std::size_t i = 0;
  std::string band, line;
  while (i < points.size()) {
    std::size_t end = i + 1;
    while (end < points.size() && points[end].bucket - points[end - 1].bucket <= bucket * 3 / 2)
      ++end;
    struct Vertex {
      double x;
      const LatencyPoint* p;
    };
    std::vector<Vertex> vertices;
    if (end - i == 1) {
      vertices = {{x_of(points[i].bucket, 0), &points[i]}, {x_of(points[i].bucket, 1), &points[i]}};
    } else {
      for (std::size_t k = i; k < end; ++k)
        vertices.push_back({x_of(points[k].bucket, 0.5), &points[k]});
    }
    band = "<path class=\"band\" d=\"M";
    line = "<polyline class=\"avg\" points=\"";
    for (std::size_t k = 0; k < vertices.size(); ++k) {
      if (k) {
        band += 'L';
        line += ' ';
      }
      append_number(band, vertices[k].x);
      band += ',';
      append_number(
          band, y_of(vertices[k].p->p95_ms > 0 ? vertices[k].p->p95_ms : vertices[k].p->max_ms));
      append_number(line, vertices[k].x);
      line += ',';
      append_number(line, y_of(vertices[k].p->avg_ms));
    }
    for (std::size_t k = vertices.size(); k-- > 0;) {
      band += 'L';
      append_number(band, vertices[k].x);
      band += ',';
      append_number(band, y_of(vertices[k].p->min_ms));
    }
    out += band + "Z\"/>" + line + "\"/>";
    i = end;
  }
  const double tick_width = std::max(1.0, kGraphWidth * bucket_seconds / span);
  for (const auto& p : points) {
    if (p.failures == 0) continue;
    out += "<rect class=\"fl\" x=\"";
    append_number(out, x_of(p.bucket, 0));
    out += "\" y=\"";
    append_number(out, kTickTop);
    out += "\" width=\"";
    append_number(out, tick_width);
    out += "\" height=\"";
    append_number(out, kGraphHeight - kTickTop);
    out += "\"/>";
  }
  out += "</svg>";
  return out;
}

}  // namespace lk::web
