#include "web/api_util.hpp"

#include <algorithm>
#include <charconv>

#include "web/api.hpp"

namespace lk::web::api {

Response json_response(const Json& body, int status) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = dump(body) + "\n";
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

Json time_or_null(const std::optional<TimePoint>& t) {
  return t ? Json(format_time(*t)) : Json(nullptr);
}

std::optional<std::int64_t> positive(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

std::variant<Paging, Response> paging(const Request& request, std::size_t fallback,
                                      std::size_t max) {
  Paging p{fallback, 0};
  if (auto v = request.param("limit")) {
    auto n = positive(*v);
    if (!n || *n > static_cast<std::int64_t>(max))
      return error(400, "limit must be between 1 and " + std::to_string(max), "limit");
    p.limit = static_cast<std::size_t>(*n);
  }
  if (auto v = request.param("before")) {
    auto n = positive(*v);
    if (!n) return error(400, "before must be a positive id (the next_before of a page)", "before");
    p.before = *n;
  }
  return p;
}

std::variant<Json, Response> body_object(const Request& request) {
  if (request.body.empty()) return Json::object();
  Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return error(400, "the body is not valid JSON");
  if (!body.is_object()) return error(400, "the body must be a JSON object");
  return body;
}

std::optional<Response> unknown_fields(const Json& body,
                                       std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : body.items())
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string expected;
      for (auto k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
      return error(400, "unknown field \"" + key.substr(0, 64) + "\" (expected " + expected + ")",
                   key.substr(0, 64));
    }
  return std::nullopt;
}

std::optional<Response> text_field(const Json& body, std::string_view key, std::string& out,
                                   std::size_t max) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) return error(400, std::string(key) + " must be a string", key);
  out = it->get<std::string>();
  if (out.size() > max)
    return error(400, std::string(key) + " is longer than " + std::to_string(max) + " bytes", key);
  return std::nullopt;
}

std::optional<Response> text_list_field(const Json& body, std::string_view key,
                                        std::vector<std::string>& out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  auto wrong = [&] { return error(400, std::string(key) + " must be a list of strings", key); };
  if (!it->is_array()) return wrong();
  out.clear();
  for (const auto& v : *it) {
    if (!v.is_string() || v.get_ref<const std::string&>().size() > kMaxText) return wrong();
    out.push_back(v.get<std::string>());
  }
  return std::nullopt;
}

std::optional<Response> time_field(const Json& body, std::string_view key,
                                   std::optional<TimePoint>& out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (it->is_string())
    if (auto t = parse_time(it->get_ref<const std::string&>())) {
      out = *t;
      return std::nullopt;
    }
  return error(400, std::string(key) + " must be an RFC 3339 time such as 2026-11-21T22:00:00Z",
               key);
}

}  // namespace lk::web::api
