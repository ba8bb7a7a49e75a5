#pragma once
// What every JSON endpoint needs: answers, ids and paging parameters, and reading a JSON body
// field by field with errors that name the field. Internal to web/.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.hpp"
#include "web/api_json.hpp"
#include "web/http.hpp"

namespace lk::web::api {

/// Names and notes people type; longer text in a body is refused.
inline constexpr std::size_t kMaxText = 1000;
/// Markdown of one status update.
inline constexpr std::size_t kMaxMessage = 20000;

/// A JSON answer (not cached: the API's reads carry ETags instead).
Response json_response(const Json& body, int status = 200);

Json time_or_null(const std::optional<TimePoint>& t);

/// A positive decimal id ("42"), or nullopt.
std::optional<std::int64_t> positive(std::string_view text);

/// `limit` (1..max, default `fallback`) and `before` (a positive id, 0 when absent) of a
/// paged list; an error answer when one is malformed.
struct Paging {
  std::size_t limit = 0;
  std::int64_t before = 0;
};
std::variant<Paging, Response> paging(const Request& request, std::size_t fallback,
                                      std::size_t max);

/// The request's body as a JSON object (an empty body is an empty object), or a 400.
std::variant<Json, Response> body_object(const Request& request);
/// A 400 naming the first key of `body` not in `known`.
std::optional<Response> unknown_fields(const Json& body,
                                       std::initializer_list<std::string_view> known);
/// Reads the string `key` into `out` when present (null counts as absent); a 400 when it is not
/// a string or longer than `max`.
std::optional<Response> text_field(const Json& body, std::string_view key, std::string& out,
                                   std::size_t max = kMaxText);
/// Reads the list of strings `key` into `out` when present; a 400 otherwise.
std::optional<Response> text_list_field(const Json& body, std::string_view key,
                                        std::vector<std::string>& out);
/// Reads the RFC 3339 time `key` into `out` when present; a 400 otherwise.
std::optional<Response> time_field(const Json& body, std::string_view key,
                                   std::optional<TimePoint>& out);

}  // namespace lk::web::api
