#pragma once
// Google Chat incoming webhook: POST {"text": …} as "application/json; charset=UTF-8" to the
// space's webhook URL (its key= and token= parameters are the secret). Every message of one
// incident goes to one thread: threadKey=<incident key> with
// messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD.

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::google_chat {

struct Settings {
  std::string webhook_url;  ///< https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=…
  bool thread_per_incident = true;
  std::string template_text;
};

inline constexpr std::string_view kDefaultTemplate = "*{{title}}*\n{{body}}";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: google_chat` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::google_chat
