#include "alert/ack_link.hpp"

#include <charconv>

#include "alert/notify/encoding.hpp"

namespace lk::alert {
namespace {

// 128 bits of the HMAC: plenty against guessing, and keeps the link short.
constexpr std::size_t kSignatureHex = 32;

std::string signature(std::string_view key, std::string_view payload) {
  return hmac_sha256_hex(key, payload).substr(0, kSignatureHex);
}

// Compares without an early exit, so the time taken says nothing about how much matched.
bool same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::optional<std::int64_t> number(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::string make_ack_token(std::string_view key, std::int64_t page_id, TimePoint expires) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count();
  std::string payload = std::to_string(page_id) + "." + std::to_string(seconds);
  return payload + "." + signature(key, payload);
}

std::optional<AckToken> verify_ack_token(std::string_view key, std::string_view token,
                                         TimePoint now, std::string& error) {
  error = "this acknowledgement link is not valid";
  if (key.empty()) return std::nullopt;  // links are off: nothing verifies
  auto first = token.find('.');
  auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.size() > 100) return std::nullopt;
  auto page = number(token.substr(0, first));
  auto expires = number(token.substr(first + 1, second - first - 1));
  if (!page || !expires) return std::nullopt;
  if (!same(token.substr(second + 1), signature(key, token.substr(0, second)))) return std::nullopt;
  AckToken out{*page, TimePoint{std::chrono::seconds{*expires}}};
  if (out.expires <= now) {
    error =
        "this acknowledgement link has expired; acknowledge from the API or with "
        "lightkeeper ctl ack";
    return std::nullopt;
  }
  error.clear();
  return out;
}

}  // namespace lk::alert
