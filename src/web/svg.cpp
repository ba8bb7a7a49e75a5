#include "web/svg.hpp"

#include <algorithm>
#include <cstdio>

#include "web/text.hpp"

namespace lk::web {

namespace {

constexpr int kDayWidth = 3;
constexpr int kDayStride = 4;  // one unit of gap between days
constexpr int kBarHeight = 24;
// Hover titles per bar beyond which the words go per week (13 of them for 90 days).
constexpr std::size_t kMaxTitles = 15;
constexpr std::size_t kWeek = 7;
// Incidents named in the title of several days (a day names all of its own).
constexpr std::size_t kMaxNamedIncidents = 3;

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

// Days that need no words of their own: clean days, and days without data (a young check has 89
// of them).
bool is_plain(const ComponentDay& day) {
  DayGrade g = grade_day(day);
  return g == DayGrade::ok || g == DayGrade::no_data;
}

// ", incident: Checkout errors" or ", 2 incidents: Checkout errors; DNS"; only the number when
// there are more than `max_named` (a week of automatic reports would make a long title).
void append_incidents(std::string& out, const std::vector<const StatusReport*>& incidents,
                      std::size_t max_named) {
  if (incidents.size() == 1) {
    out += ", incident: " + incidents.front()->title;
    return;
  }
  out += ", " + plural(static_cast<std::int64_t>(incidents.size()), "incident");
  if (incidents.size() > max_named) return;
  for (std::size_t i = 0; i < incidents.size(); ++i) out += (i ? "; " : ": ") + incidents[i]->title;
}

// The words for days first..last hovered as one: a run of days of one grade, or a week of a bar
// with too many runs to name each.
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
  if (incidents.empty()) {
    if (troubled == 0) out += ", no incidents";
  } else {
    append_incidents(out, incidents, kMaxNamedIncidents);
  }
  return out;
}

// Consecutive days of one grade.
struct Run {
  std::size_t first, last;
  DayGrade grade;
};

std::vector<Run> runs_of(const std::vector<ComponentDay>& days) {
  std::vector<Run> runs;
  for (std::size_t i = 0; i < days.size(); ++i) {
    const DayGrade grade = grade_day(days[i]);
    if (!runs.empty() && runs.back().grade == grade)
      runs.back().last = i;
    else
      runs.push_back({i, i, grade});
  }
  return runs;
}

// The days of one grade as one path: a line through the middle of the bar per run, which the
// stylesheet strokes as tall as the bar with dashes of a day and gaps between days (".b path").
// A run of any length costs a few bytes, "m12 0h16" (four days), where an outline per day would
// cost ten per day. Each line is a whole number of days long, so its dashes start on a day
// whether a renderer restarts the dash pattern at each subpath (as SVG 2 says) or not. Moves are
// relative to the end of the previous line, which keeps the numbers short.
class GradePath {
 public:
  void add(const Run& run) {
    const int x = static_cast<int>(run.first) * kDayStride;
    const int length = static_cast<int>(run.last - run.first + 1) * kDayStride;
    // The first move of a path is absolute even when written "m".
    d_ += 'm' + std::to_string(x - pen_x_) + (d_.empty() ? " 12h" : " 0h");
    d_ += std::to_string(length);
    pen_x_ = x + length;
  }
  bool empty() const { return d_.empty(); }
  const std::string& d() const { return d_; }

 private:
  std::string d_;
  int pen_x_ = 0;
};

// A transparent shape over days first..last that shows `text` on hover.
void append_hover(std::string& out, std::size_t first, std::size_t last, std::size_t day_count,
                  std::string_view text) {
  int width = static_cast<int>(last - first + 1) * kDayStride;
  if (last + 1 == day_count) width -= kDayStride - kDayWidth;  // no gap after the last day
  out += "<rect x=\"" + std::to_string(static_cast<int>(first) * kDayStride) + "\" width=\"";
  out += std::to_string(width) + "\" height=\"" + std::to_string(kBarHeight) + "\"><title>";
  append_html_escaped(out, text);
  out += "</title></rect>";
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
  if (!day.incidents.empty()) append_incidents(out, day.incidents, day.incidents.size());
  return out;
}

// The markup of a bar is bounded whatever the days were: at most five paths (one per grade, a few
// bytes per run) and at most kMaxTitles hover titles, ~2.5 KB for 90 days. The component's page
// keeps the words of every day.
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
  out += " " + std::to_string(kBarHeight);
  out += "\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"" + label + "\">";

  const std::vector<Run> runs = runs_of(days);
  constexpr DayGrade kGrades[] = {DayGrade::ok, DayGrade::degraded, DayGrade::minor_outage,
                                  DayGrade::major_outage, DayGrade::no_data};
  for (DayGrade grade : kGrades) {
    GradePath path;
    for (const auto& run : runs)
      if (run.grade == grade) path.add(run);
    if (path.empty()) continue;
    out.append("<path class=\"").append(day_css_class(grade)).append("\" d=\"");
    out.append(path.d()).append("\"/>");
  }

  // Words per run (a lone day tells its checks and incidents), or per week when the runs are
  // too many to name.
  if (runs.size() <= kMaxTitles) {
    for (const auto& run : runs)
      append_hover(out, run.first, run.last, days.size(),
                   run.first == run.last ? describe_day(days[run.first])
                                         : describe_span(days, run.first, run.last));
  } else {
    for (std::size_t first = 0; first < days.size(); first += kWeek) {
      const std::size_t last = std::min(first + kWeek - 1, days.size() - 1);
      append_hover(out, first, last, days.size(), describe_span(days, first, last));
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
