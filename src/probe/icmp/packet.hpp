#pragma once
// ICMP and ICMPv6 echo packets (RFC 792, RFC 4443), without I/O: building requests, reading
// replies and the errors routers send back about our requests.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lk::probe::icmp {

enum class Family { v4, v6 };

/// The Internet checksum (RFC 1071) of `data`.
std::uint16_t checksum(std::span<const std::uint8_t> data);

/// An echo request: type 8 (v4) or 128 (v6), `id`, `seq`, and `payload_size` bytes that start
/// with the big-endian `cookie` (as much of it as fits) and go on with a counting pattern. The
/// v4 checksum is filled in; for v6 the kernel computes it (it covers a pseudo-header).
std::vector<std::uint8_t> echo_request(Family family, std::uint16_t id, std::uint16_t seq,
                                       std::size_t payload_size, std::uint64_t cookie);

struct Received {
  enum class Kind { echo_reply, error };
  Kind kind = Kind::echo_reply;
  std::uint16_t id = 0;  ///< of the reply, or of our request quoted in the error
  std::uint16_t seq = 0;
  std::string error;  ///< for errors: "destination host unreachable", "time exceeded" ...
};

/// Reads one datagram from an ICMP socket. `with_ip_header`: raw IPv4 sockets deliver the IP
/// header first. Returns nullopt for anything that is not an echo reply carrying `cookie` (as
/// much of it as `payload_size` holds) or an error quoting an echo request: other traffic,
/// truncated or corrupt packets (bad v4 checksum), our own requests seen on loopback.
std::optional<Received> parse(Family family, bool with_ip_header,
                              std::span<const std::uint8_t> datagram, std::uint64_t cookie,
                              std::size_t payload_size);

}  // namespace lk::probe::icmp
