#include "web/alert_api.hpp"

#include <charconv>

#include "store/store.hpp"
#include "web/api.hpp"
#include "web/api_json.hpp"
#include "web/api_util.hpp"
#include "web/text.hpp"

namespace lk::web {

namespace {

using api::Json;

constexpr std::string_view kAckPrefix = "/ack/";
constexpr std::size_t kDefaultNotificationLimit = 100;
constexpr std::size_t kMaxNotificationLimit = 1000;
using api::kMaxText;
using api::positive;
using api::time_or_null;

Response json(const Json& body, int status = 200) {
  return api::json_response(body, status);
}

Json attempt_json(const store::Attempt& a) {
  return {{"at", format_time(a.at)},
          {"outcome", store::to_string(a.outcome)},
          {"status", a.http_status ? Json(*a.http_status) : Json(nullptr)},
          {"error", a.error.empty() ? Json(nullptr) : Json(a.error)},
          {"duration_ms", to_ms(a.duration)}};
}

Response notifications(const Request& request, store::Store& store) {
  store::NotificationQuery q;
  q.limit = kDefaultNotificationLimit;
  if (auto v = request.param("check"); v && !v->empty()) q.check = std::string(*v);
  if (auto v = request.param("channel"); v && !v->empty()) q.channel = std::string(*v);
  if (auto v = request.param("state"); v && !v->empty()) {
    if (*v != "pending" && *v != "sent" && *v != "failed")
      return api::error(400, "state must be pending, sent or failed", "state");
    q.state = store::notification_state_from_text(*v);
  }
  if (auto v = request.param("limit")) {
    auto n = positive(*v);
    if (!n || *n > static_cast<std::int64_t>(kMaxNotificationLimit))
      return api::error(400, "limit must be between 1 and 1000", "limit");
    q.limit = static_cast<std::size_t>(*n);
  }
  if (auto v = request.param("before")) {
    auto n = positive(*v);
    if (!n) return api::error(400, "before must be a positive notification id", "before");
    q.before_id = *n;
  }
  auto found = store.notifications(q);
  Json list = Json::array();
  for (const auto& n : found) {
    Json attempts = Json::array();
    for (const auto& a : n.attempts) attempts.push_back(attempt_json(a));
    list.push_back(
        {{"id", n.id},
         {"channel", n.outbound.channel},
         {"kind", n.outbound.kind},
         {"check", n.outbound.check.empty() ? Json(nullptr) : Json(n.outbound.check)},
         {"incident", n.outbound.incident_id ? Json(*n.outbound.incident_id) : Json(nullptr)},
         {"key", n.outbound.idempotency_key},
         // What receivers see as Idempotency-Key (and as the webhook's "id").
         {"message_id", "lightkeeper-" + n.outbound.idempotency_key + ":" + n.outbound.channel},
         {"state", store::to_string(n.state)},
         {"created_at", format_time(n.outbound.created_at)},
         {"next_attempt_at", time_or_null(n.next_attempt_at)},
         {"sent_at", time_or_null(n.sent_at)},
         {"attempt_count", n.attempt_count},
         {"last_error", n.last_error.empty() ? Json(nullptr) : Json(n.last_error)},
         {"attempts", std::move(attempts)}});
  }
  Json body = {{"notifications", std::move(list)}};
  body["next_before"] =
      found.size() == q.limit && !found.empty() ? Json(found.back().id) : Json(nullptr);
  return json(body);
}

Json page_json(const alert::PageView& p) {
  return {{"incident", p.id},
          {"route", p.route},
          {"checks", p.checks},
          {"incidents", p.incidents},
          {"notified", p.announced},
          {"notified_at", time_or_null(p.announced_at)},
          {"acknowledged_at", time_or_null(p.acked_at)},
          {"acknowledged_by", p.acked_by.empty() ? Json(nullptr) : Json(p.acked_by)},
          {"suppressed", p.suppressed.empty() ? Json(nullptr) : Json(p.suppressed)},
          {"tiers_fired", p.tiers_fired},
          {"channels", p.notified}};
}

Json silence_json(const alert::Silence& s) {
  return {{"id", s.id},
          {"checks", s.match.checks},
          {"tags", s.match.tags},
          {"groups", s.match.groups},
          {"starts_at", format_time(s.starts_at)},
          {"ends_at", format_time(s.ends_at)},
          {"created_by", s.created_by},
          {"comment", s.comment},
          {"from_config", s.id < 0}};
}

Json oncall_json(const alert::oncall::OnCall& on) {
  return {{"primary", on.primary ? Json(*on.primary) : Json(nullptr)},
          {"secondary", on.secondary ? Json(*on.secondary) : Json(nullptr)},
          {"decided_by", on.decided_by}};
}

using api::text_field;
using api::unknown_fields;

Response ack(const Request& request, AlertControl& control) {
  auto parsed = api::body_object(request);
  if (auto* r = std::get_if<Response>(&parsed)) return *r;
  const Json& body = std::get<Json>(parsed);
  if (auto e = unknown_fields(body, {"check", "incident", "by", "note"})) return *e;
  std::string check, by, note;
  for (auto [key, out] : {std::pair{"check", &check}, {"by", &by}, {"note", &note}})
    if (auto e = text_field(body, key, *out)) return *e;
  std::int64_t incident = 0;
  if (auto it = body.find("incident"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1)
      return api::error(400, "incident must be a positive incident id", "incident");
    incident = it->get<std::int64_t>();
  }
  if (incident == 0 && check.empty())
    return api::error(400, "say what to acknowledge: \"check\" or \"incident\"", "check");
  if (by.empty()) by = request.caller.empty() ? "api" : request.caller;
  auto answer = control.acknowledge(incident, check, by, note);
  if (!answer.ok) return api::error(answer.status, answer.message, incident ? "incident" : "check");
  return json({{"acknowledged", true},
               {"incident", answer.incident},
               {"already", answer.already},
               {"message", answer.message}});
}

Response add_silence(const Request& request, AlertControl& control, TimePoint now) {
  auto parsed = api::body_object(request);
  if (auto* r = std::get_if<Response>(&parsed)) return *r;
  const Json& body = std::get<Json>(parsed);
  if (auto e = unknown_fields(body, {"checks", "tags", "groups", "duration", "until", "starts_at",
                                     "comment", "created_by"}))
    return *e;
  alert::Silence s;
  for (auto [key, out] :
       {std::pair{"checks", &s.match.checks}, {"tags", &s.match.tags}, {"groups", &s.match.groups}})
    if (auto e = api::text_list_field(body, key, *out)) return *e;
  for (const auto& p : s.match.checks)
    if (auto problem = alert::pattern_problem(p)) return api::error(400, *problem, "checks");
  if (s.match.matches_everything())
    return api::error(400, "a silence must say which checks it mutes (checks, tags or groups)",
                      "checks");
  s.starts_at = now;
  std::string text;
  if (auto e = text_field(body, "starts_at", text)) return *e;
  if (!text.empty()) {
    auto t = parse_time(text);
    if (!t) return api::error(400, "starts_at must be an RFC 3339 time", "starts_at");
    s.starts_at = *t;
  }
  text.clear();
  if (auto e = text_field(body, "until", text)) return *e;
  if (!text.empty()) {
    auto t = parse_time(text);
    if (!t) return api::error(400, "until must be an RFC 3339 time", "until");
    s.ends_at = *t;
  }
  text.clear();
  if (auto e = text_field(body, "duration", text)) return *e;
  if (!text.empty()) {
    auto d = parse_duration(text);
    if (!d) return api::error(400, "duration must look like 30m, 2h or 1d", "duration");
    s.ends_at = s.starts_at + *d;
  }
  if (s.ends_at == TimePoint{})
    return api::error(400, "give \"duration\" or \"until\"", "duration");
  if (s.ends_at <= s.starts_at || s.ends_at <= now)
    return api::error(400, "the silence would end before it starts (or in the past)", "until");
  if (auto e = text_field(body, "comment", s.comment)) return *e;
  if (auto e = text_field(body, "created_by", s.created_by)) return *e;
  if (s.created_by.empty()) s.created_by = request.caller.empty() ? "api" : request.caller;
  s.id = control.add_silence(s);
  return json(silence_json(s), 201);
}

std::string form_value(std::string_view body, std::string_view key) {
  std::size_t start = 0;
  while (start <= body.size()) {
    auto amp = body.find('&', start);
    auto pair =
        body.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == key)
      return percent_decode(pair.substr(eq + 1), true).value_or("").substr(0, kMaxText);
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return {};
}

Response html(int status, std::string_view title, std::string_view content) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");  // the token is in the URL
  r.body =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>" +
      html_escape(title) +
      "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem "
      "auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;"
      "font:inherit;padding:.4rem}button{font:inherit;padding:.5rem 1.2rem;margin-top:1rem}"
      "@media (prefers-color-scheme:dark){body{background:#111;color:#eee}}</style>"
      "</head><body><main><h1>" +
      html_escape(title) + "</h1>\n" + std::string(content) + "</main></body></html>\n";
  return r;
}

Response ack_page(const Request& request, AlertControl& control) {
  std::string_view token = std::string_view(request.path).substr(kAckPrefix.size());
  if (request.method == "POST") {
    auto answer = control.acknowledge_link(token, form_value(request.body, "by"),
                                           form_value(request.body, "note"));
    if (!answer.ok)
      return html(answer.status, "Not acknowledged", "<p>" + html_escape(answer.message) + "</p>");
    return html(200, "Acknowledged",
                "<p>" + html_escape(answer.message) +
                    "</p><p>Escalation and reminders have stopped; you will still be told when "
                    "it recovers.</p>");
  }
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = html(405, "Method not allowed", "<p>Use the button on this page.</p>");
    r.headers.emplace_back("Allow", "GET, HEAD, POST");
    return r;
  }
  auto info = control.inspect_link(token);
  if (!info.valid) return html(404, "Link not valid", "<p>" + html_escape(info.error) + "</p>");
  std::string checks;
  for (const auto& c : info.checks) checks += (checks.empty() ? "" : ", ") + c;
  if (info.checks.empty())
    return html(200, "Incident over",
                "<p>Incident #" + std::to_string(info.incident) +
                    " is over; there is nothing to acknowledge.</p>");
  if (info.acknowledged)
    return html(200, "Already acknowledged",
                "<p>Incident #" + std::to_string(info.incident) + " (" + html_escape(checks) +
                    ") was acknowledged by " + html_escape(info.acknowledged_by) + ".</p>");
  return html(200, "Acknowledge incident #" + std::to_string(info.incident),
              "<p>Failing: <strong>" + html_escape(checks) +
                  "</strong></p><form method=\"post\"><label for=\"by\">Your name</label>"
                  "<input id=\"by\" name=\"by\" autocomplete=\"name\"><label for=\"note\">Note "
                  "(optional)</label><input id=\"note\" name=\"note\"><button "
                  "type=\"submit\">Acknowledge</button></form>");
}

}  // namespace

bool is_alert_path(std::string_view path) {
  return path.starts_with(kAckPrefix) || path == "/api/v1/notifications" ||
         path == "/api/v1/alerts" || path == "/api/v1/ack" || path == "/api/v1/silences" ||
         path.starts_with("/api/v1/silences/") || path == "/api/v1/oncall";
}

Response answer_alert(const Request& request, AlertControl* control, store::Store& store,
                      TimePoint now) {
  const std::string& path = request.path;
  const bool read = request.method == "GET" || request.method == "HEAD";
  auto only = [&](std::string_view allowed) {
    Response r = api::error(
        405, "method " + request.method + " is not allowed here; use " + std::string(allowed));
    r.headers.emplace_back("Allow", std::string(allowed));
    return r;
  };
  if (path == "/api/v1/notifications")
    return read ? notifications(request, store) : only("GET, HEAD");
  if (!control) return api::error(503, "alerting is not running");
  if (path.starts_with(kAckPrefix)) return ack_page(request, *control);
  if (path == "/api/v1/alerts") {
    if (!read) return only("GET, HEAD");
    Json list = Json::array();
    for (const auto& p : control->pages()) list.push_back(page_json(p));
    return json({{"alerts", std::move(list)}});
  }
  if (path == "/api/v1/ack")
    return request.method == "POST" ? ack(request, *control) : only("POST");
  if (path == "/api/v1/oncall") {
    if (!read) return only("GET, HEAD");
    Json list = Json::array();
    for (const auto& v : control->oncall(5)) {
      Json next = Json::array();
      for (const auto& h : v.next) {
        Json x = oncall_json(h.after);
        x["at"] = format_time(h.at);
        next.push_back(std::move(x));
      }
      list.push_back(
          {{"schedule", v.schedule}, {"now", oncall_json(v.now)}, {"next", std::move(next)}});
    }
    return json({{"schedules", std::move(list)}});
  }
  if (path == "/api/v1/silences") {
    if (request.method == "POST") return add_silence(request, *control, now);
    if (!read) return only("GET, HEAD, POST");
    Json list = Json::array();
    for (const auto& s : control->silences()) list.push_back(silence_json(s));
    return json({{"silences", std::move(list)}});
  }
  // /api/v1/silences/{id}
  if (request.method != "DELETE") return only("DELETE");
  auto id = positive(std::string_view(path).substr(std::string_view("/api/v1/silences/").size()));
  if (!id)
    return api::error(400, "expected /api/v1/silences/{id} with a run-time silence id", "id");
  if (!control->remove_silence(*id))
    return api::error(404, "no run-time silence #" + std::to_string(*id), "id");
  return json({{"removed", *id}});
}

}  // namespace lk::web
