#pragma once
// Mattermost incoming webhook: POST {text, username, icon_url, channel} as JSON (Markdown text).

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::mattermost {

struct Settings {
  std::string webhook_url;  ///< https://mattermost.example.com/hooks/<key>
  std::string channel;      ///< optional override of the hook's channel
  std::string username;     ///< optional override of the posting name
  std::string icon_url;     ///< optional
  std::string template_text;
};

inline constexpr std::string_view kDefaultTemplate = "#### {{title}}\n{{body}}";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: mattermost` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::mattermost
