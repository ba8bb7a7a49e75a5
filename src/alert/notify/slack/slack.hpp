#pragma once
// Slack incoming webhook: POST {text, blocks} as JSON to the hook URL (which is the secret).

#include <string>

#include "alert/notify/message.hpp"

namespace lk::alert::slack {

struct Settings {
  std::string webhook_url;    ///< https://hooks.slack.com/services/T…/B…/…
  std::string template_text;  ///< mrkdwn; placeholder values are escaped (&, <, >)
  bool blocks = true;         ///< a header block plus a section; `text` stays the fallback
};

inline constexpr std::string_view kDefaultTemplate = "*{{title}}*\n{{body}}";

HttpRequest build(const Message& m, const Settings& s);

}  // namespace lk::alert::slack
