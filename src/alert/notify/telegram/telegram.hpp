#pragma once
// Telegram Bot API: POST https://api.telegram.org/bot<token>/sendMessage with JSON
// {chat_id, text, parse_mode: "HTML", link_preview_options}.

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::telegram {

struct Settings {
  std::string bot_token;  ///< "123456:ABC-DEF…"; it is part of the URL, so the URL is secret
  std::string chat_id;    ///< numeric id ("-1001234567890") or "@channelname"
  std::string api_url = "https://api.telegram.org";  ///< for a self-hosted Bot API server
  std::string template_text;  ///< Telegram HTML; placeholder values are escaped
  bool disable_notification = false;
};

inline constexpr std::string_view kDefaultTemplate = "<b>{{title}}</b>\n{{body}}";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: telegram` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::telegram
