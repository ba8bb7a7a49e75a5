#include "alert/notify/mattermost/mattermost.hpp"

#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::mattermost {
namespace {

constexpr std::array kOptions{
    config::Option{"url", "string", "",
                   "Incoming webhook URL (https://mattermost.example.com/hooks/…; the URL is the "
                   "secret), e.g. ${MATTERMOST_WEBHOOK_URL}.",
                   true},
    config::Option{"channel", "string", "",
                   "Channel to post in instead of the hook's own, e.g. town-square (if the hook "
                   "may)."},
    config::Option{"username", "string", "",
                   "Name to post as instead of the hook's own (if the server allows it)."},
    config::Option{"icon_url", "string", "",
                   "URL of the picture to post with (http:// or https://)."},
    config::Option{"template", "string", "",
                   "Message text in Markdown with {{placeholders}}; empty: the title as a heading, "
                   "then the body."},
};

}  // namespace

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

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.webhook_url = detail::read_url(fields, "url");
  s.channel = fields.string("channel");
  s.username = fields.string("username");
  s.icon_url = detail::read_url(fields, "icon_url");
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::mattermost
