#include "web/site.hpp"

#include <algorithm>
#include <charconv>
#include <variant>

#include "store/store.hpp"
#include "web/badge.hpp"
#include "web/component_page.hpp"
#include "web/feed.hpp"
#include "web/live_script.hpp"
#include "web/page.hpp"
#include "web/report_page.hpp"

namespace lk::web {

namespace {

enum class Kind { page, component, report, history, feed, status_badge, uptime_badge, script };

/// A parsed URL of the site.
struct Route {
  Kind kind = Kind::page;
  std::string slug;         ///< empty: the first page
  std::string id;           ///< component id
  std::int64_t number = 0;  ///< report id, or history's `before` (0: newest)
  std::string option;       ///< range of a component page, period of an uptime badge
};

using Headers = std::vector<std::pair<std::string, std::string>>;

Response text_error(int status, std::string message) {
  Response response;
  response.status = status;
  response.body = std::move(message) + "\n";
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");  // it echoes the URL
  return response;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

std::variant<Route, Response> parse_route(const Request& request) {
  const auto s = split_path(request);
  const auto not_found = [&] { return text_error(404, "no such page: " + request.path); };
  if (s.size() == 1 && s[0].empty()) return Route{};
  if (s.size() == 2 && s[0] == "static" && s[1] == "live.js") return Route{.kind = Kind::script};
  if (s[0] == "badge") {
    if (s.size() == 2 && s[1].size() > 4 && s[1].ends_with(".svg"))
      return Route{.kind = Kind::status_badge, .id = s[1].substr(0, s[1].size() - 4)};
    if (s.size() == 3 && s[2] == "uptime.svg" && !s[1].empty()) {
      std::string period(request.param("period").value_or("30d"));
      if (period != "24h" && period != "7d" && period != "30d" && period != "90d")
        return text_error(400, "period must be 24h, 7d, 30d or 90d");
      return Route{.kind = Kind::uptime_badge, .id = s[1], .option = period};
    }
    return not_found();
  }
  if (s[0] != "status" || s.size() < 2 || s[1].empty()) return not_found();
  Route route{.slug = s[1]};
  if (s.size() == 2) return route;
  if (s.size() == 3 && s[2] == "feed.atom") {
    route.kind = Kind::feed;
    return route;
  }
  if (s.size() == 3 && s[2] == "history") {
    route.kind = Kind::history;
    if (auto before = request.param("before")) {
      auto id = parse_id(*before);
      if (!id) return text_error(400, "before must be a report id (a positive integer)");
      route.number = *id;
    }
    return route;
  }
  if (s.size() == 4 && s[2] == "components" && !s[3].empty()) {
    route.kind = Kind::component;
    route.id = s[3];
    route.option = std::string(request.param("range").value_or("day"));
    if (!parse_history_range(route.option))
      return text_error(400, "range must be day, week, month or year");
    return route;
  }
  if (s.size() == 4 && s[2] == "incidents") {
    auto id = parse_id(s[3]);
    if (!id) return not_found();
    route.kind = Kind::report;
    route.number = *id;
    return route;
  }
  return not_found();
}

std::string cache_key(const Route& r) {
  // NUL separates the parts: ids may hold any other byte.
  std::string key(1, static_cast<char>('0' + static_cast<int>(r.kind)));
  for (const std::string* part : {&r.slug, &r.id, &r.option}) key.append(1, '\0').append(*part);
  return key.append(1, '\0').append(std::to_string(r.number));
}

Headers html_headers(const StatusPageSpec& page) {
  return {{"Cache-Control", "no-cache"},
          {"Content-Security-Policy", content_security_policy(page)},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "same-origin"}};
}

std::shared_ptr<const RenderedPage> html(const StatusPageSpec& page, std::string body) {
  return std::make_shared<const RenderedPage>("text/html; charset=utf-8", std::move(body),
                                              html_headers(page));
}

std::shared_ptr<const RenderedPage> svg(std::string body) {
  return std::make_shared<const RenderedPage>(
      "image/svg+xml", std::move(body),
      Headers{{"Cache-Control", "no-cache"},
              {"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"},
              {"X-Content-Type-Options", "nosniff"}});
}

const RenderedPage& live_script() {
  static const RenderedPage script(
      "text/javascript; charset=utf-8", std::string(kLiveScript),
      {{"Cache-Control", "public, max-age=3600"}, {"X-Content-Type-Options", "nosniff"}});
  return script;
}

const ComponentSpec* component_on_page(const SiteSpec& site, const StatusPageSpec& page,
                                       std::string_view id) {
  if (std::find(page.components.begin(), page.components.end(), id) == page.components.end())
    return nullptr;
  return site.component(id);
}

// Components are public only through a page that shows them.
const ComponentSpec* public_component(const SiteSpec& site, std::string_view id) {
  for (const auto& page : site.pages)
    if (auto* c = component_on_page(site, page, id)) return c;
  return nullptr;
}

std::vector<LatencyPoint> latency_history(store::Store& store, const ComponentSpec& component,
                                          HistoryRange range, TimePoint from, TimePoint to) {
  std::vector<std::string_view> checks(component.checks.begin(), component.checks.end());
  LatencyMerger merger;
  store.rollups_many(checks, range_window(range).resolution, from, to,
                     [&](std::size_t, const store::Rollup& rollup) { merger.add(rollup); });
  return merger.points();
}

// The page's reports older than `before`, newest first: the store keeps every page's reports
// together, so it is read in batches until a page's worth concerns this one.
HistoryView load_history(store::Store& store, const PageContext& ctx, std::int64_t before) {
  constexpr std::size_t kBatch = 100;
  constexpr int kMaxBatches = 20;  // bounds one request's reads on a store of other pages' reports
  HistoryView view;
  view.is_newest = before == 0;
  std::int64_t cursor = before;
  bool exhausted = false, any_stored = false;
  for (int batch = 0; batch < kMaxBatches && view.reports.size() <= kHistoryPageSize; ++batch) {
    store::ReportQuery query;
    query.limit = kBatch;
    query.before_id = cursor;
    auto reports = store.status_reports(query);
    any_stored = any_stored || !reports.empty();
    for (auto& r : reports) {
      cursor = r.id;
      if (concerns(r, ctx.page)) view.reports.push_back(std::move(r));
      if (view.reports.size() > kHistoryPageSize) break;
    }
    if (reports.size() < kBatch) {
      exhausted = true;
      break;
    }
  }
  if (view.reports.size() > kHistoryPageSize) {
    view.reports.resize(kHistoryPageSize);
    view.older_before = view.reports.back().id;
  } else if (!exhausted) {
    view.older_before = cursor;  // stopped by the batch bound: more may follow
  }
  // A store that keeps no reports: the snapshot's (recent) ones are all there is.
  if (view.is_newest && !any_stored) {
    for (const auto& r : ctx.snapshot.reports)
      if (concerns(r, ctx.page) && view.reports.size() < kHistoryPageSize)
        view.reports.push_back(r);
  }
  return view;
}

std::optional<StatusReport> find_report(store::Store& store, const StatusSnapshot& snapshot,
                                        std::int64_t id) {
  for (const auto& r : snapshot.reports)
    if (r.id == id) return r;
  return store.status_report(id);
}

}  // namespace

Site::Site(store::Store& store) : store_(store) {}

bool Site::owns(std::string_view path) {
  return path == "/" || path == "/status" || path.starts_with("/status/") ||
         path.starts_with("/badge/") || path.starts_with("/static/");
}

std::shared_ptr<const SiteSpec> Site::site_of(
    const std::shared_ptr<const StatusSnapshot>& s) const {
  if (s->site) return s->site;
  std::lock_guard lock(default_mutex_);
  if (default_site_ && !default_for_.owner_before(s) && !s.owner_before(default_for_))
    return default_site_;
  default_site_ = std::make_shared<const SiteSpec>(default_site(*s));
  default_for_ = s;
  return default_site_;
}

struct Site::Resolved {
  Route route;
  std::shared_ptr<const SiteSpec> site;
  const StatusPageSpec* page = nullptr;
  const ComponentSpec* component = nullptr;
  std::string key;
};

std::variant<Site::Resolved, Response> Site::resolve(
    const Request& request, const std::shared_ptr<const StatusSnapshot>& snapshot) const {
  auto parsed = parse_route(request);
  if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
  Resolved r;
  r.route = std::get<Route>(parsed);
  if (r.route.kind == Kind::script) return r;
  const Route& route = r.route;
  r.site = site_of(snapshot);
  const SiteSpec& site = *r.site;
  if (route.kind == Kind::status_badge || route.kind == Kind::uptime_badge) {
    r.component = public_component(site, route.id);
    if (!r.component) return text_error(404, "no such component: " + route.id);
    if (site.pages.empty()) return text_error(404, "no status page is configured");
    r.page = &site.pages.front();  // only for the context: badges have no page of their own
  } else {
    r.page = route.slug.empty() ? (site.pages.empty() ? nullptr : &site.pages.front())
                                : site.page(route.slug);
    if (!r.page) return text_error(404, "no such status page: " + route.slug);
    if (route.kind == Kind::component) {
      r.component = component_on_page(site, *r.page, route.id);
      if (!r.component) return text_error(404, "no such component on this page: " + route.id);
    }
  }
  // Home and /status/<first>/ are the same bytes: they share a key.
  Route keyed = route;
  if (keyed.slug.empty()) keyed.slug = r.page->slug;
  r.key = cache_key(keyed);
  return r;
}

std::optional<Response> Site::cached(const Request& request,
                                     const std::shared_ptr<const StatusSnapshot>& snapshot) const {
  if (!snapshot || (request.method != "GET" && request.method != "HEAD")) return std::nullopt;
  auto resolved = resolve(request, snapshot);
  auto* r = std::get_if<Resolved>(&resolved);
  if (!r) return std::nullopt;
  if (r->route.kind == Kind::script) return respond(request, live_script());
  if (auto page = cache_.find(r->key, snapshot)) return respond(request, *page);
  return std::nullopt;
}

Response Site::answer(const Request& request, std::shared_ptr<const StatusSnapshot> snapshot,
                      TimePoint now) const {
  if (request.method != "GET" && request.method != "HEAD") {
    Response response =
        text_error(405, "method " + request.method + " is not allowed here; use GET or HEAD");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  static const auto kEmpty = std::make_shared<const StatusSnapshot>();
  if (!snapshot) snapshot = kEmpty;
  auto resolved = resolve(request, snapshot);
  if (auto* error = std::get_if<Response>(&resolved)) return std::move(*error);
  const Resolved& r = std::get<Resolved>(resolved);
  const Route& route = r.route;
  if (route.kind == Kind::script) return respond(request, live_script());
  const StatusPageSpec* page = r.page;
  const ComponentSpec* component = r.component;
  const std::string& key = r.key;
  if (auto cached = cache_.find(key, snapshot)) return respond(request, *cached);

  const StatusSnapshot& s = *snapshot;
  const PageContext ctx{s, *r.site, *page, s.generated_at == TimePoint{} ? now : s.generated_at};
  std::shared_ptr<const RenderedPage> rendered;
  switch (route.kind) {
    case Kind::page:
      rendered = html(*page, render_status_page(ctx));
      break;
    case Kind::component: {
      const HistoryRange range = *parse_history_range(route.option);
      const TimePoint from = ctx.as_of - range_window(range).span;
      auto points = latency_history(store_, *component, range, from, ctx.as_of);
      auto status = evaluate_component(*component, CheckIndex(s.checks), s.reports, ctx.as_of);
      rendered = html(*page, render_component_page(ctx, status, range, points, from, ctx.as_of));
      break;
    }
    case Kind::report: {
      auto report = find_report(store_, s, route.number);
      if (!report || !concerns(*report, *page))
        return text_error(404, "no such incident on this page: " + std::to_string(route.number));
      rendered = html(*page, render_report_page(ctx, *report));
      break;
    }
    case Kind::history:
      rendered = html(*page, render_history_page(ctx, load_history(store_, ctx, route.number)));
      break;
    case Kind::feed:
      rendered = std::make_shared<const RenderedPage>(
          "application/atom+xml; charset=utf-8", render_feed(ctx),
          Headers{{"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}});
      break;
    case Kind::status_badge: {
      auto status = evaluate_component(*component, CheckIndex(s.checks), s.reports, ctx.as_of);
      rendered = svg(status_badge_svg(component->name, status.state));
      break;
    }
    case Kind::uptime_badge: {
      auto status = evaluate_component(*component, CheckIndex(s.checks), s.reports, ctx.as_of);
      const auto& o = route.option;
      auto uptime = o == "24h"   ? status.uptime_24h
                    : o == "7d"  ? status.uptime_7d
                    : o == "90d" ? status.uptime_90d
                                 : status.uptime_30d;
      rendered = svg(uptime_badge_svg(o, uptime));
      break;
    }
    case Kind::script:
      break;
  }
  ++renders_;
  return respond(request, *cache_.store(key, snapshot, std::move(rendered)));
}

}  // namespace lk::web
