#pragma once
// PagerDuty Events API v2: POST https://events.pagerduty.com/v2/enqueue with JSON
// {routing_key, event_action: trigger|acknowledge|resolve, dedup_key, payload{summary, source,
// severity, timestamp, component, custom_details}, links, client, client_url}. One dedup_key per
// incident, so the acknowledge and the resolve close the alert the trigger opened.

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::pagerduty {

struct Settings {
  std::string routing_key;  ///< the integration key of an Events API v2 integration
  std::string url = "https://events.pagerduty.com/v2/enqueue";
  std::string template_text;  ///< payload.summary
};

inline constexpr std::string_view kDefaultTemplate = "{{title}}: {{error}}";

/// "critical" for fail, "warning" for warn, "error" for unknown, otherwise "info".
std::string_view severity_of(State s);

HttpRequest build(const Message& m, const Settings& s);

/// The `type: pagerduty` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::pagerduty
