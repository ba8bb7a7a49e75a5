#pragma once
// The table of notification channels: the one place a new channel is added (one folder under
// notify/ plus one line in channel.cpp). The config loader reads a notifier's fields through
// its kind's option table and parse(); the outbox later turns a Message into the kind's
// request with build(). Channels stay pure: nothing here sends anything.

#include <memory>
#include <span>
#include <string_view>
#include <variant>

#include "alert/notify/mail_request.hpp"
#include "alert/notify/message.hpp"
#include "config/fields.hpp"

namespace lk::alert {

/// A channel's parsed settings; each kind keeps its own Settings inside (see SettingsOf).
struct ChannelSettings {
  virtual ~ChannelSettings() = default;
};

/// Wraps a channel's plain Settings struct (which stays an aggregate for tests).
template <class S>
struct SettingsOf final : ChannelSettings {
  explicit SettingsOf(S s) : settings(std::move(s)) {}
  S settings;
};

/// What a channel sends: an HTTP request, or an email.
using Request = std::variant<HttpRequest, MailRequest>;

struct ChannelKind {
  std::string_view type;  ///< as written in `type:`, e.g. "slack"
  std::string_view help;  ///< one line for the docs
  /// The kind's own options (besides the common name, type, timeout, send_recovery).
  std::span<const config::Option> (*options)();
  /// Reads the kind's fields; reports every problem through `fields` (with positions) and
  /// returns the settings (nullptr only when errors were reported).
  std::shared_ptr<const ChannelSettings> (*parse)(config::Fields& fields);
  /// The request for `m`; `settings` is what parse() returned for this kind.
  Request (*build)(const Message& m, const ChannelSettings& settings);
};

std::span<const ChannelKind> channel_kinds();
/// The kind of that type, or nullptr.
const ChannelKind* find_channel_kind(std::string_view type);

/// Redacted description of a request for logs (HttpRequest::redacted / MailRequest::redacted).
std::string redacted(const Request& request);

}  // namespace lk::alert
