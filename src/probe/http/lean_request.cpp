#include "probe/http/lean_request.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>

namespace lk::probe::http {

namespace {

constexpr std::string_view kUserAgent = "Lightkeeper/0.1 (+uptime monitor)";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

/// curl's URL handle, freed on scope exit. Only used when a config is read or a redirect is
/// followed, never per request.
class Url {
 public:
  Url() : h_(curl_url()) {}
  ~Url() { curl_url_cleanup(h_); }
  Url(const Url&) = delete;
  Url& operator=(const Url&) = delete;

  CURLUcode set(const std::string& url, unsigned flags) {
    if (!h_) return CURLUE_OUT_OF_MEMORY;
    return curl_url_set(h_, CURLUPART_URL, url.c_str(), flags);
  }
  std::optional<std::string> get(CURLUPart part, unsigned flags = 0) const {
    char* out = nullptr;
    if (!h_ || curl_url_get(h_, part, &out, flags) != CURLUE_OK || !out) return std::nullopt;
    std::string value(out);
    curl_free(out);
    return value;
  }

 private:
  CURLU* h_;
};

/// Visible ASCII only: then curl sends the path exactly as its parser returned it.
bool plain_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool blank(std::string_view value) {
  return std::all_of(value.begin(), value.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

const std::string* custom_header(const Settings& s, std::string_view name) {
  for (const auto& [n, v] : s.headers())
    if (iequals(n, name)) return &v;
  return nullptr;
}

/// Decimal text of `value` in `buffer`, without allocating.
std::string_view decimal(std::uint64_t value, std::array<char, 20>& buffer) {
  auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  return {buffer.data(), static_cast<std::size_t>(end - buffer.data())};
}

/// Emits the request piece by piece: run once to count the bytes and once to write them, so that
/// the request string is allocated at its exact size.
template <class Emit>
void render(Emit&& emit, const Settings& s, const LeanTarget& target,
            const RequestAdjustments& adjust) {
  const bool with_body = !s.body().empty() && !adjust.drop_body;
  std::array<char, 20> number;
  emit(s.method);
  emit(" ");
  emit(target.path);
  emit(" HTTP/1.1\r\n");
  // A custom Host takes the place of curl's own, even when empty (curl then sends "Host: ").
  const std::string* host = custom_header(s, "host");
  if (host && adjust.keep_custom_host) {
    emit("Host: ");
    emit(*host);
  } else {
    emit("Host: ");
    emit(target.host);
    if (target.endpoint.port() != 80) {
      emit(":");
      emit(decimal(target.endpoint.port(), number));
    }
  }
  emit("\r\n");
  if (!custom_header(s, "user-agent")) {
    emit("User-Agent: ");
    emit(kUserAgent);
    emit("\r\n");
  }
  if (!custom_header(s, "accept")) emit("Accept: */*\r\n");
  if (!custom_header(s, "connection")) emit("Connection: close\r\n");
  for (const auto& [name, value] : s.headers()) {
    if (blank(value) || iequals(name, "host")) continue;
    if (!adjust.keep_credentials && (iequals(name, "authorization") || iequals(name, "cookie")))
      continue;
    emit(name);
    emit(": ");
    emit(value);
    emit("\r\n");
  }
  if (with_body) {
    emit("Content-Length: ");
    emit(decimal(s.body().size(), number));
    emit("\r\n");
    if (!custom_header(s, "content-type"))
      emit("Content-Type: application/x-www-form-urlencoded\r\n");
  }
  emit("\r\n");
  if (with_body) emit(s.body());
}

}  // namespace

std::optional<LeanTarget> lean_target(std::string_view url) {
  Url u;
  if (u.set(std::string(url), 0) != CURLUE_OK) return std::nullopt;
  auto scheme = u.get(CURLUPART_SCHEME);
  if (!scheme || *scheme != "http") return std::nullopt;
  if (u.get(CURLUPART_USER) || u.get(CURLUPART_PASSWORD) || u.get(CURLUPART_OPTIONS) ||
      u.get(CURLUPART_ZONEID))
    return std::nullopt;
  auto host = u.get(CURLUPART_HOST);
  auto port_text = u.get(CURLUPART_PORT, CURLU_DEFAULT_PORT);
  auto path = u.get(CURLUPART_PATH);
  if (!host || !port_text || !path || host->empty()) return std::nullopt;
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text->data(), port_text->data() + port_text->size(), port);
  if (ec != std::errc{} || end != port_text->data() + port_text->size() || port == 0 ||
      port > 65535)
    return std::nullopt;

  std::string literal = *host;
  bool v6 = literal.front() == '[';
  if (v6) {
    if (literal.size() < 3 || literal.back() != ']') return std::nullopt;
    literal = literal.substr(1, literal.size() - 2);
  }
  boost::system::error_code addr_ec;
  auto address = boost::asio::ip::make_address(literal, addr_ec);
  if (addr_ec || address.is_v6() != v6) return std::nullopt;

  LeanTarget t;
  t.endpoint = {address, static_cast<unsigned short>(port)};
  t.host = std::move(*host);
  t.path = std::move(*path);
  if (auto query = u.get(CURLUPART_QUERY)) {
    t.path += '?';
    t.path += *query;
  }
  if (!plain_ascii(t.path) || !plain_ascii(t.host)) return std::nullopt;
  return t;
}

void write_peer(const boost::asio::ip::tcp::endpoint& endpoint, std::string& out) {
  // inet_ntop's text, as address::to_string() gives it (a lean target has no zone id), written
  // into room for "[" + any address + "]:" + a port instead of a temporary string.
  std::array<char, INET6_ADDRSTRLEN + 8> text{};
  const auto address = endpoint.address();
  char* at = text.data();
  if (address.is_v6()) {
    *at++ = '[';
    inet_ntop(AF_INET6, address.to_v6().to_bytes().data(), at, INET6_ADDRSTRLEN);
    at += std::strlen(at);
    *at++ = ']';
  } else {
    inet_ntop(AF_INET, address.to_v4().to_bytes().data(), at, INET6_ADDRSTRLEN);
    at += std::strlen(at);
  }
  *at++ = ':';
  at = std::to_chars(at, text.data() + text.size(), endpoint.port()).ptr;
  out.assign(text.data(), at);
}

std::unique_ptr<const LeanPlan> plan_lean(const Settings& s) {
  if (s.reuse_connection || !s.client_cert().empty()) return nullptr;
  // curl sends a body with GET as a POST, and HEAD with a body oddly: leave those to curl.
  if (!s.body().empty() && (s.method == "GET" || s.method == "HEAD")) return nullptr;
  for (std::string_view name : {"content-length", "transfer-encoding", "expect"})
    if (custom_header(s, name)) return nullptr;
  auto target = lean_target(s.url);
  if (!target) return nullptr;
  auto plan = std::make_unique<LeanPlan>();
  plan->endpoint = target->endpoint;
  plan->request = render_request(s, *target);
  return plan;
}

std::string render_request(const Settings& s, const LeanTarget& target,
                           const RequestAdjustments& adjust) {
  std::size_t size = 0;
  render([&size](std::string_view piece) { size += piece.size(); }, s, target, adjust);
  std::string r;
  r.reserve(size);
  render([&r](std::string_view piece) { r += piece; }, s, target, adjust);
  return r;
}

ResolvedRedirect resolve_redirect(const std::string& base, std::string_view location) {
  ResolvedRedirect out;
  Url u;
  CURLUcode rc = u.set(base, 0);
  if (rc == CURLUE_OK) rc = u.set(std::string(location), CURLU_URLENCODE | CURLU_ALLOW_SPACE);
  if (rc != CURLUE_OK) {
    out.error =
        std::string("The redirect target URL could not be parsed: ") + curl_url_strerror(rc);
    return out;
  }
  RedirectTarget t;
  auto url = u.get(CURLUPART_URL);
  auto scheme = u.get(CURLUPART_SCHEME);
  if (!url || !scheme) {
    out.error = "The redirect target URL could not be parsed: no scheme";
    return out;
  }
  t.url = std::move(*url);
  t.scheme = std::move(*scheme);
  std::transform(t.scheme.begin(), t.scheme.end(), t.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  t.host = u.get(CURLUPART_HOST).value_or("");
  auto port = u.get(CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("0");
  std::from_chars(port.data(), port.data() + port.size(), t.port);
  out.target = std::move(t);
  return out;
}

RequestAdjustments adjustments_for(const LeanTarget& first, const RedirectTarget& next,
                                   bool drop_body) {
  RequestAdjustments a;
  a.drop_body = drop_body;
  const bool same_host = iequals(first.host, next.host);
  a.keep_custom_host = same_host;
  a.keep_credentials = same_host && next.port == first.endpoint.port() && next.scheme == "http";
  return a;
}

}  // namespace lk::probe::http
