#pragma once
// Gotify: POST <server>/message?token=<application token> with JSON {title, message, priority,
// extras}; the click-through link goes in extras["client::notification"].click.url.

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::gotify {

struct Settings {
  std::string server;     ///< https://gotify.example.com
  std::string app_token;  ///< an application token
  int problem_priority = 8;
  int recovery_priority = 4;
  std::string template_text;
};

inline constexpr std::string_view kDefaultTemplate = "{{body}}";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: gotify` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::gotify
