#include "web/check_page.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "web/page_style.hpp"
#include "web/text.hpp"

namespace lk::web {

namespace {

constexpr double kChartWidth = 600, kChartHeight = 90, kPad = 4;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The status pages' stylesheet, plus what only this page draws.
constexpr std::string_view kCheckPageCss =
    ".check{background:var(--card);border:1px solid var(--ln);border-radius:8px;"
    "padding:10px 12px;margin:0 0 8px}.meta{color:var(--mu);font-size:.9em;"
    "overflow-wrap:anywhere}.scroll{overflow-x:auto}svg.chart{width:100%;height:90px;"
    "display:block}h3{font-size:1rem;margin:0 0 6px}.sl{fill:none;stroke:var(--a);"
    "stroke-width:1.5}.sf{fill:var(--dn)}";

// A check's own state, in the words operators use (the status pages speak of components).
std::string_view check_state_word(State state) {
  switch (state) {
    case State::ok:
      return "Up";
    case State::warn:
      return "Degraded";
    case State::fail:
      return "Down";
    case State::unknown:
      return "Unknown";
    case State::pending:
      return "Pending";
  }
  return "Unknown";
}

std::string_view check_state_class(State state) {
  switch (state) {
    case State::ok:
      return "s-ok";
    case State::warn:
      return "s-dg";
    case State::fail:
      return "s-dn";
    case State::unknown:
    case State::pending:
      return "s-nd";
  }
  return "s-nd";
}

void append_coordinate(std::string& out, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  out += buf;
}

std::string value_text(double v, std::string_view unit) {
  char buf[48];
  if (std::fabs(v) < 1e15 && v == std::floor(v))
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.4g", v);
  std::string out = buf;
  if (!unit.empty()) out.append(" ").append(unit);
  return out;
}

/// Every metric's points, by name in first-seen order, with NaN where a run did not report it.
struct Series {
  std::string name, unit;
  std::vector<std::pair<TimePoint, double>> points;
};

std::vector<Series> metric_series(const std::vector<Result>& results) {
  std::vector<Series> out;
  std::map<std::string, std::size_t, std::less<>> index;
  for (const Result& r : results)
    for (const Metric& m : r.metrics)
      if (index.emplace(m.name, out.size()).second) out.push_back({m.name, m.unit, {}});
  for (const Result& r : results) {
    for (auto& s : out) {
      double value = kNaN;
      for (const Metric& m : r.metrics)
        if (m.name == s.name) value = m.value;
      s.points.emplace_back(r.started_at, value);
    }
  }
  return out;
}

void append_chart_section(std::string& out, std::string_view title, std::string_view unit,
                          const std::vector<std::pair<TimePoint, double>>& points, TimePoint from,
                          TimePoint to) {
  out += "<section class=\"check\"><h3>";
  append_html_escaped(out, title);
  if (!unit.empty()) {
    out += " <span class=\"meta\">(";
    append_html_escaped(out, unit);
    out += ")</span>";
  }
  out += "</h3>";
  out += history_chart_svg(title, unit, points, from, to);
  out += "</section>\n";
}

}  // namespace

Duration check_page_window(Duration interval) {
  return std::clamp<Duration>(interval * 300, std::chrono::minutes{10}, std::chrono::days{7});
}

std::string history_chart_svg(std::string_view label, std::string_view unit,
                              const std::vector<std::pair<TimePoint, double>>& points,
                              TimePoint from, TimePoint to) {
  double lo = 0, hi = 0;
  bool any = false;
  std::size_t failed = 0;
  for (const auto& [t, v] : points) {
    if (std::isnan(v)) {
      ++failed;
      continue;
    }
    lo = any ? std::min(lo, v) : v;
    hi = any ? std::max(hi, v) : v;
    any = true;
  }
  const double min_value = lo, max_value = hi;
  // Latencies and sizes read best from zero; a series far from zero (a clock offset, a
  // temperature) is scaled to its own range.
  if (any && lo >= 0 && lo < hi * 0.5) lo = 0;
  const double span = hi > lo ? hi - lo : (hi != 0 ? std::fabs(hi) : 1.0);
  const double seconds = std::max(1e-9, std::chrono::duration<double>(to - from).count());
  auto x_of = [&](TimePoint t) {
    return kPad +
           (kChartWidth - 2 * kPad) *
               std::clamp(std::chrono::duration<double>(t - from).count() / seconds, 0.0, 1.0);
  };
  auto y_of = [&](double v) {
    return kChartHeight - kPad - (kChartHeight - 2 * kPad) * ((v - lo) / span);
  };

  std::string title = std::string(label) + ": ";
  if (!any) {
    title += "no values in this period";
  } else {
    title += "from " + value_text(min_value, unit) + " to " + value_text(max_value, unit) +
             " over " + std::to_string(points.size() - failed) + " runs";
  }
  if (failed) title += ", " + std::to_string(failed) + " without a value";

  std::string out;
  out.reserve(256 + points.size() * 16);
  out += "<svg class=\"chart\" viewBox=\"0 0 600 90\" preserveAspectRatio=\"none\" role=\"img\">";
  out += "<title>";
  append_html_escaped(out, title);
  out += "</title>";
  bool open = false;
  for (const auto& [t, v] : points) {
    if (std::isnan(v)) {
      if (open) out += "\"/>";
      open = false;
      out += "<rect class=\"sf\" x=\"";
      append_coordinate(out, x_of(t) - 1);
      out += "\" y=\"0\" width=\"2\" height=\"90\"/>";
      continue;
    }
    out += open ? " " : "<polyline class=\"sl\" points=\"";
    open = true;
    append_coordinate(out, x_of(t));
    out += ',';
    append_coordinate(out, y_of(v));
  }
  if (open) out += "\"/>";
  out += "</svg><p class=\"meta\">";
  append_html_escaped(out, title);
  out += "</p>";
  return out;
}

std::string render_check_page(const StatusSnapshot& snapshot, const CheckItem& check,
                              const std::vector<Result>& results, TimePoint from, TimePoint to) {
  // `from` is the start of what was read; the page starts where the results do.
  const CheckSpec& spec = *check.spec;
  const CheckView& view = *check.view;
  // A check younger than the window is drawn over the time it has run.
  if (!results.empty()) from = std::max(from, results.front().started_at);
  std::string out;
  out.reserve(8192 + results.size() * 64);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"refresh\" content=\"60\">\n<title>";
  append_html_escaped(out, spec.name);
  out += " · ";
  append_html_escaped(out, snapshot.title);
  out += "</title>\n<style>";
  out += status_page_css();
  out += kCheckPageCss;
  out += "</style></head>\n<body>\n<header><p><a href=\"/\">← ";
  append_html_escaped(out, snapshot.title);
  out += "</a></p><h1>";
  append_html_escaped(out, spec.name);
  const bool paused = spec.paused || view.paused;
  out += " <span class=\"st ";
  out += paused ? "s-nd" : check_state_class(view.state);
  out += "\">";
  out += paused ? "Paused" : check_state_word(view.state);
  out += "</span></h1><p class=\"meta\">";
  append_html_escaped(out, spec.type);
  out += " · ";
  append_html_escaped(out, spec.target);
  if (!spec.description.empty()) {
    out += " · ";
    append_html_escaped(out, spec.description);
  }
  out += "</p>";
  if (!view.message.empty()) {
    out += "<p>";
    append_html_escaped(out, view.message);
    out += "</p>";
  }
  out += "</header>\n<main>\n<h2>Since <time datetime=\"" + format_time(from) + "\">" +
         format_minute(from) + "</time> (" + std::to_string(results.size()) + " runs)</h2>\n";

  std::vector<std::pair<TimePoint, double>> latency;
  latency.reserve(results.size());
  for (const Result& r : results)
    latency.emplace_back(r.started_at, r.status == Status::fail || r.status == Status::unknown
                                           ? kNaN
                                           : to_ms(r.duration));
  append_chart_section(out, "Response time", "ms", latency, from, to);
  const auto series = metric_series(results);
  for (const auto& s : series) append_chart_section(out, s.name, s.unit, s.points, from, to);

  if (!results.empty() && !results.back().metrics.empty()) {
    out +=
        "<h2>Latest run</h2>\n<div class=\"scroll\"><table><thead><tr><th>Metric</th>"
        "<th>Value</th></tr></thead><tbody>\n";
    for (const Metric& m : results.back().metrics) {
      out += "<tr><td>";
      append_html_escaped(out, m.name);
      out += "</td><td>";
      append_html_escaped(out, value_text(m.value, m.unit));
      out += "</td></tr>\n";
    }
    out += "</tbody></table></div>\n";
  }
  out += "</main>\n<footer><p><a href=\"/api/v1/checks/";
  append_html_escaped(out, spec.name);
  out += "/results\">Results as JSON</a></p></footer>\n</body></html>\n";
  return out;
}

}  // namespace lk::web
