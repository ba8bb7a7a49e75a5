#include "alert/notify/gotify/gotify.hpp"

#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::gotify {
namespace {

constexpr std::array kOptions{
    config::Option{"server", "string", "",
                   "Base URL of the Gotify server, e.g. https://gotify.example.com.", true},
    config::Option{"app_token", "string", "", "Application token, e.g. ${GOTIFY_TOKEN}.", true},
    config::Option{"problem_priority", "int", "8",
                   "Priority of problems, 0 to 10 (the Android app pops up at 8 and above)."},
    config::Option{"recovery_priority", "int", "4",
                   "Priority of recoveries and acknowledgements, 0 to 10."},
    config::Option{"template", "string", "",
                   "Message text with {{placeholders}}; empty: the body."},
};

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  nlohmann::ordered_json body = {
      {"title", default_title(m)},
      {"message", render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m)},
      {"priority", m.event == Event::problem ? s.problem_priority : s.recovery_priority},
  };
  std::string click =
      m.event == Event::problem && !m.ack_url.empty() ? m.ack_url : m.status_page_url;
  if (!click.empty()) {
    body["extras"] = {{"client::notification", {{"click", {{"url", click}}}}}};
  }
  HttpRequest request = detail::json_request(
      "POST", detail::join_url(s.server, "/message?token=" + percent_encode(s.app_token)), body, m);
  request.secrets.push_back(s.app_token);
  return request;
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.server = detail::read_url(fields, "server");
  s.app_token = detail::read_nonempty(fields, "app_token");
  s.problem_priority = static_cast<int>(fields.integer("problem_priority", 0, 10));
  s.recovery_priority = static_cast<int>(fields.integer("recovery_priority", 0, 10));
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::gotify
