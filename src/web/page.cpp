#include "web/page.hpp"

#include <algorithm>
#include <unordered_map>

#include "web/report_page.hpp"
#include "web/svg.hpp"
#include "web/text.hpp"

namespace lk::web {

namespace {

constexpr std::string_view kOtherGroup = "Other";

void append_component(std::string& out, const PageContext& ctx, const ComponentStatus& c) {
  out +=
      "<li><div class=\"r\"><a class=\"n\" href=\"" + component_path(ctx.page, c.spec->id) + "\">";
  append_html_escaped(out, c.spec->name);
  out += "</a>";
  if (!c.spec->description.empty()) {
    out += "<span class=\"mu\">";
    append_html_escaped(out, c.spec->description);
    out += "</span>";
  }
  out += "<span class=\"mu\">";
  out += c.uptime_90d ? format_percent(*c.uptime_90d) : "—";
  out += " in 90 days</span><span class=\"st ";
  out += state_class(c.state);
  out += "\">";
  out += state_word(c.state);
  out += "</span></div>";
  append_uptime_bar(out, c.days, c.uptime_90d);
  out += "</li>\n";
}

void append_components(std::string& out, const PageContext& ctx,
                       const std::vector<ComponentStatus>& components) {
  out += "<section aria-labelledby=\"h-c\"><h2 id=\"h-c\">Components</h2>\n";
  if (components.empty()) out += "<p class=\"none\">No components are shown on this page.</p>\n";
  // Groups in the order of their first component, as the operator listed them; headings only
  // when there are groups at all.
  const bool grouped = std::any_of(components.begin(), components.end(),
                                   [](const auto& c) { return !c.spec->group.empty(); });
  std::vector<std::string_view> order;
  std::unordered_map<std::string_view, std::vector<const ComponentStatus*>> by_group;
  for (const auto& c : components) {
    std::string_view group = c.spec->group.empty() ? kOtherGroup : std::string_view(c.spec->group);
    auto& members = by_group[group];
    if (members.empty()) order.push_back(group);
    members.push_back(&c);
  }
  for (auto group : order) {
    if (grouped) {
      out += "<h3>";
      append_html_escaped(out, group);
      out += "</h3>\n";
    }
    out += "<ul class=\"cs\">\n";
    for (const auto* c : by_group[group]) append_component(out, ctx, *c);
    out += "</ul>\n";
  }
  out += "</section>\n";
}

void append_section(std::string& out, const PageContext& ctx, std::string_view id,
                    std::string_view heading, const std::vector<const StatusReport*>& reports,
                    bool with_latest_update) {
  out += "<section aria-labelledby=\"";
  out += id;
  out += "\"><h2 id=\"";
  out += id;
  out += "\">";
  out += heading;
  out += "</h2>\n";
  for (const auto* r : reports) append_report_card(out, ctx, *r, with_latest_update);
}

}  // namespace

std::vector<ComponentStatus> evaluate_page(const PageContext& ctx) {
  const CheckIndex index(ctx.snapshot.checks);
  std::unordered_map<std::string_view, const ComponentSpec*> specs;
  specs.reserve(ctx.site.components.size());
  for (const auto& c : ctx.site.components) specs.emplace(c.id, &c);
  std::vector<ComponentStatus> out;
  out.reserve(ctx.page.components.size());
  for (const auto& id : ctx.page.components) {
    auto it = specs.find(id);
    if (it == specs.end()) continue;
    out.push_back(evaluate_component(*it->second, index, ctx.snapshot.reports, ctx.as_of));
  }
  return out;
}

Banner page_banner(const std::vector<ComponentStatus>& components) {
  std::vector<ComponentState> states;
  states.reserve(components.size());
  for (const auto& c : components) states.push_back(c.state);
  return derive_banner(states);
}

std::string render_status_page(const PageContext& ctx) {
  const auto components = evaluate_page(ctx);
  const Banner banner = page_banner(components);

  std::vector<const StatusReport*> active, in_progress, scheduled, past;
  for (const auto& r : ctx.snapshot.reports) {
    if (!concerns(r, ctx.page)) continue;
    if (r.kind == ReportKind::incident) {
      if (!is_closed(r.state))
        active.push_back(&r);
      else if (r.resolved_at && *r.resolved_at >= ctx.as_of - kPastIncidentsWindow)
        past.push_back(&r);
    } else if (!is_closed(r.state)) {
      const bool started =
          r.state == ReportState::in_progress || (r.starts_at && *r.starts_at <= ctx.as_of);
      (started ? in_progress : scheduled).push_back(&r);
    }
  }
  // The next window first; reports are newest first, which is not the order of their windows.
  std::stable_sort(scheduled.begin(), scheduled.end(), [](const auto* a, const auto* b) {
    return a->starts_at.value_or(a->created_at) < b->starts_at.value_or(b->created_at);
  });

  std::string out;
  out.reserve(16384 + components.size() * 3072);
  open_document(out, ctx, ctx.page.title + " status", NavItem::status, &banner);
  if (!active.empty()) {
    append_section(out, ctx, "h-a", "Active incidents", active, true);
    out += "</section>\n";
  }
  if (!in_progress.empty() || !scheduled.empty()) {
    std::vector<const StatusReport*> maintenance = in_progress;
    maintenance.insert(maintenance.end(), scheduled.begin(), scheduled.end());
    append_section(out, ctx, "h-m", "Maintenance", maintenance, true);
    out += "</section>\n";
  }
  append_components(out, ctx, components);
  append_section(out, ctx, "h-p", "Past incidents", past, false);
  if (past.empty()) out += "<p class=\"none\">No incidents in the last 7 days.</p>\n";
  out += "<p><a href=\"" + history_path(ctx.page) + "\">Incident history</a></p></section>\n";
  close_document(out, ctx);
  return out;
}

}  // namespace lk::web
