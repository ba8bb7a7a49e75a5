#include "alert/notify/webhook/webhook.hpp"

#include <array>
#include <chrono>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::webhook {
namespace {

constexpr std::array kOptions{
    config::Option{"url", "string", "", "Where to send the message as JSON (http:// or https://).",
                   true},
    config::Option{"method", "string", "POST", "HTTP method: GET, POST, PUT, PATCH or DELETE."},
    config::Option{"headers", "map", "",
                   "Extra request headers, e.g. {Authorization: \"Bearer ${HOOK_TOKEN}\"}."},
    config::Option{"secret", "string", "",
                   "Key of the X-Lightkeeper-Signature header (sha256=<hex HMAC-SHA256 of the "
                   "body>), e.g. ${WEBHOOK_SECRET}; empty: the request is not signed."},
    config::Option{"template", "string", "",
                   "The body's `text` field, with {{placeholders}}; empty: the title, then the "
                   "body."},
};

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  nlohmann::ordered_json body = {
      {"version", 1},
      {"id", m.id},
      {"event", to_string(m.event)},
      {"check", m.check},
      {"from", lk::to_string(m.from)},
      {"to", lk::to_string(m.to)},
      {"severity", lk::to_string(m.severity)},
      {"since", format_time(m.since)},
      {"time", format_time(m.at)},
      {"duration_seconds",
       std::chrono::duration_cast<std::chrono::seconds>(m.at - m.since).count()},
      {"error", m.last_error},
      {"location", m.location},
      {"incident", {{"id", m.incident_id}, {"key", m.incident_key()}}},
      {"status_page_url", m.status_page_url},
      {"ack_url", m.is_recovery() ? std::string{} : m.ack_url},
      {"acknowledged_by", m.acknowledged_by},
      {"note", m.note},
      {"title", default_title(m)},
      {"text", render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m)},
  };
  HttpRequest request = detail::json_request(s.method, s.url, body, m);
  request.headers.emplace_back("User-Agent", "Lightkeeper");
  request.headers.emplace_back("X-Lightkeeper-Event", std::string(to_string(m.event)));
  request.headers.emplace_back("Idempotency-Key", m.id);
  if (!s.secret.empty()) {
    request.headers.emplace_back(std::string(kSignatureHeader),
                                 "sha256=" + hmac_sha256_hex(s.secret, request.body));
    request.secrets.push_back(s.secret);
  }
  for (const auto& header : s.headers) request.headers.push_back(header);
  return request;
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.url = detail::read_url(fields, "url");
  s.method = detail::read_method(fields, "method");
  s.headers = detail::read_headers(fields, "headers");
  s.secret = fields.string("secret");
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::webhook
