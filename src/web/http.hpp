#pragma once
// Beast-free HTTP request and response values, so that routing and rendering can be unit-tested
// without sockets. Only server.cpp converts between these and Beast's types.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lk::web {

struct Request {
  std::string method = "GET";
  std::string path;      ///< percent-decoded path, without the query, e.g. "/api/v1/checks/a b"
  std::string raw_path;  ///< the path as sent (still encoded), split on '/' before decoding
  std::map<std::string, std::string, std::less<>> query;    ///< decoded; the first value wins
  std::map<std::string, std::string, std::less<>> headers;  ///< names lower-cased
  std::string body;
  bool from_loopback = false;  ///< the client connected from 127.0.0.0/8 or ::1
  /// Who is asking, once the router has authorized an API request (a token's name, "local",
  /// "anonymous"); the author of what the request writes.
  std::string caller;

  /// The query parameter `name`, if given (possibly empty).
  std::optional<std::string_view> param(std::string_view name) const;
  /// The header `lower_name`, or "" when absent.
  std::string_view header(std::string_view lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers, e.g. Allow

  /// The value of extra header `name` (case-insensitive), or "" when absent.
  std::string_view header(std::string_view name) const;
};

/// Decodes %XX escapes (and '+' as space when `plus_is_space`, as in query strings). Returns
/// nullopt for a malformed escape, so that a bad URL is a 400 rather than a guess.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

/// Fills method, path, raw_path and query from a request target such as
/// "/api/v1/checks?limit=5". Returns false when the target is not an origin-form path or has a
/// malformed escape.
bool parse_target(std::string_view target, Request& out);

/// A request for `method` and `target`, for tests and for the server. An unparsable target
/// yields an empty path, which the router answers with 400.
Request make_request(std::string_view method, std::string_view target);

/// The standard reason phrase for an HTTP status code ("Not Found").
std::string_view reason_phrase(int status);

/// The path of a request split on '/' before each segment is decoded, so that a name with a
/// slash is reachable as a%2Fb. A leading slash and a single trailing slash are dropped: "/" is
/// {""}, "/status/main/" is {"status", "main"}.
std::vector<std::string> split_path(const Request& request);

/// How a response body may be encoded on the wire.
enum class ContentCoding { identity, gzip, br };

/// The coding to answer with for an Accept-Encoding value: the accepted one (q > 0) with the
/// highest q, brotli before gzip at equal q (it is smaller); identity when neither is accepted.
ContentCoding preferred_coding(std::string_view accept_encoding);

/// Compresses the body (brotli or gzip, see preferred_coding) when the client accepts it and it
/// is worth it; sets Content-Encoding and Vary. The status page is mostly repeated SVG and
/// shrinks ~10x. A response that is already encoded, or that says it negotiated the encoding
/// itself (it varies on Accept-Encoding), is left alone.
void compress_if_accepted(const Request& request, Response& response);

/// gzip (RFC 1952) of `data`.
std::string gzip(std::string_view data);

/// Brotli (RFC 7932) of `data` at `quality` 0..11: 4-5 costs about what gzip does, 11 is for
/// bytes compressed once and served many times.
std::string brotli(std::string_view data, int quality);

}  // namespace lk::web
