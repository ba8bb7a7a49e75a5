#pragma once
// Mattermost incoming webhook: POST {text, username, icon_url, channel} as JSON (Markdown text).

#include <string>

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

}  // namespace lk::alert::mattermost
