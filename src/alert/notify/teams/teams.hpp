#pragma once
// Microsoft Teams through a Workflows ("When a Teams webhook request is received" / "Send
// webhook alerts to a channel") webhook: POST JSON {type: "message", attachments: [{contentType:
// "application/vnd.microsoft.card.adaptive", contentUrl: null, content: <AdaptiveCard>}]}.
// The Office 365 connector MessageCard is not used: Microsoft retired those connectors, and
// Workflows webhooks take Adaptive Cards.

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::teams {

struct Settings {
  std::string webhook_url;    ///< the Workflows URL (its sig= query parameter is the secret)
  std::string template_text;  ///< the card's body text (Adaptive Card TextBlocks take Markdown)
};

inline constexpr std::string_view kDefaultTemplate = "{{body}}";
inline constexpr std::string_view kAdaptiveCardVersion = "1.4";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: teams` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::teams
