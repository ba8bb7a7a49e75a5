#include "web/http.hpp"

#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <stdexcept>

namespace lk::web {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The q-value of an Accept-Encoding parameter list ("q=0.5"); 1 when absent or unreadable, as
// a client that garbles it most likely meant to accept the coding.
double q_value(std::string_view params) {
  while (!params.empty()) {
    auto semicolon = params.find(';');
    auto param = trim(params.substr(0, semicolon));
    params = semicolon == std::string_view::npos ? "" : params.substr(semicolon + 1);
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
    auto value = param.substr(2);
    if (value.empty()) return 1.0;
    double q = 0, scale = 1;
    bool fraction = false;
    for (char c : value) {
      if (c == '.') {
        fraction = true;
      } else if (c >= '0' && c <= '9') {
        if (fraction) {
          scale /= 10;
          q += (c - '0') * scale;
        } else {
          q = q * 10 + (c - '0');
        }
      } else {
        return 1.0;
      }
    }
    return q;
  }
  return 1.0;
}

bool is_compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("image/svg+xml");
}

}  // namespace

std::optional<std::string_view> Request::param(std::string_view name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string_view Request::header(std::string_view lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string_view{} : std::string_view(it->second);
}

std::string_view Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return value;
  return {};
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

bool parse_target(std::string_view target, Request& out) {
  if (target.empty() || target.front() != '/') return false;
  auto question = target.find('?');
  auto raw_path = target.substr(0, question);
  auto fragment = raw_path.find('#');
  raw_path = raw_path.substr(0, fragment);
  auto path = percent_decode(raw_path, false);
  if (!path) return false;
  out.raw_path = std::string(raw_path);
  out.path = std::move(*path);
  out.query.clear();
  if (question == std::string_view::npos) return true;
  auto query = target.substr(question + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto equals = pair.find('=');
    auto key = percent_decode(pair.substr(0, equals), true);
    auto value = percent_decode(
        equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1), true);
    if (!key || !value) return false;
    out.query.emplace(std::move(*key), std::move(*value));
  }
  return true;
}

Request make_request(std::string_view method, std::string_view target) {
  Request request;
  request.method = std::string(method);
  if (!parse_target(target, request)) {
    request.path.clear();
    request.raw_path.clear();
    request.query.clear();
  }
  return request;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

std::vector<std::string> split_path(const Request& request) {
  std::string_view path = request.raw_path.empty() ? request.path : request.raw_path;
  std::vector<std::string> segments;
  if (path.starts_with('/')) path.remove_prefix(1);
  if (!path.empty() && path.ends_with('/')) path.remove_suffix(1);
  while (true) {
    auto slash = path.find('/');
    auto raw = path.substr(0, slash);
    segments.push_back(percent_decode(raw, false).value_or(std::string(raw)));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

ContentCoding preferred_coding(std::string_view accept_encoding) {
  // -1: not mentioned; `*` stands for whichever of the two is not.
  double gzip_q = -1, br_q = -1, any_q = -1;
  while (!accept_encoding.empty()) {
    auto comma = accept_encoding.find(',');
    auto item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? "" : accept_encoding.substr(comma + 1);
    auto semicolon = item.find(';');
    auto coding = trim(item.substr(0, semicolon));
    double q = semicolon == std::string_view::npos ? 1.0 : q_value(item.substr(semicolon + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip"))
      gzip_q = std::max(gzip_q, q);
    else if (iequals(coding, "br"))
      br_q = std::max(br_q, q);
    else if (coding == "*")
      any_q = std::max(any_q, q);
  }
  if (gzip_q < 0) gzip_q = any_q;
  if (br_q < 0) br_q = any_q;
  if (br_q > 0 && br_q >= gzip_q) return ContentCoding::br;
  if (gzip_q > 0) return ContentCoding::gzip;
  return ContentCoding::identity;
}

std::string brotli(std::string_view data, int quality) {
  std::string out(BrotliEncoderMaxCompressedSize(data.size()), '\0');
  std::size_t size = out.size();
  if (out.empty() ||
      !BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, data.size(),
                             reinterpret_cast<const std::uint8_t*>(data.data()), &size,
                             reinterpret_cast<std::uint8_t*>(out.data())))
    throw std::runtime_error("brotli: compression failed");
  out.resize(size);
  return out;
}

std::string gzip(std::string_view data) {
  z_stream stream{};
  // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of a zlib one.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK)
    throw std::runtime_error("gzip: deflateInit2 failed");
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
  return out;
}

void compress_if_accepted(const Request& request, Response& response) {
  // Below about a packet, compression saves nothing worth the CPU.
  constexpr std::size_t kMinimumSize = 1024;
  // Per request, so fast settings: brotli 4 is about as cheap as gzip's default and smaller.
  constexpr int kBrotliQuality = 4;
  if (response.body.size() < kMinimumSize || !is_compressible(response.content_type)) return;
  if (!response.header("Content-Encoding").empty()) return;
  if (response.header("Vary").find("Accept-Encoding") != std::string_view::npos) return;
  response.headers.emplace_back("Vary", "Accept-Encoding");
  switch (preferred_coding(request.header("accept-encoding"))) {
    case ContentCoding::identity:
      return;
    case ContentCoding::gzip:
      response.body = gzip(response.body);
      response.headers.emplace_back("Content-Encoding", "gzip");
      return;
    case ContentCoding::br:
      response.body = brotli(response.body, kBrotliQuality);
      response.headers.emplace_back("Content-Encoding", "br");
      return;
  }
}

}  // namespace lk::web
