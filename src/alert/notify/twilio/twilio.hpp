#pragma once
// Twilio SMS: POST https://api.twilio.com/2010-04-01/Accounts/<AccountSid>/Messages.json,
// form fields To, From (or MessagingServiceSid) and Body, HTTP Basic auth AccountSid:AuthToken.

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::twilio {

struct Settings {
  std::string account_sid;  ///< "AC…"
  std::string auth_token;
  std::string from;                   ///< E.164 sender number; or
  std::string messaging_service_sid;  ///< "MG…", used instead of From when set
  std::string to;                     ///< E.164 recipient
  std::string api_url = "https://api.twilio.com";
  std::string template_text;
};

/// Short on purpose: an SMS is read on a lock screen.
inline constexpr std::string_view kDefaultTemplate =
    "{{title}}\nFrom: {{location}}\nSince: {{since}}\n{{error}}\nAck: {{ack_url}}";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: twilio` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::twilio
