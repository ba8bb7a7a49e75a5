#include "web/report_api.hpp"

#include <algorithm>

#include "store/store.hpp"
#include "web/api.hpp"
#include "web/api_json.hpp"
#include "web/api_util.hpp"
#include "web/components.hpp"

namespace lk::web {

namespace {

using api::Json;
using api::json_response;
using api::time_or_null;

constexpr std::string_view kReports = "/api/v1/status-reports";
constexpr std::string_view kMaintenance = "/api/v1/maintenance";
constexpr std::string_view kPauses = "/api/v1/pauses";
constexpr std::string_view kComponents = "/api/v1/components";
constexpr std::string_view kPages = "/api/v1/status-pages";
constexpr std::string_view kChecks = "/api/v1/checks/";
constexpr std::size_t kDefaultLimit = 20;
constexpr std::size_t kMaxLimit = 200;

Response method_not_allowed(const Request& request, std::string_view allowed) {
  Response r = api::error(
      405, "method " + request.method + " is not allowed here; use " + std::string(allowed));
  r.headers.emplace_back("Allow", std::string(allowed));
  return r;
}

bool is_read(const Request& request) {
  return request.method == "GET" || request.method == "HEAD";
}

Json update_json(const ReportUpdate& u) {
  return {{"id", u.id},
          {"at", format_time(u.at)},
          {"state", to_string(u.state)},
          {"message", u.message},
          {"author", u.author}};
}

Json report_json(const StatusReport& r) {
  Json updates = Json::array();
  for (const auto& u : r.updates) updates.push_back(update_json(u));
  return {{"id", r.id},
          {"kind", to_string(r.kind)},
          {"title", r.title},
          {"state", to_string(r.state)},
          {"impact", to_string(r.impact)},
          {"components", r.components},
          {"incidents", r.incidents},
          {"automatic", r.automatic},
          {"created_at", format_time(r.created_at)},
          {"updated_at", format_time(r.updated_at)},
          {"resolved_at", time_or_null(r.resolved_at)},
          {"starts_at", time_or_null(r.starts_at)},
          {"ends_at", time_or_null(r.ends_at)},
          {"updates", std::move(updates)}};
}

Json pause_json(const CheckPause& p) {
  return {
      {"check", p.check}, {"at", format_time(p.at)}, {"author", p.author}, {"reason", p.reason}};
}

bool state_fits(ReportKind kind, ReportState state) {
  const bool maintenance_state = state == ReportState::scheduled ||
                                 state == ReportState::in_progress ||
                                 state == ReportState::completed;
  return (kind == ReportKind::maintenance) == maintenance_state;
}

std::string_view states_of(ReportKind kind) {
  return kind == ReportKind::maintenance ? "scheduled, in_progress or completed"
                                         : "investigating, identified, monitoring or resolved";
}

// Fields a create and a patch share; each present field replaces the report's.
std::optional<Response> read_common(const Json& body, const StatusSnapshot& snapshot,
                                    StatusReport& r) {
  if (auto e = api::text_field(body, "title", r.title, 200)) return e;
  std::string impact;
  if (auto e = api::text_field(body, "impact", impact)) return e;
  if (!impact.empty()) {
    auto parsed = parse_impact(impact);
    if (!parsed) return api::error(400, "impact must be none, minor, major or critical", "impact");
    r.impact = *parsed;
  }
  if (auto e = api::text_list_field(body, "components", r.components)) return e;
  for (const auto& id : r.components)
    if (!snapshot.site || !snapshot.site->component(id))
      return api::error(400, "no component with id \"" + id.substr(0, 64) + "\"", "components");
  if (auto e = api::time_field(body, "starts_at", r.starts_at)) return e;
  if (auto e = api::time_field(body, "ends_at", r.ends_at)) return e;
  return std::nullopt;
}

std::optional<Response> check_window(const StatusReport& r) {
  if (r.kind != ReportKind::maintenance) {
    if (r.starts_at || r.ends_at)
      return api::error(400, "only maintenance has starts_at and ends_at", "starts_at");
    return std::nullopt;
  }
  if (!r.starts_at) return api::error(400, "maintenance needs starts_at", "starts_at");
  if (!r.ends_at) return api::error(400, "maintenance needs ends_at", "ends_at");
  if (*r.ends_at <= *r.starts_at)
    return api::error(400, "ends_at must be after starts_at", "ends_at");
  return std::nullopt;
}

std::optional<Response> read_state(const Json& body, ReportKind kind, ReportState& out) {
  std::string text;
  if (auto e = api::text_field(body, "state", text)) return e;
  if (text.empty()) return std::nullopt;
  auto state = parse_report_state(text);
  if (!state || !state_fits(kind, *state))
    return api::error(
        400,
        "state of " + std::string(to_string(kind)) + " must be " + std::string(states_of(kind)),
        "state");
  out = *state;
  return std::nullopt;
}

Response changed(Response response, RuntimeControl* control, bool pauses = false) {
  if (control) pauses ? control->pauses_changed() : control->reports_changed();
  return response;
}

Response create(const Request& request, const StatusSnapshot& snapshot, store::Store& store,
                RuntimeControl* control, TimePoint now, std::optional<ReportKind> forced_kind) {
  auto parsed = api::body_object(request);
  if (auto* r = std::get_if<Response>(&parsed)) return *r;
  const Json& body = std::get<Json>(parsed);
  if (auto e = api::unknown_fields(body, {"kind", "title", "message", "state", "impact",
                                          "components", "starts_at", "ends_at"}))
    return *e;
  StatusReport r;
  std::string kind;
  if (auto e = api::text_field(body, "kind", kind)) return *e;
  if (!kind.empty()) {
    auto k = parse_report_kind(kind);
    if (!k) return api::error(400, "kind must be incident or maintenance", "kind");
    if (forced_kind && *k != *forced_kind)
      return api::error(400, "kind must be " + std::string(to_string(*forced_kind)) + " here",
                        "kind");
    r.kind = *k;
  } else if (forced_kind) {
    r.kind = *forced_kind;
  }
  const bool maintenance = r.kind == ReportKind::maintenance;
  r.state = maintenance ? ReportState::scheduled : ReportState::investigating;
  r.impact = maintenance ? Impact::none : Impact::minor;
  if (auto e = read_common(body, snapshot, r)) return *e;
  if (r.title.empty()) return api::error(400, "a report needs a title", "title");
  if (auto e = read_state(body, r.kind, r.state)) return *e;
  if (auto e = check_window(r)) return *e;
  ReportUpdate first;
  if (auto e = api::text_field(body, "message", first.message, api::kMaxMessage)) return *e;
  if (first.message.empty() && !maintenance)
    return api::error(400, "say what is happening: an incident needs a message", "message");
  first.at = now;
  first.state = r.state;
  first.author = request.caller;
  r.created_at = r.updated_at = now;
  if (is_closed(r.state)) r.resolved_at = now;
  r.updates.push_back(std::move(first));
  StatusReport stored = store.save_report(std::move(r));
  Response response = json_response(report_json(stored), 201);
  response.headers.emplace_back("Location",
                                std::string(kReports) + "/" + std::to_string(stored.id));
  return changed(std::move(response), control);
}

Response patch(const Request& request, const StatusSnapshot& snapshot, store::Store& store,
               RuntimeControl* control, TimePoint now, StatusReport r) {
  auto parsed = api::body_object(request);
  if (auto* e = std::get_if<Response>(&parsed)) return *e;
  const Json& body = std::get<Json>(parsed);
  if (auto e = api::unknown_fields(body, {"title", "impact", "components", "starts_at", "ends_at"}))
    return *e;
  if (auto e = read_common(body, snapshot, r)) return *e;
  if (r.title.empty()) return api::error(400, "a report needs a title", "title");
  if (auto e = check_window(r)) return *e;
  r.updated_at = now;
  return changed(json_response(report_json(store.save_report(std::move(r)))), control);
}

Response add_update(const Request& request, store::Store& store, RuntimeControl* control,
                    TimePoint now, const StatusReport& r) {
  auto parsed = api::body_object(request);
  if (auto* e = std::get_if<Response>(&parsed)) return *e;
  const Json& body = std::get<Json>(parsed);
  if (auto e = api::unknown_fields(body, {"state", "message"})) return *e;
  ReportUpdate u;
  u.state = r.state;
  if (auto e = read_state(body, r.kind, u.state)) return *e;
  if (auto e = api::text_field(body, "message", u.message, api::kMaxMessage)) return *e;
  if (u.message.empty()) return api::error(400, "an update needs a message", "message");
  u.at = now;
  u.author = request.caller;
  StatusReport stored = store.add_report_update(r.id, std::move(u));
  return changed(json_response(report_json(stored), 201), control);
}

Response list(const Request& request, store::Store& store, std::optional<ReportKind> forced_kind) {
  auto p = api::paging(request, kDefaultLimit, kMaxLimit);
  if (auto* e = std::get_if<Response>(&p)) return *e;
  store::ReportQuery q;
  q.limit = std::get<api::Paging>(p).limit;
  q.before_id = std::get<api::Paging>(p).before;
  q.kind = forced_kind;
  if (auto v = request.param("kind"); v && !v->empty()) {
    auto k = parse_report_kind(*v);
    if (!k) return api::error(400, "kind must be incident or maintenance", "kind");
    if (forced_kind && *k != *forced_kind)
      return api::error(400,
                        "this list has only " + std::string(to_string(*forced_kind)) +
                            "; use /api/v1/status-reports for the others",
                        "kind");
    q.kind = *k;
  }
  if (auto v = request.param("open"); v && !v->empty()) {
    if (*v != "true" && *v != "false") return api::error(400, "open must be true or false", "open");
    q.open = *v == "true";
  }
  if (auto v = request.param("component"); v && !v->empty()) q.component = std::string(*v);
  auto found = store.status_reports(q);
  Json reports = Json::array();
  for (const auto& r : found) reports.push_back(report_json(r));
  Json next = found.size() == q.limit && !found.empty() ? Json(found.back().id) : Json(nullptr);
  return json_response({{"reports", std::move(reports)}, {"next_before", std::move(next)}});
}

Response one_report(const Request& request, const StatusSnapshot& snapshot, store::Store& store,
                    RuntimeControl* control, TimePoint now, std::string_view rest) {
  // rest: "{id}" or "{id}/updates"
  std::string_view id_text = rest.substr(0, rest.find('/'));
  std::string_view tail = id_text.size() < rest.size() ? rest.substr(id_text.size()) : "";
  auto id = api::positive(id_text);
  if (!id) return api::error(400, "expected a report id such as /api/v1/status-reports/42", "id");
  if (!tail.empty() && tail != "/updates")
    return api::error(404, "no such endpoint: " + request.path);
  auto report = store.status_report(*id);
  if (!report) return api::error(404, "no status report #" + std::to_string(*id), "id");
  if (tail == "/updates") {
    if (request.method != "POST") return method_not_allowed(request, "POST");
    return add_update(request, store, control, now, *report);
  }
  if (is_read(request)) return json_response(report_json(*report));
  if (request.method == "PATCH") return patch(request, snapshot, store, control, now, *report);
  if (request.method == "DELETE") {
    store.delete_report(*id);
    return changed(json_response({{"deleted", *id}}), control);
  }
  return method_not_allowed(request, "GET, HEAD, PATCH, DELETE");
}

Response pause_or_resume(const Request& request, const StatusSnapshot& snapshot,
                         store::Store& store, RuntimeControl* control, TimePoint now,
                         std::string_view check, bool pause) {
  if (request.method != "POST") return method_not_allowed(request, "POST");
  if (!snapshot.find(check))
    return api::error(404, "no check named \"" + std::string(check.substr(0, 100)) + "\"", "check");
  auto parsed = api::body_object(request);
  if (auto* e = std::get_if<Response>(&parsed)) return *e;
  const Json& body = std::get<Json>(parsed);
  if (auto e = api::unknown_fields(body, {"reason"})) return *e;
  if (!pause) {
    if (!body.empty()) return api::error(400, "resume takes no fields", body.begin().key());
    bool was = store.resume_check(check);
    return changed(json_response({{"check", check}, {"paused", false}, {"was_paused", was}}),
                   control, true);
  }
  CheckPause p{std::string(check), now, request.caller, {}};
  if (auto e = api::text_field(body, "reason", p.reason)) return *e;
  store.pause_check(p);
  return changed(json_response({{"check", check}, {"paused", true}, {"pause", pause_json(p)}}),
                 control, true);
}

std::string_view state_name(ComponentState s) {
  switch (s) {
    case ComponentState::operational:
      return "operational";
    case ComponentState::degraded:
      return "degraded";
    case ComponentState::down:
      return "down";
    case ComponentState::maintenance:
      return "maintenance";
    case ComponentState::no_data:
      return "no_data";
  }
  return "no_data";
}

Json fraction_or_null(const std::optional<double>& f) {
  return f ? Json(*f) : Json(nullptr);
}

// GET /api/v1/components?page=SLUG: each component with its state and uptimes, derived from its
// checks exactly as the status pages show them.
Response components(const Request& request, const StatusSnapshot& snapshot, TimePoint now) {
  const SiteSpec site = snapshot.site ? *snapshot.site : default_site(snapshot);
  std::vector<const ComponentSpec*> wanted;
  if (auto slug = request.param("page"); slug && !slug->empty()) {
    const StatusPageSpec* page = site.page(*slug);
    if (!page)
      return api::error(404, "no status page \"" + std::string(slug->substr(0, 64)) + "\"", "page");
    for (const auto& id : page->components)
      if (const ComponentSpec* c = site.component(id)) wanted.push_back(c);
  } else {
    for (const auto& c : site.components) wanted.push_back(&c);
  }
  const CheckIndex index(snapshot.checks);
  Json list = Json::array();
  for (const ComponentSpec* c : wanted) {
    ComponentStatus status = evaluate_component(*c, index, snapshot.reports, now);
    list.push_back({{"id", c->id},
                    {"name", c->name},
                    {"group", c->group},
                    {"description", c->description},
                    {"checks", c->checks},
                    {"rule", to_string(c->rule)},
                    {"state", state_name(status.state)},
                    {"uptime",
                     {{"24h", fraction_or_null(status.uptime_24h)},
                      {"7d", fraction_or_null(status.uptime_7d)},
                      {"30d", fraction_or_null(status.uptime_30d)},
                      {"90d", fraction_or_null(status.uptime_90d)}}}});
  }
  return json_response({{"components", std::move(list)}});
}

Response pages(const StatusSnapshot& snapshot) {
  const SiteSpec site = snapshot.site ? *snapshot.site : default_site(snapshot);
  Json list = Json::array();
  for (const auto& p : site.pages)
    list.push_back({{"slug", p.slug},
                    {"title", p.title},
                    {"description", p.description},
                    {"url", "/status/" + p.slug + "/"},
                    {"components", p.components}});
  return json_response({{"status_pages", std::move(list)}});
}

}  // namespace

bool is_report_api_path(std::string_view path) {
  if (path == kComponents || path == kPages) return true;
  if (path == kReports || path.starts_with(std::string(kReports) + "/")) return true;
  if (path == kMaintenance || path == kPauses) return true;
  if (path.starts_with(kChecks)) {
    // The action after a check name, not a check that is itself named "pause".
    std::string_view rest = path.substr(kChecks.size());
    return rest.ends_with("/pause") || rest.ends_with("/resume");
  }
  return false;
}

Response answer_report_api(const Request& request, const StatusSnapshot& snapshot,
                           store::Store& store, RuntimeControl* control, TimePoint now) {
  std::string_view path = request.path;
  if (path == kComponents || path == kPages) {
    if (!is_read(request)) return method_not_allowed(request, "GET, HEAD");
    return path == kPages ? pages(snapshot) : components(request, snapshot, now);
  }
  if (path == kReports || path == kMaintenance) {
    std::optional<ReportKind> kind;
    if (path == kMaintenance) kind = ReportKind::maintenance;
    if (is_read(request)) return list(request, store, kind);
    if (request.method == "POST") return create(request, snapshot, store, control, now, kind);
    return method_not_allowed(request, "GET, HEAD, POST");
  }
  if (path == kPauses) {
    if (!is_read(request)) return method_not_allowed(request, "GET, HEAD");
    Json list = Json::array();
    for (const auto& p : store.paused_checks()) list.push_back(pause_json(p));
    return json_response({{"pauses", std::move(list)}});
  }
  if (path.starts_with(kChecks)) {
    std::string_view rest = path.substr(kChecks.size());
    bool pause = rest.ends_with("/pause");
    std::string_view check = rest.substr(0, rest.rfind('/'));
    return pause_or_resume(request, snapshot, store, control, now, check, pause);
  }
  return one_report(request, snapshot, store, control, now, path.substr(kReports.size() + 1));
}

}  // namespace lk::web
