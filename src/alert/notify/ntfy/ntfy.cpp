#include "alert/notify/ntfy/ntfy.hpp"

#include <algorithm>

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

}  // namespace lk::alert::ntfy
