#include "web/component_page.hpp"

#include <algorithm>

#include "web/report_page.hpp"
#include "web/text.hpp"

namespace lk::web {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

struct RangeName {
  HistoryRange range;
  std::string_view name, label, span_text, bucket_word;
};

constexpr RangeName kRanges[] = {
    {HistoryRange::day, "day", "Day", "last 24 hours", "minute"},
    {HistoryRange::week, "week", "Week", "last 7 days", "hour"},
    {HistoryRange::month, "month", "Month", "last 30 days", "hour"},
    {HistoryRange::year, "year", "Year", "last 365 days", "day"},
};

const RangeName& name_of(HistoryRange range) {
  for (const auto& r : kRanges)
    if (r.range == range) return r;
  return kRanges[0];
}

std::string plural(std::int64_t n, std::string_view word) {
  std::string out = std::to_string(n) + " " + std::string(word);
  if (n != 1) out += 's';
  return out;
}

// How the state is derived, in words, so that "Degraded" with one server down makes sense.
std::string rule_text(const ComponentSpec& spec, std::size_t checks) {
  if (checks == 0) return "No checks are configured for it.";
  if (checks == 1) return "Derived from 1 check.";
  std::string n = std::to_string(checks);
  switch (spec.rule.kind) {
    case ComponentRule::Kind::any:
      return "Derived from " + n + " checks: an outage when any of them is down.";
    case ComponentRule::Kind::all:
      return "Derived from " + n +
             " checks: an outage when all of them are down, degraded when some are.";
    case ComponentRule::Kind::at_least:
      return "Derived from " + n + " checks: an outage when at least " +
             std::to_string(spec.rule.k) + " of them are down, degraded when fewer are.";
  }
  return {};
}

std::string graph_summary(const std::vector<LatencyPoint>& points, const RangeName& range) {
  std::string out = "Response time over the " + std::string(range.span_text);
  std::int64_t count = 0, failing_buckets = 0;
  double weighted = 0, p95 = 0, slowest = 0;
  for (const auto& p : points) {
    count += p.count;
    weighted += p.avg_ms * double(p.count);
    p95 = std::max(p95, p.p95_ms);
    slowest = std::max(slowest, p.max_ms);
    if (p.failures > 0) ++failing_buckets;
  }
  if (count == 0) return out + ": no data.";
  out += ": average " + format_latency_ms(weighted / double(count));
  out += ", 95th percentile up to " + format_latency_ms(p95);
  out += ", slowest " + format_latency_ms(slowest);
  out += "; failures in " + std::to_string(failing_buckets) + " of " +
         plural(static_cast<std::int64_t>(points.size()), range.bucket_word) + " with data.";
  return out;
}

void append_uptimes(std::string& out, const ComponentStatus& c) {
  auto item = [&](std::string_view label, const std::optional<double>& value) {
    out += "<div><dt>";
    out += label;
    out += "</dt><dd>";
    out += value ? format_percent(*value) : "—";
    out += "</dd></div>";
  };
  out += "<h2>Uptime</h2>\n<dl class=\"up\">";
  item("Last 24 hours", c.uptime_24h);
  item("Last 7 days", c.uptime_7d);
  item("Last 30 days", c.uptime_30d);
  item("Last 90 days", c.uptime_90d);
  out += "</dl>\n";
}

void append_graph(std::string& out, const PageContext& ctx, const ComponentStatus& c,
                  HistoryRange range, const std::vector<LatencyPoint>& points, TimePoint from,
                  TimePoint to) {
  const RangeName& name = name_of(range);
  out += "<h2 id=\"rt\">Response time</h2>\n<nav aria-label=\"Response time range\"><ul>";
  for (const auto& r : kRanges) {
    out += "<li><a href=\"" + component_path(ctx.page, c.spec->id) + "?range=";
    out += r.name;
    out += r.range == range ? "#rt\" aria-current=\"page\">" : "#rt\">";
    out += r.label;
    out += "</a></li>";
  }
  out += "</ul></nav>\n";
  const std::string summary = graph_summary(points, name);
  out += response_time_svg(points, from, to, range_window(range).bucket, summary);
  out += "<p class=\"mu\">";
  append_html_escaped(out, summary);
  out +=
      " The band spans the fastest response to the 95th percentile, the line is the "
      "average, red marks at the foot are periods with failures.</p>\n";
}

void append_days(std::string& out, const PageContext& ctx, const ComponentStatus& c) {
  out += "<h2>Last 90 days</h2>\n";
  append_uptime_bar(out, c.days, c.uptime_90d);
  out +=
      "<details><summary>Day by day</summary><div class=\"sc\"><table><caption>Uptime and "
      "incidents per day, newest first (UTC)</caption><thead><tr><th scope=\"col\">Day</th>"
      "<th scope=\"col\">Uptime</th><th scope=\"col\">Trouble and incidents</th></tr></thead>"
      "<tbody>\n";
  for (auto day = c.days.rbegin(); day != c.days.rend(); ++day) {
    out += "<tr><th scope=\"row\">" + format_day(day->day) + "</th><td>";
    out += day->uptime ? format_percent(*day->uptime) : "no data";
    out += "</td><td>";
    std::string trouble;
    if (day->failing_checks > 0) trouble = "failures on " + plural(day->failing_checks, "check");
    if (day->warning_checks > 0)
      trouble +=
          (trouble.empty() ? "" : ", ") + ("warnings on " + plural(day->warning_checks, "check"));
    out += trouble;
    for (std::size_t i = 0; i < day->incidents.size(); ++i) {
      out += (i || !trouble.empty()) ? "; " : "";
      out += "<a href=\"" + report_path(ctx.page, day->incidents[i]->id) + "\">";
      append_html_escaped(out, day->incidents[i]->title);
      out += "</a>";
    }
    out += "</td></tr>\n";
  }
  out += "</tbody></table></div></details>\n";
}

void append_reports(std::string& out, const PageContext& ctx, const ComponentStatus& c) {
  out += "<h2>Incidents and maintenance</h2>\n";
  bool any = false;
  // Open ones first, then the closed ones the snapshot holds (90 days), each newest first.
  for (bool open : {true, false}) {
    for (const auto& r : ctx.snapshot.reports) {
      if (is_closed(r.state) == open || !names_component(r, c.spec->id)) continue;
      append_report_card(out, ctx, r, open);
      any = true;
    }
  }
  if (!any) out += "<p class=\"none\">None in the last 90 days.</p>\n";
}

}  // namespace

std::optional<HistoryRange> parse_history_range(std::string_view text) {
  for (const auto& r : kRanges)
    if (r.name == text) return r.range;
  return std::nullopt;
}

std::string_view to_string(HistoryRange range) {
  return name_of(range).name;
}

RangeWindow range_window(HistoryRange range) {
  switch (range) {
    case HistoryRange::day:
      return {hours{24}, store::Resolution::minute, minutes{1}};
    case HistoryRange::week:
      return {days{7}, store::Resolution::hour, hours{1}};
    case HistoryRange::month:
      return {days{30}, store::Resolution::hour, hours{1}};
    case HistoryRange::year:
      return {days{365}, store::Resolution::day, days{1}};
  }
  return {hours{24}, store::Resolution::minute, minutes{1}};
}

void LatencyMerger::add(const store::Rollup& rollup) {
  if (rollup.count <= 0) return;
  auto it = std::lower_bound(points_.begin(), points_.end(), rollup.bucket,
                             [](const LatencyPoint& p, TimePoint t) { return p.bucket < t; });
  if (it == points_.end() || it->bucket != rollup.bucket) {
    it = points_.insert(it, LatencyPoint{.bucket = rollup.bucket,
                                         .min_ms = rollup.latency_min_ms,
                                         .max_ms = rollup.latency_max_ms});
  }
  LatencyPoint& p = *it;
  const double total = double(p.count + rollup.count);
  p.avg_ms = (p.avg_ms * double(p.count) + rollup.latency_avg_ms * double(rollup.count)) / total;
  p.min_ms = std::min(p.min_ms, rollup.latency_min_ms);
  p.max_ms = std::max(p.max_ms, rollup.latency_max_ms);
  p.p95_ms = std::max(p.p95_ms, rollup.latency_p95_ms);
  p.count += rollup.count;
  p.failures += rollup.failures;
}

std::vector<LatencyPoint> LatencyMerger::points() const {
  return points_;
}

std::string render_component_page(const PageContext& ctx, const ComponentStatus& c,
                                  HistoryRange range, const std::vector<LatencyPoint>& points,
                                  TimePoint from, TimePoint to) {
  std::string out;
  out.reserve(32768 + points.size() * 48);
  open_document(out, ctx, c.spec->name + " · " + ctx.page.title, NavItem::none, nullptr);
  out += "<h1>";
  append_html_escaped(out, c.spec->name);
  out += " <span class=\"st ";
  out += state_class(c.state);
  out += "\">";
  out += state_word(c.state);
  out += "</span></h1>\n<p class=\"mu\">";
  if (!c.spec->group.empty()) {
    append_html_escaped(out, c.spec->group);
    out += " · ";
  }
  if (!c.spec->description.empty()) {
    append_html_escaped(out, c.spec->description);
    out += " · ";
  }
  append_html_escaped(out, rule_text(*c.spec, c.checks.size()));
  out += "</p>\n";
  append_uptimes(out, c);
  append_graph(out, ctx, c, range, points, from, to);
  append_days(out, ctx, c);
  append_reports(out, ctx, c);
  close_document(out, ctx);
  return out;
}

}  // namespace lk::web
