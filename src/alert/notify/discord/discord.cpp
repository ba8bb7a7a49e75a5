#include "alert/notify/discord/discord.hpp"

#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::discord {
namespace {

// Discord's documented limits: content 2000, embed title 256, embed description 4096.
constexpr std::size_t kContentMax = 2000;
constexpr std::size_t kTitleMax = 256;
constexpr std::size_t kDescriptionMax = 4096;

int colour(const Message& m) {
  switch (m.event) {
    case Event::recovery:
      return kGreen;
    case Event::acknowledged:
      return kBlue;
    case Event::problem:
      break;
  }
  return m.to == State::warn ? kAmber : kRed;
}

constexpr std::array kOptions{
    config::Option{"url", "string", "",
                   "Webhook URL (https://discord.com/api/webhooks/<id>/<token>; the URL is the "
                   "secret), e.g. ${DISCORD_WEBHOOK_URL}.",
                   true},
    config::Option{"username", "string", "", "Name to post as instead of the webhook's own."},
    config::Option{"content", "string", "",
                   "Plain text above the embed, e.g. \"<@&123456789>\" to mention a role (only "
                   "this text can mention anyone)."},
    config::Option{"template", "string", "",
                   "The embed's description in Discord Markdown with {{placeholders}}; empty: the "
                   "body."},
};

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  // The check's text goes in the embed, where Discord never turns "@everyone" into a ping;
  // only `content`, which the user writes, can mention anyone.
  nlohmann::ordered_json embed = {
      {"title", detail::truncate_utf8(default_title(m), kTitleMax)},
      {"description",
       detail::truncate_utf8(
           render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m),
           kDescriptionMax)},
      {"color", colour(m)},
      {"timestamp", format_time(m.at)},
  };
  if (!m.status_page_url.empty()) embed["url"] = m.status_page_url;
  nlohmann::ordered_json body;
  if (!s.content.empty()) body["content"] = detail::truncate_utf8(s.content, kContentMax);
  if (!s.username.empty()) body["username"] = s.username;
  body["embeds"] = nlohmann::ordered_json::array({embed});
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
  s.username = fields.string("username");
  s.content = fields.string("content");
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::discord
