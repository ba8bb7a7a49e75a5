#pragma once
// Generic webhook: the whole message as JSON, custom headers, and an HMAC-SHA256 signature of
// the body so the receiver can tell the request came from us.

#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::webhook {

struct Settings {
  std::string url;
  std::string method = "POST";
  std::vector<std::pair<std::string, std::string>> headers;  ///< added as given
  std::string secret;         ///< when set, X-Lightkeeper-Signature: sha256=<hex HMAC of body>
  std::string template_text;  ///< the "text" field; empty for the default
};

inline constexpr std::string_view kDefaultTemplate = "{{title}}\n{{body}}";
inline constexpr std::string_view kSignatureHeader = "X-Lightkeeper-Signature";

/// The request for `m`. Body fields: version, id, event, check, from, to, severity, since,
/// time, duration_seconds, error, location, incident{id,key}, status_page_url, ack_url,
/// acknowledged_by, note, title, text.
HttpRequest build(const Message& m, const Settings& s);

/// The `type: webhook` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::webhook
