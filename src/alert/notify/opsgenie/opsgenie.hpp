#pragma once
// Opsgenie Alert API: POST <api>/v2/alerts with "Authorization: GenieKey <key>" and JSON
// {message, alias, description, tags, details, entity, source, priority}; the alias is one per
// incident, so acknowledge and close address the alert by it:
// POST <api>/v2/alerts/<alias>/{acknowledge,close}?identifierType=alias {source, user, note}.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::opsgenie {

struct Settings {
  std::string api_key;
  std::string api_url = "https://api.opsgenie.com";  ///< EU: https://api.eu.opsgenie.com
  std::string priority;  ///< P1…P5; empty: P1 for fail, P3 for warn, P4 otherwise
  std::vector<std::string> tags;
  std::string template_text;  ///< the description
};

inline constexpr std::string_view kDefaultTemplate = "{{body}}";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: opsgenie` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::opsgenie
