#pragma once
// The secrets of heartbeat ping URLs. A heartbeat without a configured `token` gets one derived
// from its name with an instance secret: HMAC-SHA256(secret, name), the first 128 bits in hex.
// The secret is generated once and kept beside the database (`<storage>.heartbeat-secret`,
// mode 0600), so tokens survive restarts and reloads and differ between installations.

#include <string>
#include <string_view>
#include <unordered_map>

#include "config/config.hpp"

namespace lk::app {

/// Reads the instance secret kept beside the database at `storage`, creating it on first use.
/// An in-memory database (":memory:") gets a fresh secret each time. Throws std::runtime_error
/// naming the file when it cannot be read or created.
std::string load_or_create_ping_secret(const std::string& storage);

/// The token derived from `secret` for the check `check`.
std::string derive_ping_token(std::string_view secret, std::string_view check);

/// Token -> check name for every heartbeat of `config` (configured tokens as written, others
/// derived). `secret` is read only when some heartbeat needs a derived token.
std::unordered_map<std::string, std::string> ping_tokens(const config::Config& config,
                                                         std::string_view secret);

/// True when some heartbeat of `config` has no configured token.
bool needs_ping_secret(const config::Config& config);

/// The token of one heartbeat check.
std::string ping_token_of(const config::Check& check, std::string_view secret);

}  // namespace lk::app
