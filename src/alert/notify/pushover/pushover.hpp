#pragma once
// Pushover: POST https://api.pushover.net/1/messages.json as a form with token, user, message,
// title, priority, url, url_title and timestamp; emergency priority (2) adds retry and expire.

#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::pushover {

struct Settings {
  std::string app_token;     ///< the application's API token
  std::string user_key;      ///< user or group key
  std::string device;        ///< optional
  int problem_priority = 1;  ///< -2 … 2; 2 repeats until acknowledged in the app
  int recovery_priority = 0;
  std::chrono::seconds emergency_retry{60};     ///< Pushover's minimum is 30 s
  std::chrono::seconds emergency_expire{3600};  ///< Pushover's maximum is 10800 s
  std::string url = "https://api.pushover.net/1/messages.json";
  std::string template_text;
};

inline constexpr std::string_view kDefaultTemplate = "{{body}}";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: pushover` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::pushover
