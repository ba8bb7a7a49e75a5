#pragma once
// Encodings the channels share: percent-encoding, form bodies, HMAC, Base64.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lk::alert {

/// Percent-encodes everything except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string percent_encode(std::string_view text);
/// application/x-www-form-urlencoded: "a=1&b=x+y", spaces as '+'.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);
/// Lower-case hex HMAC-SHA256 of `data` keyed with `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
/// Standard Base64 with padding.
std::string base64(std::string_view data);
/// `text` with every secret replaced by "***", in each form it may travel in: raw,
/// percent-encoded, form-encoded and Base64 (AUTH LOGIN). Longest first, so a secret that
/// contains another is masked whole. Every redaction of requests and errors goes through it.
std::string mask_secrets(std::string text, const std::vector<std::string>& secrets);

inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kForm = "application/x-www-form-urlencoded";

}  // namespace lk::alert
