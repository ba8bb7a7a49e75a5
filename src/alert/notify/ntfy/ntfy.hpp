#pragma once
// ntfy: POST <server>/<topic> with the message as the plain-text body and Title, Priority,
// Tags, Click and Actions headers; access tokens as "Authorization: Bearer tk_…".

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::ntfy {

struct Settings {
  std::string server = "https://ntfy.sh";
  std::string topic;
  std::string access_token;  ///< optional: Authorization: Bearer <token>
  std::string username;      ///< optional, with password: Authorization: Basic
  std::string password;
  int problem_priority = 5;   ///< 1 (min) … 5 (max/urgent)
  int recovery_priority = 3;  ///< 3 is ntfy's default
  std::string template_text;
};

inline constexpr std::string_view kDefaultTemplate = "{{body}}";

HttpRequest build(const Message& m, const Settings& s);

/// A header value as ntfy accepts it: as is when ASCII, otherwise RFC 2047
/// "=?UTF-8?B?<base64>?=".
std::string header_value(std::string_view text);

/// The `type: ntfy` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::ntfy
