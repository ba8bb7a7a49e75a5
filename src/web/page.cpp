#include "web/page.hpp"

#include <map>

#include "web/page_style.hpp"
#include "web/svg.hpp"
#include "web/text.hpp"

namespace lk::web {

std::string_view state_css_class(State state) {
  switch (state) {
    case State::ok:
      return "s-ok";
    case State::warn:
      return "s-warn";
    case State::fail:
      return "s-fail";
    case State::unknown:
      return "s-unknown";
    case State::pending:
      return "s-pending";
  }
  return "s-unknown";
}

namespace {

constexpr std::string_view kDefaultGroup = "Services";

std::string_view group_of(const CheckSpec& spec) {
  return spec.group.empty() ? kDefaultGroup : std::string_view(spec.group);
}

void append_uptime(std::string& out, std::string_view label, const std::optional<double>& value) {
  out += "<dt>";
  out += label;
  out += "</dt><dd>";
  out += value ? format_percent(*value) : "—";
  out += "</dd>";
}

void append_check(std::string& out, const CheckItem& item, TimePoint today) {
  const CheckSpec& spec = *item.spec;
  const CheckView& check = *item.view;
  out += "<li class=\"check\"><div class=\"top\"><a class=\"name\" href=\"/checks/";
  append_html_escaped(out, spec.name);  // names are [A-Za-z0-9._-]: nothing to encode
  out += "\">";
  append_html_escaped(out, spec.name);
  out += "</a> ";
  if (spec.paused) {
    out += "<span class=\"state s-paused\">Paused</span>";
  } else {
    out += "<span class=\"state ";
    out += state_css_class(check.state);
    out += "\">";
    out += state_word(check.state);
    if (check.flapping) out += " (flapping)";
    out += "</span>";
  }
  out += "</div><div class=\"meta\">";
  if (!spec.description.empty()) {
    append_html_escaped(out, spec.description);
    out += " · ";
  }
  append_html_escaped(out, spec.target);
  out += " · latency ";
  out += check.last_latency ? format_latency_ms(to_ms(*check.last_latency)) : "—";
  if (check.state != State::ok && !check.message.empty()) {
    out += " · ";
    append_html_escaped(out, check.message);
  }
  out += "</div><dl class=\"uptime\">";
  append_uptime(out, "24h", check.uptime_24h);
  append_uptime(out, "7d", check.uptime_7d);
  append_uptime(out, "30d", check.uptime_30d);
  append_uptime(out, "90d", check.uptime_90d);
  out += "</dl><div class=\"graphs\">";
  out += uptime_bar_svg(check.days, today);
  out += sparkline_svg(check.sparkline_ms);
  out += "</div></li>\n";
}

void append_checks(std::string& out, const StatusSnapshot& snapshot, TimePoint today) {
  // Groups appear in the order of their first check in the config, as the operator wrote them.
  std::vector<std::string_view> group_order;
  std::map<std::string_view, std::vector<const CheckItem*>> by_group;
  for (const auto& check : snapshot.checks) {
    auto group = group_of(*check.spec);
    auto& members = by_group[group];
    if (members.empty()) group_order.push_back(group);
    members.push_back(&check);
  }
  if (snapshot.checks.empty()) out += "<p class=\"none\">No checks are configured.</p>\n";
  int index = 0;
  for (auto group : group_order) {
    std::string id = "g" + std::to_string(index++);
    out += "<section aria-labelledby=\"" + id + "\"><h2 id=\"" + id + "\">";
    append_html_escaped(out, group);
    out += "</h2>\n<ul class=\"checks\">\n";
    for (const auto* check : by_group[group]) append_check(out, *check, today);
    out += "</ul></section>\n";
  }
}

void append_cell(std::string& out, std::string_view text, std::string_view css_class = {}) {
  out += css_class.empty() ? "<td>" : "<td class=\"" + std::string(css_class) + "\">";
  append_html_escaped(out, text);
  out += "</td>";
}

void append_open_incidents(std::string& out, const StatusSnapshot& snapshot, TimePoint now) {
  out +=
      "<section aria-labelledby=\"open-incidents\"><h2 id=\"open-incidents\">Open "
      "incidents</h2>\n";
  if (snapshot.open_incidents.empty()) {
    out += "<p class=\"none\">No open incidents.</p></section>\n";
    return;
  }
  out +=
      "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Check</th><th "
      "scope=\"col\">Since</th><th scope=\"col\">Duration</th><th "
      "scope=\"col\">Cause</th></tr></thead><tbody>\n";
  for (const auto& incident : snapshot.open_incidents) {
    out += "<tr>";
    append_cell(out, incident.check);
    append_cell(out, format_minute(incident.opened_at));
    append_cell(out, format_duration_seconds(now - incident.opened_at));
    append_cell(out, incident.cause, "cause");
    out += "</tr>\n";
  }
  out += "</tbody></table></div></section>\n";
}

void append_recent_incidents(std::string& out, const StatusSnapshot& snapshot) {
  out +=
      "<section aria-labelledby=\"recent-incidents\"><h2 id=\"recent-incidents\">Recent "
      "incidents</h2>\n";
  if (snapshot.recent_incidents.empty()) {
    out += "<p class=\"none\">No recent incidents.</p></section>\n";
    return;
  }
  out +=
      "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Check</th><th "
      "scope=\"col\">Opened</th><th scope=\"col\">Closed</th><th scope=\"col\">Duration</th><th "
      "scope=\"col\">Cause</th></tr></thead><tbody>\n";
  for (const auto& incident : snapshot.recent_incidents) {
    out += "<tr>";
    append_cell(out, incident.check);
    append_cell(out, format_minute(incident.opened_at));
    append_cell(out, incident.closed_at ? format_minute(*incident.closed_at) : "—");
    append_cell(out, incident.closed_at
                         ? format_duration_seconds(*incident.closed_at - incident.opened_at)
                         : "—");
    append_cell(out, incident.cause, "cause");
    out += "</tr>\n";
  }
  out += "</tbody></table></div></section>\n";
}

}  // namespace

std::string_view state_word(State state) {
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

Banner overall_banner(const StatusSnapshot& snapshot) {
  std::size_t judged = 0, failing = 0, degraded = 0;
  for (const auto& item : snapshot.checks) {
    const CheckView& check = *item.view;
    if (item.spec->paused || check.state == State::pending) continue;
    ++judged;
    if (check.state == State::fail) ++failing;
    // An unknown check means we cannot vouch for it: not an outage, but not "operational".
    if (check.state == State::warn || check.state == State::unknown) ++degraded;
  }
  if (snapshot.checks.empty()) return {"No checks configured", "s-pending"};
  if (judged == 0) return {"Waiting for first results", "s-pending"};
  if (failing * 2 > judged) return {"Major outage", "s-fail"};
  if (failing > 0) return {"Partial outage", "s-fail"};
  if (degraded > 0) return {"Degraded performance", "s-warn"};
  return {"All systems operational", "s-ok"};
}

std::string render_status_page(const StatusSnapshot& snapshot, TimePoint now) {
  std::string out;
  out.reserve(4096 + snapshot.checks.size() * 8192);
  const Banner banner = overall_banner(snapshot);
  // A snapshot built before its first refresh may carry no time; the page still needs a "today".
  const TimePoint as_of = snapshot.generated_at == TimePoint{} ? now : snapshot.generated_at;

  out +=
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      // A JS-free live view: the browser reloads the page itself.
      "<meta http-equiv=\"refresh\" content=\"30\">\n<title>";
  append_html_escaped(out, snapshot.title);
  out += " status</title>\n<style>";
  out += kStatusPageCss;
  out += "</style></head>\n<body>\n<header><h1>";
  append_html_escaped(out, snapshot.title);
  out += "</h1><p class=\"banner ";
  out += banner.css_class;
  out += "\" role=\"status\">";
  out += banner.text;
  out += "</p></header>\n<main>\n";
  append_checks(out, snapshot, as_of);
  append_open_incidents(out, snapshot, now);
  append_recent_incidents(out, snapshot);
  out += "</main>\n<footer><p>Generated ";
  out += "<time datetime=\"" + format_time(as_of) + "\">" + format_minute(as_of) + "</time>";
  out += " · Lightkeeper ";
  append_html_escaped(out, snapshot.stats.version);
  out +=
      " · <a href=\"/api/v1/checks\">JSON API</a> · <a href=\"/metrics\">Metrics</a></p>"
      "</footer>\n</body></html>\n";
  return out;
}

}  // namespace lk::web
