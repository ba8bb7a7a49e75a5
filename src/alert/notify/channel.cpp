#include "alert/notify/channel.hpp"

#include <algorithm>
#include <array>

#include "alert/notify/discord/discord.hpp"
#include "alert/notify/email/email.hpp"
#include "alert/notify/google_chat/google_chat.hpp"
#include "alert/notify/gotify/gotify.hpp"
#include "alert/notify/matrix/matrix.hpp"
#include "alert/notify/mattermost/mattermost.hpp"
#include "alert/notify/ntfy/ntfy.hpp"
#include "alert/notify/opsgenie/opsgenie.hpp"
#include "alert/notify/pagerduty/pagerduty.hpp"
#include "alert/notify/pushover/pushover.hpp"
#include "alert/notify/slack/slack.hpp"
#include "alert/notify/sms_gateway/sms_gateway.hpp"
#include "alert/notify/teams/teams.hpp"
#include "alert/notify/telegram/telegram.hpp"
#include "alert/notify/twilio/twilio.hpp"
#include "alert/notify/webhook/webhook.hpp"

namespace lk::alert {
namespace {

// Grouped as the docs list them: generic, chat, push, paging, SMS.
constexpr std::array kKinds{
    ChannelKind{"webhook", "Any HTTP endpoint: the whole message as JSON, optionally signed.",
                &webhook::options, &webhook::parse, &webhook::build_request},
    ChannelKind{"email", "Email over SMTP (STARTTLS or TLS), one thread per incident.",
                &email::options, &email::parse, &email::build_request},
    ChannelKind{"slack", "A Slack channel, through an incoming webhook.", &slack::options,
                &slack::parse, &slack::build_request},
    ChannelKind{"mattermost", "A Mattermost channel, through an incoming webhook.",
                &mattermost::options, &mattermost::parse, &mattermost::build_request},
    ChannelKind{"discord", "A Discord channel, through a webhook.", &discord::options,
                &discord::parse, &discord::build_request},
    ChannelKind{"teams", "A Microsoft Teams channel, through a Workflows webhook.", &teams::options,
                &teams::parse, &teams::build_request},
    ChannelKind{"google_chat", "A Google Chat space, through an incoming webhook.",
                &google_chat::options, &google_chat::parse, &google_chat::build_request},
    ChannelKind{"telegram", "A Telegram chat or channel, through a bot.", &telegram::options,
                &telegram::parse, &telegram::build_request},
    ChannelKind{"matrix", "A Matrix room, posted as a user of a homeserver.", &matrix::options,
                &matrix::parse, &matrix::build_request},
    ChannelKind{"ntfy", "Push notifications through an ntfy topic (ntfy.sh or your own server).",
                &ntfy::options, &ntfy::parse, &ntfy::build_request},
    ChannelKind{"pushover", "Push notifications through Pushover.", &pushover::options,
                &pushover::parse, &pushover::build_request},
    ChannelKind{"gotify", "Push notifications through a Gotify server.", &gotify::options,
                &gotify::parse, &gotify::build_request},
    ChannelKind{"pagerduty", "PagerDuty incidents (Events API v2), resolved on recovery.",
                &pagerduty::options, &pagerduty::parse, &pagerduty::build_request},
    ChannelKind{"opsgenie", "Opsgenie alerts, closed on recovery.", &opsgenie::options,
                &opsgenie::parse, &opsgenie::build_request},
    ChannelKind{"twilio", "A text message (SMS) through Twilio.", &twilio::options, &twilio::parse,
                &twilio::build_request},
    ChannelKind{"sms_gateway", "A text message through any HTTP SMS gateway you describe.",
                &sms_gateway::options, &sms_gateway::parse, &sms_gateway::build_request},
};

}  // namespace

std::span<const ChannelKind> channel_kinds() {
  return kKinds;
}

const ChannelKind* find_channel_kind(std::string_view type) {
  auto it = std::find_if(kKinds.begin(), kKinds.end(),
                         [type](const ChannelKind& kind) { return kind.type == type; });
  return it == kKinds.end() ? nullptr : &*it;
}

std::string redacted(const Request& request) {
  return std::visit([](const auto& r) { return r.redacted(); }, request);
}

}  // namespace lk::alert
