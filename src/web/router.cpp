#include "web/router.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <functional>
#include <vector>

#include "store/store.hpp"
#include "web/api.hpp"
#include "web/auth.hpp"
#include "web/check_page.hpp"
#include "web/metrics.hpp"

namespace lk::web {

namespace {

enum class Endpoint {
  healthz,
  metrics,
  checks,
  check,
  results,
  rollups,
  batch_rollups,
  incidents,
  check_page,
  unknown
};

struct Match {
  Endpoint endpoint = Endpoint::unknown;
  std::string check_name;  ///< decoded {name}, for the per-check endpoints
};

Match match(const Request& request) {
  auto s = split_path(request);
  if (s.size() == 1) {
    if (s[0] == "healthz") return {Endpoint::healthz, {}};
    if (s[0] == "metrics") return {Endpoint::metrics, {}};
    return {};
  }
  if (s.size() == 2 && s[0] == "checks" && !s[1].empty()) return {Endpoint::check_page, s[1]};
  if (s.size() < 3 || s[0] != "api" || s[1] != "v1") return {};
  if (s[2] == "incidents" && s.size() == 3) return {Endpoint::incidents, {}};
  if (s[2] == "rollups" && s.size() == 3) return {Endpoint::batch_rollups, {}};
  if (s[2] != "checks") return {};
  if (s.size() == 3) return {Endpoint::checks, {}};
  if (s.size() == 4) return {Endpoint::check, s[3]};
  if (s.size() == 5 && s[4] == "results") return {Endpoint::results, s[3]};
  if (s.size() == 5 && s[4] == "rollups") return {Endpoint::rollups, s[3]};
  return {};
}

bool is_api_path(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

Response plain(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// Errors in the caller's language: JSON under /api, a line of text elsewhere.
Response failure(const Request& request, int status, std::string message) {
  if (is_api_path(request.path)) return api::error(status, message);
  return plain(status, message + "\n");
}

Response html_page(std::string body) {
  Response response;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-cache");
  // The page has no scripts; this keeps it that way even if escaping were ever missed.
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' "
                                "data:; base-uri 'none'; form-action 'none'; "
                                "frame-ancestors 'none'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

// One check's history, from the store (a page per check, not per status-page view).
Response check_page(const StatusSnapshot& snapshot, store::Store& store, std::string_view name,
                    TimePoint now) {
  const CheckItem* check = snapshot.find(name);
  if (!check) return plain(404, "no such check: " + std::string(name) + "\n");
  const TimePoint from = now - check_page_window(check->spec->interval);
  constexpr std::size_t kMaxRuns = 2000;
  auto results = store.results(name, from, now, kMaxRuns);
  return html_page(render_check_page(snapshot, *check, results, from, now));
}

// A strong validator for a read: the hash of the exact bytes. A client that sends it back in
// If-None-Match gets 304 without the body (the answer was still computed; what is saved is the
// transfer and the client's parsing).
void add_etag(const Request& request, Response& response) {
  if (!response.header("ETag").empty()) return;
  char tag[24];
  std::snprintf(tag, sizeof tag, "\"%016zx\"", std::hash<std::string_view>{}(response.body));
  response.headers.emplace_back("ETag", tag);
  std::string_view wanted = request.header("if-none-match");
  if (wanted.empty()) return;
  if (wanted == "*" || wanted.find(tag) != std::string_view::npos) {
    response.status = 304;
    response.body.clear();
  }
}

}  // namespace

Router::Router(const StatusSource& source, store::Store& store, const Clock& clock, PingSink* pings,
               AlertControl* alerts, RuntimeControl* runtime)
    : source_(source),
      store_(store),
      clock_(clock),
      pings_(pings),
      alerts_(alerts),
      runtime_(runtime) {}

std::optional<Response> Router::cached(const Request& request) const {
  if (!Site::owns(request.path)) return std::nullopt;
  try {
    return site_.cached(request, source_.latest());
  } catch (const std::exception&) {
    return std::nullopt;  // handle() answers it, and logs what goes wrong
  }
}

Response Router::handle(const Request& request) const {
  try {
    if (!is_api_path(request.path)) return route(request, nullptr);
    // Who may do what is decided once, here, for every endpoint under /api.
    auto snapshot = source_.snapshot();
    static const ApiSettings kOpen;
    const ApiSettings& settings = snapshot && snapshot->site ? snapshot->site->api : kOpen;
    const bool read = request.method == "GET" || request.method == "HEAD";
    auto decision = authorize(settings, request, read ? Access::read : Access::write);
    if (auto* refused = std::get_if<Response>(&decision)) return std::move(*refused);
    Request authorized = request;
    authorized.caller = std::get<Caller>(decision).name;
    // "/api/v1/alerts/" is "/api/v1/alerts", for every endpoint alike.
    if (authorized.path.size() > 1 && authorized.path.back() == '/') authorized.path.pop_back();
    Response response = route(authorized, std::move(snapshot));
    if (read && response.status == 200) add_etag(request, response);
    return response;
  } catch (const std::exception& e) {
    spdlog::error("web: {} {} failed: {}", request.method, request.path, e.what());
    return failure(request, 500, "internal error: " + std::string(e.what()));
  } catch (...) {
    spdlog::error("web: {} {} failed with a non-standard exception", request.method, request.path);
    return failure(request, 500, "internal error");
  }
}

Response Router::route(const Request& request,
                       std::shared_ptr<const StatusSnapshot> snapshot) const {
  // Read once per request, and only by the answers that need it (never /healthz or a ping).
  auto current = [&]() -> const std::shared_ptr<const StatusSnapshot>& {
    if (!snapshot) snapshot = source_.snapshot();
    return snapshot;
  };
  static const StatusSnapshot kEmpty;
  if (request.path.empty() || request.path.front() != '/')
    return plain(400, "bad request target: expected a path such as /api/v1/checks\n");

  if (is_ping_path(request.path)) return answer_ping(request, pings_);
  if (is_alert_path(request.path)) return answer_alert(request, alerts_, store_, clock_.now());
  if (is_report_api_path(request.path)) {
    const auto& snap = current();
    return answer_report_api(request, snap ? *snap : kEmpty, store_, runtime_, clock_.now());
  }
  if (Site::owns(request.path)) return site_.answer(request, current(), clock_.now());
  Match m = match(request);
  if (m.endpoint == Endpoint::unknown)
    return failure(request, 404, "no such page or endpoint: " + request.path);
  if (request.method != "GET" && request.method != "HEAD") {
    Response response =
        failure(request, 405, "method " + request.method + " is not allowed here; use GET or HEAD");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  if (m.endpoint == Endpoint::healthz) return plain(200, "ok\n");

  const auto& snap = current();
  const StatusSnapshot& s = snap ? *snap : kEmpty;
  const TimePoint now = clock_.now();
  switch (m.endpoint) {
    case Endpoint::metrics: {
      Response response;
      response.content_type = std::string(kMetricsContentType);
      response.body = render_metrics(s, store_.stats(), read_process_figures());
      return response;
    }
    case Endpoint::checks:
      return api::list_checks(s, request);
    case Endpoint::check:
      return api::get_check(s, m.check_name);
    case Endpoint::results:
      return api::check_results(s, store_, m.check_name, request, now);
    case Endpoint::rollups:
      return api::check_rollups(s, store_, m.check_name, request, now);
    case Endpoint::batch_rollups:
      return api::batch_rollups(s, store_, request, now);
    case Endpoint::check_page:
      return check_page(s, store_, m.check_name, now);
    case Endpoint::incidents:
      return api::list_incidents(store_, request, now);
    case Endpoint::healthz:
    case Endpoint::unknown:
      break;
  }
  return failure(request, 404, "no such page or endpoint: " + request.path);
}

}  // namespace lk::web
