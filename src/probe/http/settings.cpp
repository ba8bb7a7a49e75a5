#include "probe/http/settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "probe/http/lean_request.hpp"

namespace lk::probe::http {

namespace {

constexpr std::array kOptions{
    config::Option{"url", "string", "", "URL to request (http:// or https://).", true},
    config::Option{"method", "string", "GET",
                   "HTTP method: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS."},
    config::Option{"headers", "map", "",
                   "Request headers, e.g. {Authorization: \"Bearer ${TOKEN}\"}."},
    config::Option{"body", "string", "", "Request body (for POST/PUT/PATCH)."},
    config::Option{"follow_redirects", "bool", "true",
                   "Follow 3xx redirects; off judges the 3xx itself."},
    config::Option{"max_redirects", "int", "10", "Redirects followed at most."},
    config::Option{"verify_tls", "bool", "true",
                   "Verify the server certificate chain and host name."},
    config::Option{"ca_file", "string", "",
                   "PEM file of CA certificates to trust instead of the system's."},
    config::Option{"client_cert", "string", "", "PEM client certificate for mutual TLS."},
    config::Option{"client_key", "string", "", "PEM private key of the client certificate."},
    config::Option{"max_body", "size", "1MiB",
                   "Bytes of the answer body read; the rest is not downloaded."},
    config::Option{"reuse_connection", "bool", "false",
                   "Keep connections open between runs (default: a fresh connection per check, as "
                   "a user sees it)."},
};

constexpr std::array<std::string_view, 7> kMethods{"GET",   "HEAD",   "POST",   "PUT",
                                                   "PATCH", "DELETE", "OPTIONS"};

bool has_http_scheme(std::string_view url) {
  auto lower = std::string(url.substr(0, 8));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower.starts_with("http://") || lower.starts_with("https://");
}

}  // namespace

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  s->url = fields.string("url");
  if (fields.has("url") && !has_http_scheme(s->url)) {
    fields.error("url", "expected an http:// or https:// URL, got \"" + s->url + "\"");
  }
  s->method = fields.string("method");
  std::transform(s->method.begin(), s->method.end(), s->method.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  if (std::find(kMethods.begin(), kMethods.end(), s->method) == kMethods.end()) {
    fields.error("method", "unsupported method \"" + s->method +
                               "\"; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS");
  }
  s->headers = fields.string_map("headers");
  s->body = fields.string("body");
  s->follow_redirects = fields.boolean("follow_redirects");
  s->max_redirects = static_cast<int>(fields.integer("max_redirects", 0, 100));
  s->verify_tls = fields.boolean("verify_tls");
  s->ca_file = fields.string("ca_file");
  s->client_cert = fields.string("client_cert");
  s->client_key = fields.string("client_key");
  if (!s->client_key.empty() && s->client_cert.empty()) {
    fields.error("client_key", "client_key needs client_cert");
  }
  s->max_body = fields.size("max_body");
  s->reuse_connection = fields.boolean("reuse_connection");
  spec.target = s->url;
  return s;
}

const LeanPlan* Settings::lean_plan() const {
  if (lean_.disabled) return nullptr;
  // A check runs on one shard at a time, but call_once keeps this safe regardless.
  std::call_once(*lean_.once, [this] { lean_.plan = plan_lean(*this); });
  return lean_.plan.get();
}

}  // namespace lk::probe::http
