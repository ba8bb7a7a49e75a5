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

/// Stands in for the plan of a check that is not a lean check, so that this too is decided once.
const LeanPlan kNotLean{};

bool is_empty(const Settings::Extras& e) {
  return e.headers.empty() && e.body.empty() && e.ca_file.empty() && e.client_cert.empty() &&
         e.client_key.empty();
}

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
  Settings::Extras extras;
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
  extras.headers = fields.string_map("headers");
  extras.body = fields.string("body");
  s->follow_redirects = fields.boolean("follow_redirects");
  s->max_redirects = static_cast<int>(fields.integer("max_redirects", 0, 100));
  s->verify_tls = fields.boolean("verify_tls");
  extras.ca_file = fields.string("ca_file");
  extras.client_cert = fields.string("client_cert");
  extras.client_key = fields.string("client_key");
  if (!extras.client_key.empty() && extras.client_cert.empty()) {
    fields.error("client_key", "client_key needs client_cert");
  }
  s->max_body = fields.size("max_body");
  s->reuse_connection = fields.boolean("reuse_connection");
  if (!is_empty(extras)) s->edit_extras() = std::move(extras);
  spec.target = s->url;
  return s;
}

const Settings::Extras Settings::kNoExtras{};

Settings::Extras& Settings::edit_extras() {
  if (!extras_.ptr) extras_.ptr = std::make_unique<Extras>();
  return *extras_.ptr;
}

const LeanPlan* Settings::lean_plan() const {
  if (lean_disabled_) return nullptr;
  return lean_.get(*this);
}

Settings::LazyPlan& Settings::LazyPlan::operator=(const LazyPlan& other) noexcept {
  if (this != &other) reset();
  return *this;
}

Settings::LazyPlan::~LazyPlan() {
  reset();
}

void Settings::LazyPlan::reset() noexcept {
  const LeanPlan* plan = plan_.exchange(nullptr, std::memory_order_acq_rel);
  if (plan != &kNotLean) delete plan;
}

const LeanPlan* Settings::LazyPlan::get(const Settings& s) const {
  const LeanPlan* plan = plan_.load(std::memory_order_acquire);
  if (!plan) {
    // A check runs on one shard at a time, so a race is rare: the loser's plan is freed by
    // `built`, and it uses the winner's.
    std::unique_ptr<const LeanPlan> built = plan_lean(s);
    const LeanPlan* mine = built ? built.get() : &kNotLean;
    if (plan_.compare_exchange_strong(plan, mine, std::memory_order_acq_rel,
                                      std::memory_order_acquire)) {
      built.release();  // owned by plan_ now
      plan = mine;
    }
  }
  return plan == &kNotLean ? nullptr : plan;
}

}  // namespace lk::probe::http
