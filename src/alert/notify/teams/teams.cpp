#include "alert/notify/teams/teams.hpp"

#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::teams {
namespace {

constexpr std::array kOptions{
    config::Option{"url", "string", "",
                   "Workflows webhook URL (\"When a Teams webhook request is received\"; its sig= "
                   "parameter is the secret), e.g. ${TEAMS_WEBHOOK_URL}.",
                   true},
    config::Option{"template", "string", "",
                   "The card's text in Markdown with {{placeholders}}; empty: the body."},
};

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  const char* colour = m.is_recovery()                  ? "Good"
                       : m.event == Event::acknowledged ? "Accent"
                       : m.to == State::warn            ? "Warning"
                                                        : "Attention";
  // TextBlock Markdown needs a blank line for a line break.
  std::string text =
      render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m);
  std::string markdown;
  for (char c : text) markdown += c == '\n' ? std::string("\n\n") : std::string(1, c);
  nlohmann::ordered_json actions = nlohmann::ordered_json::array();
  if (!m.status_page_url.empty()) {
    actions.push_back(
        {{"type", "Action.OpenUrl"}, {"title", "Status page"}, {"url", m.status_page_url}});
  }
  if (m.event == Event::problem && !m.ack_url.empty()) {
    actions.push_back({{"type", "Action.OpenUrl"}, {"title", "Acknowledge"}, {"url", m.ack_url}});
  }
  nlohmann::ordered_json card = {
      {"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
      {"type", "AdaptiveCard"},
      {"version", kAdaptiveCardVersion},
      {"body", nlohmann::ordered_json::array(
                   {{{"type", "TextBlock"},
                     {"text", default_title(m)},
                     {"weight", "Bolder"},
                     {"size", "Medium"},
                     {"color", colour},
                     {"wrap", true}},
                    {{"type", "TextBlock"}, {"text", markdown}, {"wrap", true}}})},
  };
  if (!actions.empty()) card["actions"] = actions;
  nlohmann::ordered_json body = {
      {"type", "message"},
      {"attachments",
       nlohmann::ordered_json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                       {"contentUrl", nullptr},
                                       {"content", card}}})},
  };
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
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::teams
