#pragma once
// Signed, expiring acknowledgement links: "<page>.<expires>.<signature>" where the signature
// is an HMAC-SHA256 of the first two parts under the instance's key. Anyone holding the link
// (every recipient of the message) can acknowledge that one incident until it expires; nobody
// can forge one for another incident or stretch its life.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace lk::alert {

std::string make_ack_token(std::string_view key, std::int64_t page_id, TimePoint expires);

struct AckToken {
  std::int64_t page_id = 0;
  TimePoint expires{};
};

/// The token's page when its signature is right and it has not expired at `now`; otherwise
/// nullopt with `error` saying which ("this link has expired", "this link is not valid").
std::optional<AckToken> verify_ack_token(std::string_view key, std::string_view token,
                                         TimePoint now, std::string& error);

}  // namespace lk::alert
