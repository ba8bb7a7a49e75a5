#include "alert/notify/gotify/gotify.hpp"

#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::gotify {

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

}  // namespace lk::alert::gotify
