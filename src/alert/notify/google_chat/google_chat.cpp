#include "alert/notify/google_chat/google_chat.hpp"

#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::google_chat {
namespace {

constexpr std::array kOptions{
    config::Option{"url", "string", "",
                   "Space webhook URL (https://chat.googleapis.com/v1/spaces/…?key=…&token=…; "
                   "the URL is the secret), e.g. ${GOOGLE_CHAT_WEBHOOK_URL}.",
                   true},
    config::Option{"thread_per_incident", "bool", "true",
                   "Post every message of one incident in one thread; false: each message starts "
                   "a thread."},
    config::Option{"template", "string", "",
                   "Message text (*bold*, _italic_) with {{placeholders}}; empty: the title in "
                   "bold, then the body."},
};

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  nlohmann::ordered_json body = {
      {"text", render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m)}};
  std::string url = s.webhook_url;
  if (s.thread_per_incident) {
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += "threadKey=" + percent_encode(m.incident_key()) +
           "&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD";
  }
  HttpRequest request =
      detail::json_request("POST", std::move(url), body, m, "application/json; charset=UTF-8");
  request.secrets.push_back(detail::url_credential(s.webhook_url));
  return request;
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.webhook_url = detail::read_url(fields, "url");
  s.thread_per_incident = fields.boolean("thread_per_incident");
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::google_chat
