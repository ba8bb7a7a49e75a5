#include "alert/notify/pushover/pushover.hpp"

#include <algorithm>
#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"
#include "core/time.hpp"

namespace lk::alert::pushover {
namespace {

// Pushover's documented limits: message 1024 characters, title 250, url_title 100.
constexpr std::size_t kMessageMax = 1024;
constexpr std::size_t kTitleMax = 250;

constexpr std::array kOptions{
    config::Option{"app_token", "string", "",
                   "API token of your application (pushover.net/apps), e.g. ${PUSHOVER_APP_TOKEN}.",
                   true},
    config::Option{"user_key", "string", "",
                   "User or group key to notify, e.g. ${PUSHOVER_USER_KEY}.", true},
    config::Option{"device", "string", "",
                   "Notify only this device of the user; empty: all of them."},
    config::Option{"problem_priority", "string", "1",
                   "Priority of problems: -2 to 2, or lowest, low, normal, high, emergency "
                   "(emergency repeats until acknowledged in the app)."},
    config::Option{"recovery_priority", "string", "0",
                   "Priority of recoveries and acknowledgements: -2 to 2, or lowest, low, normal, "
                   "high, emergency."},
    config::Option{"emergency_retry", "duration", "60s",
                   "At emergency priority: how often Pushover repeats the alert (at least 30s)."},
    config::Option{"emergency_expire", "duration", "1h",
                   "At emergency priority: how long Pushover keeps repeating it (at most 3h)."},
    config::Option{"url", "string", "https://api.pushover.net/1/messages.json",
                   "Messages API endpoint."},
    config::Option{"template", "string", "",
                   "Message text with {{placeholders}}; empty: the body."},
};

constexpr std::array<detail::NamedLevel, 5> kPriorities{
    {{"lowest", -2}, {"low", -1}, {"normal", 0}, {"high", 1}, {"emergency", 2}}};

// Pushover's documented bounds for emergency retry and expire.
constexpr std::chrono::seconds kRetryMin{30};
constexpr std::chrono::seconds kExpireMax{10800};

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

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.app_token = detail::read_nonempty(fields, "app_token");
  s.user_key = detail::read_nonempty(fields, "user_key");
  s.device = fields.string("device");
  s.problem_priority = detail::read_level(fields, "problem_priority", -2, 2, kPriorities);
  s.recovery_priority = detail::read_level(fields, "recovery_priority", -2, 2, kPriorities);
  Duration retry = fields.duration("emergency_retry");
  if (retry < kRetryMin)
    fields.error("emergency_retry",
                 "must be at least 30s (Pushover's minimum), got " + format_duration(retry));
  s.emergency_retry = std::max(std::chrono::duration_cast<std::chrono::seconds>(retry), kRetryMin);
  Duration expire = fields.duration("emergency_expire");
  if (expire > kExpireMax)
    fields.error("emergency_expire",
                 "must be at most 3h (Pushover's maximum), got " + format_duration(expire));
  s.emergency_expire =
      std::chrono::duration_cast<std::chrono::seconds>(std::min<Duration>(expire, kExpireMax));
  s.url = detail::read_url(fields, "url");
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::pushover
