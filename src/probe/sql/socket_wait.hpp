#pragma once
// Waiting, on the shard's event loop, for a socket that a client library owns (libpq,
// MariaDB Connector/C) to become readable or writable, the way CurlMulti watches curl's sockets.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "core/time.hpp"

namespace lk::probe::sql {

inline constexpr unsigned kReadable = 1;
inline constexpr unsigned kWritable = 2;

/// Waits until `fd` is readable and/or writable (`want`: kReadable | kWritable) or `until`
/// passes; returns what became ready, 0 when `until` passed first. An error on the socket
/// counts as ready: the library finds out what it is when it reads or writes.
///
/// Asio watches the descriptor for this one wait and releases it after, never closing it: a
/// library that closes a socket and opens another (libpq retrying without TLS) may get the same
/// number back, and a registration kept from before would then never fire.
boost::asio::awaitable<unsigned> wait_socket(boost::asio::io_context& io, int fd, unsigned want,
                                             MonoTime until);

}  // namespace lk::probe::sql
