#pragma once
// Opsgenie Alert API: POST <api>/v2/alerts with "Authorization: GenieKey <key>" and JSON
// {message, alias, description, tags, details, entity, source, priority}; the alias is one per
// incident, so acknowledge and close address the alert by it:
// POST <api>/v2/alerts/<alias>/{acknowledge,close}?identifierType=alias {source, user, note}.

#include <string>
#include <vector>

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

}  // namespace lk::alert::opsgenie
