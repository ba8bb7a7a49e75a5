#pragma once
// Slack incoming webhook: POST {text, blocks} as JSON to the hook URL (which is the secret).

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::slack {

struct Settings {
  std::string webhook_url;    ///< https://hooks.slack.com/services/T…/B…/…
  std::string template_text;  ///< mrkdwn; placeholder values are escaped (&, <, >)
  bool blocks = true;         ///< a header block plus a section; `text` stays the fallback
};

inline constexpr std::string_view kDefaultTemplate = "*{{title}}*\n{{body}}";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: slack` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::slack
