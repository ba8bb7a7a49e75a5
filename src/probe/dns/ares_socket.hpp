#pragma once
// Private to the AresChannel sources (ares_channel.cpp, ares_sockets.cpp): one socket c-ares
// opened through our socket functions, and small helpers both files use.

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "probe/dns/ares_channel.hpp"

namespace lk::probe::dns {

/// The largest UDP answer to a query without EDNS (RFC 1035).
inline constexpr std::size_t kPlainUdpSize = 512;

/// "192.0.2.1:53" or "[2001:db8::1]:53" from an address in network byte order.
std::string address_text(int family, const void* bytes, std::uint16_t port);

struct AresChannel::Socket {
  explicit Socket(boost::asio::io_context& io) : descriptor(io) {}
  boost::asio::posix::stream_descriptor descriptor;  ///< watches fd; released, never closed by Asio
  ares_socket_t fd = ARES_SOCKET_BAD;
  bool tcp = false;
  bool want_read = false;  ///< what c-ares asked to be told about
  bool want_write = false;
  bool reading = false;  ///< an async_wait is pending
  bool writing = false;
  bool closed = false;
  std::string peer = "the server";
  // Where the TCP stream stands: each answer is a 2-byte length and that many bytes.
  std::size_t prefix_bytes = 0;
  std::uint8_t prefix[2] = {};
  std::size_t message_length = 0;
  std::size_t body_bytes = 0;
  std::size_t messages = 0;
};

}  // namespace lk::probe::dns
