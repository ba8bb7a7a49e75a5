#pragma once
// Discord webhook: POST JSON {content, username, embeds[{title, description, url, color,
// timestamp}]} to the webhook URL (which is the secret).

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::discord {

struct Settings {
  std::string webhook_url;    ///< https://discord.com/api/webhooks/<id>/<token>
  std::string username;       ///< optional override
  std::string content;        ///< optional plain text above the embed, e.g. "<@&role-id>"
  std::string template_text;  ///< the embed description
};

inline constexpr std::string_view kDefaultTemplate = "{{body}}";

/// Embed colours: red for down, amber for warning, green for recovery, blue for acknowledged.
inline constexpr int kRed = 0xE01E5A;
inline constexpr int kAmber = 0xECB22E;
inline constexpr int kGreen = 0x2EB67D;
inline constexpr int kBlue = 0x36C5F0;

HttpRequest build(const Message& m, const Settings& s);

/// The `type: discord` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::discord
