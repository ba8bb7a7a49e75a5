#pragma once
// Helpers the channels share when reading their config (internal to notify/): reads that also
// check what they read (URLs, templates, choices, levels, headers) and report every problem
// through Fields, and the wrapping of a channel's Settings in SettingsOf.
//
// An empty value means "not set": whether an option may be left out is the option table's
// `required`, which Fields enforces; these helpers check only what was given.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alert/notify/channel.hpp"
#include "alert/notify/template.hpp"
#include "config/fields.hpp"

namespace lk::alert::detail {

/// `text` in double quotes, for messages.
std::string quoted(std::string_view text);

/// Reads a string and reports it when it was given but is empty (e.g. a secret whose ${VAR}
/// is set to nothing).
std::string read_nonempty(config::Fields& fields, std::string_view key);

/// Reports why `url` is not an http:// or https:// URL with a host; true when it is. Messages
/// show the scheme and host only: the rest of a webhook URL is often its credential.
bool check_url(config::Fields& fields, std::string_view key, std::string_view url);
/// Reads a URL (see check_url).
std::string read_url(config::Fields& fields, std::string_view key);

/// Reports the unknown or unterminated placeholders of `text` under `key`; `what` prefixes the
/// messages (e.g. "header X-Api-Key: ").
void check_template(config::Fields& fields, std::string_view key, std::string_view text,
                    const Variables& extra = {}, std::string_view what = {});
/// Reads a message template (see check_template).
std::string read_template(config::Fields& fields, std::string_view key,
                          const Variables& extra = {});

/// Reads one of `allowed`, in any case, and returns it spelt as in `allowed`.
std::string read_choice(config::Fields& fields, std::string_view key,
                        std::span<const std::string_view> allowed);
/// Reads an HTTP method: GET, POST, PUT, PATCH or DELETE.
std::string read_method(config::Fields& fields, std::string_view key);

/// A named priority, e.g. ntfy's "high" for 4.
struct NamedLevel {
  std::string_view name;
  int value;
};
/// Reads a whole number from `min` to `max`, or one of `names` (in any case).
int read_level(config::Fields& fields, std::string_view key, int min, int max,
               std::span<const NamedLevel> names);

/// Reads a mapping of HTTP headers: names must be tokens (letters, digits, -, _ ...), values
/// must stay on one line.
std::vector<std::pair<std::string, std::string>> read_headers(config::Fields& fields,
                                                              std::string_view key);

/// A channel's parse() result.
template <class S>
std::shared_ptr<const ChannelSettings> wrap_settings(S settings) {
  return std::make_shared<const SettingsOf<S>>(std::move(settings));
}

/// The Settings inside what the channel's parse() returned.
template <class S>
const S& unwrap_settings(const ChannelSettings& settings) {
  return static_cast<const SettingsOf<S>&>(settings).settings;
}

}  // namespace lk::alert::detail
