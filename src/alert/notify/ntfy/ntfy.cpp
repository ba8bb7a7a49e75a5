#include "alert/notify/ntfy/ntfy.hpp"

#include <algorithm>
#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::ntfy {
namespace {

// Tags that match an emoji short code are shown as the emoji in front of the title.
std::string tags(const Message& m) {
  switch (m.event) {
    case Event::recovery:
      return "white_check_mark,lightkeeper," + m.check;
    case Event::acknowledged:
      return "eyes,lightkeeper," + m.check;
    case Event::problem:
      break;
  }
  return (m.to == State::warn ? "warning" : "rotating_light") + std::string(",lightkeeper,") +
         m.check;
}

constexpr std::array kOptions{
    config::Option{"server", "string", "https://ntfy.sh", "Base URL of the ntfy server."},
    config::Option{"topic", "string", "",
                   "Topic to publish to: 1 to 64 letters, digits, - and _ (on ntfy.sh whoever "
                   "knows a topic can read it: pick a hard one).",
                   true},
    config::Option{"access_token", "string", "",
                   "Access token (tk_…), e.g. ${NTFY_TOKEN}; or give username and password."},
    config::Option{"username", "string", "", "User for Basic auth, with password."},
    config::Option{"password", "string", "",
                   "Password for Basic auth, with username, e.g. ${NTFY_PASSWORD}."},
    config::Option{"problem_priority", "string", "5",
                   "Priority of problems: 1 to 5, or min, low, default, high, max (or urgent)."},
    config::Option{"recovery_priority", "string", "3",
                   "Priority of recoveries and acknowledgements: 1 to 5, or min, low, default, "
                   "high, max (or urgent)."},
    config::Option{"template", "string", "",
                   "Message text with {{placeholders}}; empty: the body (the title goes in the "
                   "Title header)."},
};

constexpr std::array<detail::NamedLevel, 6> kPriorities{
    {{"min", 1}, {"low", 2}, {"default", 3}, {"high", 4}, {"max", 5}, {"urgent", 5}}};

// ntfy's own rule for topic names.
bool is_topic(std::string_view topic) {
  return !topic.empty() && topic.size() <= 64 &&
         std::all_of(topic.begin(), topic.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

}  // namespace

std::string header_value(std::string_view text) {
  bool ascii = std::all_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7F;
  });
  if (ascii) return std::string(text);
  return "=?UTF-8?B?" + base64(text) + "?=";
}

HttpRequest build(const Message& m, const Settings& s) {
  HttpRequest request;
  request.method = "POST";
  request.url = detail::join_url(s.server, "/" + percent_encode(s.topic));
  request.body = render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m);
  request.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  request.headers.emplace_back("Title", header_value(default_title(m)));
  int priority = m.event == Event::problem ? s.problem_priority : s.recovery_priority;
  request.headers.emplace_back("Priority", std::to_string(std::clamp(priority, 1, 5)));
  request.headers.emplace_back("Tags", header_value(tags(m)));
  if (!m.status_page_url.empty()) request.headers.emplace_back("Click", m.status_page_url);
  if (m.event == Event::problem && !m.ack_url.empty()) {
    // ntfy's short action format: "<action>, <label>, <url>"; "view" opens the link.
    request.headers.emplace_back("Actions", "view, Acknowledge, " + m.ack_url);
  }
  if (!s.access_token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + s.access_token);
    request.secrets.push_back(s.access_token);
  } else if (!s.username.empty()) {
    std::string credentials = base64(s.username + ":" + s.password);
    request.headers.emplace_back("Authorization", "Basic " + credentials);
    request.secrets.push_back(credentials);
    request.secrets.push_back(s.password);
  }
  request.idempotency_key = m.id;
  return request;
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.server = detail::read_url(fields, "server");
  s.topic = detail::read_nonempty(fields, "topic");
  if (!s.topic.empty() && !is_topic(s.topic))
    fields.error("topic",
                 "expected 1 to 64 letters, digits, - or _, got " + detail::quoted(s.topic));
  s.access_token = fields.string("access_token");
  s.username = fields.string("username");
  s.password = fields.string("password");
  if (!s.access_token.empty() && !s.username.empty())
    fields.error("access_token", "give access_token or username and password, not both");
  if (!s.username.empty() && s.password.empty())
    fields.error("password", "missing: username needs a password");
  if (s.username.empty() && !s.password.empty())
    fields.error("username", "missing: password needs a username");
  s.problem_priority = detail::read_level(fields, "problem_priority", 1, 5, kPriorities);
  s.recovery_priority = detail::read_level(fields, "recovery_priority", 1, 5, kPriorities);
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::ntfy
