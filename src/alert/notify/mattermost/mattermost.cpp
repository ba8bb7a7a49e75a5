#include "alert/notify/mattermost/mattermost.hpp"

#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::mattermost {

HttpRequest build(const Message& m, const Settings& s) {
  nlohmann::ordered_json body = {
      {"text", render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m)}};
  if (!s.channel.empty()) body["channel"] = s.channel;
  if (!s.username.empty()) body["username"] = s.username;
  if (!s.icon_url.empty()) body["icon_url"] = s.icon_url;
  HttpRequest request = detail::json_request("POST", s.webhook_url, body, m);
  request.secrets.push_back(detail::url_credential(s.webhook_url));
  return request;
}

}  // namespace lk::alert::mattermost
