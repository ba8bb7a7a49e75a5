#include "alert/notify/google_chat/google_chat.hpp"

#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::google_chat {

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

}  // namespace lk::alert::google_chat
