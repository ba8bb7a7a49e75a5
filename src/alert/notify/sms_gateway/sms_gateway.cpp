#include "alert/notify/sms_gateway/sms_gateway.hpp"

#include <nlohmann/json.hpp>

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

}  // namespace lk::alert::sms_gateway
