#include "web/feed.hpp"

#include <algorithm>

#include "web/markdown.hpp"
#include "web/report_page.hpp"
#include "web/text.hpp"

namespace lk::web {

namespace {

void element(std::string& out, std::string_view name, std::string_view text) {
  out += '<';
  out += name;
  out += '>';
  append_xml_escaped(out, text);
  out += "</";
  out += name;
  out += ">\n";
}

// An id must be an absolute IRI that never changes for the entry; without a public URL the
// page's own address is unknown, so a urn stands in.
std::string entry_id(const PageContext& ctx, const StatusReport& r) {
  if (!ctx.site.public_url.empty()) return absolute_url(ctx.site, report_path(ctx.page, r.id));
  return "urn:lightkeeper:report:" + std::to_string(r.id);
}

std::string feed_id(const PageContext& ctx) {
  if (!ctx.site.public_url.empty()) return absolute_url(ctx.site, page_path(ctx.page));
  return "urn:lightkeeper:status-page:" + url_encode(ctx.page.slug);
}

void append_entry(std::string& out, const PageContext& ctx, const StatusReport& r) {
  out += "<entry>\n";
  std::string title = std::string(report_state_word(r.state)) + ": " + r.title;
  element(out, "title", title);
  element(out, "id", entry_id(ctx, r));
  element(out, "updated", format_time(r.updated_at));
  element(out, "published", format_time(r.created_at));
  out += "<link rel=\"alternate\" type=\"text/html\" href=\"";
  append_xml_escaped(out, absolute_url(ctx.site, report_path(ctx.page, r.id)));
  out += "\"/>\n";
  out += "<category term=\"";
  out += to_string(r.kind);
  out += "\"/>\n";
  // The content is HTML, escaped once more as the text of the element (type="html").
  std::string html = "<p>";
  html += html_escape(r.kind == ReportKind::maintenance ? "Maintenance"
                                                        : std::string(impact_word(r.impact)));
  if (r.kind == ReportKind::maintenance && r.starts_at) {
    html += " from " + format_minute(*r.starts_at);
    if (r.ends_at) html += " to " + format_minute(*r.ends_at);
  }
  html += "</p>";
  if (!r.updates.empty()) {
    const ReportUpdate& latest = r.updates.front();
    html += "<p><strong>" + std::string(report_state_word(latest.state)) + "</strong> (" +
            format_minute(latest.at) + ")</p>" + render_markdown(latest.message);
  }
  out += "<content type=\"html\">";
  append_xml_escaped(out, html);
  out += "</content>\n</entry>\n";
}

}  // namespace

std::string render_feed(const PageContext& ctx) {
  std::vector<const StatusReport*> reports;
  for (const auto& r : ctx.snapshot.reports)
    if (concerns(r, ctx.page)) reports.push_back(&r);
  std::stable_sort(reports.begin(), reports.end(),
                   [](const auto* a, const auto* b) { return a->updated_at > b->updated_at; });
  if (reports.size() > kFeedEntries) reports.resize(kFeedEntries);

  std::string out;
  out.reserve(4096 + reports.size() * 1024);
  out +=
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  element(out, "title", ctx.page.title + " status");
  if (!ctx.page.description.empty()) element(out, "subtitle", ctx.page.description);
  element(out, "id", feed_id(ctx));
  // The feed changes when a report does; with none, the snapshot's time is the best there is.
  element(out, "updated", format_time(reports.empty() ? ctx.as_of : reports.front()->updated_at));
  out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"";
  append_xml_escaped(out, absolute_url(ctx.site, feed_path(ctx.page)));
  out += "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"";
  append_xml_escaped(out, absolute_url(ctx.site, page_path(ctx.page)));
  out += "\"/>\n<author><name>";
  append_xml_escaped(out, ctx.page.title);
  out += "</name></author>\n<generator>Lightkeeper</generator>\n";
  for (const auto* r : reports) append_entry(out, ctx, *r);
  out += "</feed>\n";
  return out;
}

}  // namespace lk::web
