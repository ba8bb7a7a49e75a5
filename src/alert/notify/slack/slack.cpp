#include "alert/notify/slack/slack.hpp"

#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::slack {
namespace {

// Slack's documented limits: header text 150 characters, section text 3000.
constexpr std::size_t kHeaderMax = 150;
constexpr std::size_t kSectionMax = 3000;

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

}  // namespace lk::alert::slack
