#pragma once
// A generic HTTP SMS gateway: the user describes the request (method, URL template, header
// templates, body template) and Lightkeeper fills in {{recipient}}, {{text}} and every message
// placeholder, escaped for where each one lands: percent-encoded in the URL, form-encoded or
// JSON-escaped in the body (by Content-Type), line breaks removed in headers.

#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::sms_gateway {

struct Settings {
  std::string method = "POST";
  std::string url_template;  ///< e.g. "https://sms.example.com/send?to={{recipient}}"
  std::vector<std::pair<std::string, std::string>> headers;  ///< values are templates
  std::string content_type = "application/x-www-form-urlencoded";
  std::string body_template;         ///< e.g. "to={{recipient}}&msg={{text}}"; empty for no body
  std::string recipient;             ///< the phone number
  std::string text_template;         ///< the SMS text ({{text}}); empty for the default
  std::vector<std::string> secrets;  ///< values to mask in logs (API keys in the templates)
};

/// The same lock-screen text as the Twilio channel.
inline constexpr std::string_view kDefaultTextTemplate =
    "{{title}}\nFrom: {{location}}\nSince: {{since}}\n{{error}}\nAck: {{ack_url}}";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: sms_gateway` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::sms_gateway
