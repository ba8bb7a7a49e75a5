#include "web/ping.hpp"

namespace lk::web {

namespace {

Response text(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Response not_found() {
  Response response = text(404, R"({"error": {"message": "not found"}})");
  response.content_type = "application/json";
  return response;
}

}  // namespace

bool is_ping_path(std::string_view path) {
  return path.starts_with("/ping/");
}

Response answer_ping(const Request& request, PingSink* sink) {
  std::string_view rest = request.path;
  rest.remove_prefix(std::string_view("/ping/").size());
  if (rest.ends_with('/')) rest.remove_suffix(1);
  PingSignal signal = PingSignal::success;
  std::string_view token = rest;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    token = rest.substr(0, slash);
    std::string_view action = rest.substr(slash + 1);
    if (action == "start") {
      signal = PingSignal::start;
    } else if (action == "fail") {
      signal = PingSignal::fail;
    } else {
      return not_found();
    }
  }
  if (request.method != "GET" && request.method != "HEAD" && request.method != "POST") {
    Response response =
        text(405, "method " + request.method + " is not allowed; use GET or POST\n");
    response.headers.emplace_back("Allow", "GET, HEAD, POST");
    return response;
  }
  std::string_view body = request.body;
  if (body.size() > kMaxPingBody) body = body.substr(0, kMaxPingBody);
  if (token.empty() || sink == nullptr || !sink->ping(token, signal, body)) return not_found();
  return text(200, "OK");
}

}  // namespace lk::web
