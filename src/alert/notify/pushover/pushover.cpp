#include "alert/notify/pushover/pushover.hpp"

#include <algorithm>

#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::pushover {
namespace {

// Pushover's documented limits: message 1024 characters, title 250, url_title 100.
constexpr std::size_t kMessageMax = 1024;
constexpr std::size_t kTitleMax = 250;

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  int priority =
      std::clamp(m.event == Event::problem ? s.problem_priority : s.recovery_priority, -2, 2);
  std::vector<std::pair<std::string, std::string>> fields = {
      {"token", s.app_token},
      {"user", s.user_key},
      {"message",
       detail::truncate_utf8(
           render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m),
           kMessageMax)},
      {"title", detail::truncate_utf8(default_title(m), kTitleMax)},
      {"priority", std::to_string(priority)},
      {"timestamp",
       std::to_string(
           std::chrono::duration_cast<std::chrono::seconds>(m.at.time_since_epoch()).count())},
  };
  if (priority == 2) {
    fields.emplace_back("retry",
                        std::to_string(std::max<long long>(s.emergency_retry.count(), 30)));
    fields.emplace_back("expire",
                        std::to_string(std::min<long long>(s.emergency_expire.count(), 10800)));
  }
  if (m.event == Event::problem && !m.ack_url.empty()) {
    fields.emplace_back("url", m.ack_url);
    fields.emplace_back("url_title", "Acknowledge");
  } else if (!m.status_page_url.empty()) {
    fields.emplace_back("url", m.status_page_url);
    fields.emplace_back("url_title", "Status page");
  }
  if (!s.device.empty()) fields.emplace_back("device", s.device);
  HttpRequest request;
  request.method = "POST";
  request.url = s.url;
  request.headers.emplace_back("Content-Type", std::string(kForm));
  request.body = form_encode(fields);
  request.idempotency_key = m.id;
  request.secrets = {s.app_token, s.user_key};
  return request;
}

}  // namespace lk::alert::pushover
