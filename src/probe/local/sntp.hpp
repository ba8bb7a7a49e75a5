#pragma once
// SNTP (RFC 4330) wire format and clock arithmetic, without I/O.
//
// The client sends T1 (its clock at sending) as the transmit timestamp; the server answers
// with T1 copied into the originate timestamp, T2 (its clock at receipt) and T3 (its clock at
// sending); the client notes T4 (its clock at receipt). Then
//   offset = ((T2 - T1) + (T3 - T4)) / 2      round trip = (T4 - T1) - (T3 - T2)

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <variant>

#include "core/time.hpp"

namespace lk::probe::local::sntp {

inline constexpr std::size_t kPacketSize = 48;

/// A 64-bit NTP timestamp: seconds since 1900 (modulo 2^32) and a binary fraction.
struct Timestamp {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;
  bool operator==(const Timestamp&) const = default;
};

Timestamp to_ntp(TimePoint t);
/// Era-aware per RFC 4330 section 3: seconds with the top bit clear are after 2036-02-07.
TimePoint from_ntp(Timestamp ts);

/// A client request (LI 0, version 4, mode 3) carrying `transmit` (T1).
std::array<std::uint8_t, kPacketSize> encode_request(Timestamp transmit);

struct Reply {
  int leap = 0;  ///< 3: the server's clock is not synchronized
  int version = 0;
  int mode = 0;
  int stratum = 0;
  std::string reference;  ///< kiss code ("RATE", "DENY") when stratum is 0
  Timestamp originate, receive, transmit;
};

/// Decodes a server reply. An error text says why the datagram is not one.
std::variant<Reply, std::string> decode_reply(std::span<const std::uint8_t> datagram);

/// Why a decoded reply cannot be used to measure the offset (wrong mode, not our request,
/// kiss-o'-death, unsynchronized server, no transmit time); empty when it can.
std::string unusable(const Reply& reply, Timestamp sent);

struct Measurement {
  Duration offset{};      ///< add to the local clock to get the server's
  Duration round_trip{};  ///< network delay, without the server's processing time
};

/// The offset and round trip from T1 (sent), the reply's T2 and T3, and T4 (received).
Measurement measure(TimePoint t1, const Reply& reply, TimePoint t4);

}  // namespace lk::probe::local::sntp
