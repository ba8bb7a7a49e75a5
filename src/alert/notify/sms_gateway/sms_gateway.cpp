#include "alert/notify/sms_gateway/sms_gateway.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/encoding.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::sms_gateway {
namespace {

std::string json_escaped(std::string_view value) {
  std::string quoted = nlohmann::json(std::string(value))
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

std::string form_value(std::string_view value) {
  return form_encode({{"", std::string(value)}}).substr(1);
}

// A header value must stay on one line, or a message could inject headers.
std::string single_line(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

constexpr std::array kOptions{
    config::Option{"url", "string", "",
                   "URL template of the gateway's send request, e.g. "
                   "https://sms.example.com/send?to={{recipient}}&key=${SMS_KEY} (values are "
                   "percent-encoded).",
                   true},
    config::Option{"method", "string", "POST", "HTTP method: GET, POST, PUT, PATCH or DELETE."},
    config::Option{"headers", "map", "",
                   "Request headers; their values are templates, e.g. {Authorization: \"Bearer "
                   "${SMS_TOKEN}\"}."},
    config::Option{"content_type", "string", "application/x-www-form-urlencoded",
                   "Content-Type of the body; it decides how values are escaped in the body "
                   "(form-encoded, JSON-escaped, or as they are)."},
    config::Option{"body", "string", "",
                   "Body template, e.g. \"to={{recipient}}&msg={{text}}\"; empty: no body."},
    config::Option{"recipient", "string", "",
                   "Phone number to send to, as the gateway wants it ({{recipient}}).", true},
    config::Option{"template", "string", "",
                   "SMS text ({{text}}) with {{placeholders}}; empty: title, location, since, "
                   "error and acknowledge link, one a line."},
    config::Option{"secrets", "list", "",
                   "Values to mask in logs: the keys written into url, headers or body, e.g. "
                   "[\"${SMS_KEY}\"]."},
};

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  const Variables extra = {
      {"recipient", s.recipient},
      {"text",
       render_template(s.text_template.empty() ? kDefaultTextTemplate : s.text_template, m)}};
  Escape body_escape;
  if (s.content_type.find("json") != std::string::npos) {
    body_escape = json_escaped;
  } else if (s.content_type.find("x-www-form-urlencoded") != std::string::npos) {
    body_escape = form_value;
  }
  HttpRequest request;
  request.method = s.method;
  request.url = render_template(s.url_template, m, percent_encode, extra, false);
  if (!s.body_template.empty()) {
    request.headers.emplace_back("Content-Type", s.content_type);
    request.body = render_template(s.body_template, m, body_escape, extra, false);
  }
  for (const auto& [name, value] : s.headers) {
    request.headers.emplace_back(name, render_template(value, m, single_line, extra, false));
  }
  request.idempotency_key = m.id;
  request.secrets = s.secrets;
  return request;
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  // What url, headers and body may use besides the message placeholders.
  const Variables request_variables{{"recipient", ""}, {"text", ""}};
  s.url_template = detail::read_url(fields, "url");
  detail::check_template(fields, "url", s.url_template, request_variables);
  s.method = detail::read_method(fields, "method");
  s.headers = detail::read_headers(fields, "headers");
  for (const auto& [name, value] : s.headers)
    detail::check_template(fields, "headers", value, request_variables, "header " + name + ": ");
  s.content_type = detail::read_nonempty(fields, "content_type");
  s.body_template = detail::read_template(fields, "body", request_variables);
  s.recipient = detail::read_nonempty(fields, "recipient");
  s.text_template = detail::read_template(fields, "template");
  s.secrets = fields.string_list("secrets");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::sms_gateway
