#include "alert/notify/slack/slack.hpp"

#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::slack {
namespace {

// Slack's documented limits: header text 150 characters, section text 3000.
constexpr std::size_t kHeaderMax = 150;
constexpr std::size_t kSectionMax = 3000;

constexpr std::array kOptions{
    config::Option{"url", "string", "",
                   "Incoming webhook URL (https://hooks.slack.com/services/…; the URL is the "
                   "secret), e.g. ${SLACK_WEBHOOK_URL}.",
                   true},
    config::Option{"template", "string", "",
                   "Message text in Slack mrkdwn with {{placeholders}} (their values are "
                   "escaped); empty: the title in bold, then the body."},
    config::Option{"blocks", "bool", "true",
                   "Lay the message out as a header block and a section (the text stays the "
                   "notification's fallback); false: plain text only."},
};

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  std::string text = render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text,
                                     m, detail::escape_html);
  nlohmann::ordered_json body = {{"text", text}};
  if (s.blocks) {
    nlohmann::ordered_json section_text = {{"type", "mrkdwn"},
                                           {"text", detail::truncate_utf8(text, kSectionMax)}};
    body["blocks"] = nlohmann::ordered_json::array(
        {{{"type", "header"},
          {"text",
           {{"type", "plain_text"},
            {"text", detail::truncate_utf8(default_title(m), kHeaderMax)}}}},
         {{"type", "section"}, {"text", section_text}}});
  }
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
  s.template_text = detail::read_template(fields, "template");
  s.blocks = fields.boolean("blocks");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::slack
