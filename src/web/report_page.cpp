#include "web/report_page.hpp"

#include <algorithm>

#include "web/markdown.hpp"
#include "web/text.hpp"

namespace lk::web {

namespace {

// The colour that goes with a report's state word (the word itself is always written).
std::string_view report_state_class(const StatusReport& r) {
  switch (r.state) {
    case ReportState::resolved:
    case ReportState::completed:
      return "s-ok";
    case ReportState::scheduled:
    case ReportState::in_progress:
      return "s-mt";
    case ReportState::monitoring:
      return "s-dg";
    case ReportState::investigating:
    case ReportState::identified:
      return r.impact == Impact::major || r.impact == Impact::critical ? "s-dn" : "s-dg";
  }
  return "s-nd";
}

std::string_view impact_class(const StatusReport& r) {
  if (r.kind == ReportKind::maintenance) return "k-mt";
  switch (r.impact) {
    case Impact::none:
      return "i-none";
    case Impact::minor:
      return "i-minor";
    case Impact::major:
      return "i-major";
    case Impact::critical:
      return "i-critical";
  }
  return "i-none";
}

void append_state(std::string& out, const StatusReport& r) {
  out += "<span class=\"st ";
  out += report_state_class(r);
  out += "\">";
  out += report_state_word(r.state);
  out += "</span>";
}

void append_components(std::string& out, const PageContext& ctx, const StatusReport& r) {
  if (r.components.empty()) return;
  out += " · Affects ";
  for (std::size_t i = 0; i < r.components.size(); ++i) {
    if (i) out += ", ";
    const std::string& id = r.components[i];
    const ComponentSpec* c = ctx.site.component(id);
    const bool on_page = c && std::find(ctx.page.components.begin(), ctx.page.components.end(),
                                        id) != ctx.page.components.end();
    if (on_page) out += "<a href=\"" + component_path(ctx.page, id) + "\">";
    append_html_escaped(out, c ? std::string_view(c->name) : std::string_view(id));
    if (on_page) out += "</a>";
  }
}

// When it happened: the announced window of a maintenance, the start (and end) of an incident.
void append_times(std::string& out, const StatusReport& r) {
  if (r.kind == ReportKind::maintenance && r.starts_at) {
    out += "Scheduled for ";
    append_time(out, *r.starts_at);
    if (r.ends_at) {
      out += " to ";
      append_time(out, *r.ends_at);
    }
    return;
  }
  out += "Started ";
  append_time(out, r.created_at);
  if (r.resolved_at) {
    out += r.kind == ReportKind::maintenance ? " · Completed " : " · Resolved ";
    append_time(out, *r.resolved_at);
    out += " · lasted " + format_duration_seconds(*r.resolved_at - r.created_at);
  }
}

void append_summary_line(std::string& out, const PageContext& ctx, const StatusReport& r) {
  out += "<p class=\"mu\">";
  append_state(out, r);
  if (r.kind == ReportKind::incident) {
    out += " · ";
    out += impact_word(r.impact);
  } else {
    out += " · Maintenance";
  }
  append_components(out, ctx, r);
  out += "</p>\n<p class=\"mu\">";
  append_times(out, r);
  out += "</p>\n";
}

// "November 2026".
std::string month_of(TimePoint t) {
  static constexpr std::string_view kMonths[] = {"January",   "February", "March",    "April",
                                                 "May",       "June",     "July",     "August",
                                                 "September", "October",  "November", "December"};
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(t)};
  return std::string(kMonths[static_cast<unsigned>(date.month()) - 1]) + " " +
         std::to_string(static_cast<int>(date.year()));
}

}  // namespace

std::string_view report_state_word(ReportState state) {
  switch (state) {
    case ReportState::investigating:
      return "Investigating";
    case ReportState::identified:
      return "Identified";
    case ReportState::monitoring:
      return "Monitoring";
    case ReportState::resolved:
      return "Resolved";
    case ReportState::scheduled:
      return "Scheduled";
    case ReportState::in_progress:
      return "In progress";
    case ReportState::completed:
      return "Completed";
  }
  return "Investigating";
}

std::string_view impact_word(Impact impact) {
  switch (impact) {
    case Impact::none:
      return "No impact";
    case Impact::minor:
      return "Minor impact";
    case Impact::major:
      return "Major impact";
    case Impact::critical:
      return "Critical impact";
  }
  return "Minor impact";
}

void append_report_card(std::string& out, const PageContext& ctx, const StatusReport& report,
                        bool with_latest_update) {
  out += "<article class=\"rp ";
  out += impact_class(report);
  out += "\"><h3><a href=\"" + report_path(ctx.page, report.id) + "\">";
  append_html_escaped(out, report.title);
  out += "</a></h3>\n";
  append_summary_line(out, ctx, report);
  if (with_latest_update && !report.updates.empty()) {
    const ReportUpdate& latest = report.updates.front();
    out += "<div class=\"md\">" + render_markdown(latest.message) + "</div>";
    out += "<p class=\"mu\">";
    out += report_state_word(latest.state);
    out += " · ";
    append_time(out, latest.at);
    out += "</p>\n";
  }
  out += "</article>\n";
}

std::string render_report_page(const PageContext& ctx, const StatusReport& report) {
  std::string out;
  out.reserve(16384);
  open_document(out, ctx, report.title + " · " + ctx.page.title, NavItem::none, nullptr);
  out += "<article><h1>";
  append_html_escaped(out, report.title);
  out += "</h1>\n";
  append_summary_line(out, ctx, report);
  out += "<h2>Updates</h2>\n";
  if (report.updates.empty()) out += "<p class=\"none\">No updates yet.</p>\n";
  out += "<ol class=\"tl\">\n";
  for (const auto& update : report.updates) {
    out += "<li><h3>";
    out += report_state_word(update.state);
    out += " <span class=\"mu\">";
    append_time(out, update.at);
    out += "</span></h3><div class=\"md\">" + render_markdown(update.message) + "</div></li>\n";
  }
  out += "</ol></article>\n";
  close_document(out, ctx);
  return out;
}

std::string render_history_page(const PageContext& ctx, const HistoryView& view) {
  std::string out;
  out.reserve(8192 + view.reports.size() * 1024);
  open_document(out, ctx, "Incident history · " + ctx.page.title, NavItem::history, nullptr);
  out += "<h1>Incident history</h1>\n";
  if (view.reports.empty())
    out += view.is_newest ? "<p class=\"none\">No incidents have been reported.</p>\n"
                          : "<p class=\"none\">No older incidents.</p>\n";
  // Grouped by month under <h2>s, so that the cards' <h3>s follow the page's heading order.
  std::string month;
  for (const auto& report : view.reports) {
    std::string this_month = month_of(report.created_at);
    if (this_month != month) {
      month = this_month;
      out += "<h2>" + month + "</h2>\n";
    }
    append_report_card(out, ctx, report, false);
  }
  if (!view.is_newest || view.older_before) {
    out += "<nav class=\"pg\" aria-label=\"History pages\">";
    out += view.is_newest ? "<span></span>"
                          : "<a href=\"" + history_path(ctx.page) + "\">Newest incidents</a>";
    if (view.older_before)
      out += "<a href=\"" + history_path(ctx.page) +
             "?before=" + std::to_string(*view.older_before) + "\">Older incidents</a>";
    out += "</nav>\n";
  }
  close_document(out, ctx);
  return out;
}

}  // namespace lk::web
