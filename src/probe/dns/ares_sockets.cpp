// The sockets of an AresChannel: watching them for c-ares, and the socket functions through
// which c-ares opens, reads and closes them, so that the channel sees what c-ares keeps to itself.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "probe/dns/ares_channel.hpp"
#include "probe/dns/ares_socket.hpp"
#include "probe/dns/wire.hpp"

namespace lk::probe::dns {

namespace asio = boost::asio;

namespace {

std::string sockaddr_text(const struct sockaddr* address) {
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    return address_text(AF_INET, &in->sin_addr, ntohs(in->sin_port));
  }
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    return address_text(AF_INET6, &in6->sin6_addr, ntohs(in6->sin6_port));
  }
  return "an unknown address";
}

/// The start of some bytes, readable: printable ASCII as is, the rest as '.'.
std::string preview(std::span<const std::uint8_t> bytes) {
  constexpr std::size_t kMax = 24;
  std::string out;
  for (std::size_t i = 0; i < std::min(bytes.size(), kMax); ++i)
    out += (bytes[i] >= 0x20 && bytes[i] < 0x7f) ? static_cast<char>(bytes[i]) : '.';
  if (bytes.size() > kMax) out += "...";
  return out;
}

bool would_block(int error) {
  return error == EAGAIN || error == EWOULDBLOCK || error == EINTR || error == EINPROGRESS;
}

}  // namespace

// --- watching c-ares' sockets ----------------------------------------------------------------

void AresChannel::on_socket_state(void* self, ares_socket_t fd, int readable, int writable) {
  auto* c = static_cast<AresChannel*>(self);
  auto it = c->sockets_.find(fd);
  if (it == c->sockets_.end()) return;  // not opened through open_socket: cannot happen
  const auto& s = it->second;
  s->want_read = readable != 0;
  s->want_write = writable != 0;
  c->watch(s);
}

void AresChannel::watch(const std::shared_ptr<Socket>& s) {
  if (s->closed) return;
  if (!s->descriptor.is_open()) {
    boost::system::error_code ec;
    s->descriptor.assign(s->fd, ec);
    if (ec) {
      // Unwatchable (cannot happen for a fresh socket): c-ares times the query out.
      s->closed = true;
      return;
    }
  }
  if (s->want_read && !s->reading) {
    s->reading = true;
    s->descriptor.async_wait(asio::posix::stream_descriptor::wait_read,
                             [this, s](const boost::system::error_code& ec) {
                               s->reading = false;
                               if (ec || s->closed || !s->want_read) return;
                               process(s->fd, ARES_SOCKET_BAD);
                               watch(s);
                             });
  }
  if (s->want_write && !s->writing) {
    s->writing = true;
    s->descriptor.async_wait(asio::posix::stream_descriptor::wait_write,
                             [this, s](const boost::system::error_code& ec) {
                               s->writing = false;
                               if (ec || s->closed || !s->want_write) return;
                               process(ARES_SOCKET_BAD, s->fd);
                               watch(s);
                             });
  }
}

void AresChannel::forget(Socket& s) {
  s.closed = true;
  s.want_read = s.want_write = false;
  boost::system::error_code ec;
  s.descriptor.cancel(ec);
  if (s.descriptor.is_open()) s.descriptor.release();
}

// --- the socket functions --------------------------------------------------------------------

ares_socket_t AresChannel::open_socket(int domain, int type, int protocol, void* self) {
  auto* c = static_cast<AresChannel*>(self);
  int fd = ::socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd < 0) return ARES_SOCKET_BAD;
  if (auto stale = c->sockets_.find(fd); stale != c->sockets_.end()) {
    c->forget(*stale->second);  // closed without close_socket: its number was free again
    c->sockets_.erase(stale);
  }
  auto s = std::make_shared<Socket>(c->io_);
  s->fd = fd;
  s->tcp = (type & 0xff) == SOCK_STREAM;
  c->sockets_.emplace(fd, std::move(s));
  return fd;
}

int AresChannel::close_socket(ares_socket_t fd, void* self) {
  auto* c = static_cast<AresChannel*>(self);
  if (auto it = c->sockets_.find(fd); it != c->sockets_.end()) {
    c->forget(*it->second);
    c->sockets_.erase(it);
  }
  return ::close(fd);
}

int AresChannel::connect_socket(ares_socket_t fd, const struct sockaddr* address,
                                ares_socklen_t length, void* self) {
  auto* c = static_cast<AresChannel*>(self);
  if (auto it = c->sockets_.find(fd); it != c->sockets_.end())
    it->second->peer = sockaddr_text(address);
  return ::connect(fd, address, length);
}

ares_ssize_t AresChannel::receive(ares_socket_t fd, void* buffer, size_t length, int flags,
                                  struct sockaddr* from, ares_socklen_t* from_length, void* self) {
  auto* c = static_cast<AresChannel*>(self);
  ssize_t n = ::recvfrom(fd, buffer, length, flags, from, from_length);
  const int error = errno;
  if (auto it = c->sockets_.find(fd); it != c->sockets_.end()) {
    Socket& s = *it->second;
    std::span<const std::uint8_t> bytes(static_cast<const std::uint8_t*>(buffer),
                                        n > 0 ? static_cast<std::size_t>(n) : 0);
    if (n > 0) {
      if (s.tcp) {
        c->saw_tcp(s, bytes);
      } else {
        c->saw_udp(s, bytes);
        if (bytes.size() > kPlainUdpSize) {
          c->long_datagram_.assign(bytes.begin(), bytes.end());
        } else {
          c->long_datagram_.clear();
        }
      }
    } else if (n == 0 && s.tcp) {
      c->saw_tcp_close(s, 0);
    } else if (n < 0 && !would_block(error)) {
      if (s.tcp) {
        c->saw_tcp_close(s, error);
      } else if (error == ECONNREFUSED) {
        c->note(SocketNote::Kind::refused, "DNS server " + s.peer +
                                               " is unreachable: nothing listens on its UDP port "
                                               "(ICMP port unreachable)");
      } else {
        c->note(SocketNote::Kind::failed,
                "reading from " + s.peer + " failed: " + std::strerror(error));
      }
    }
  }
  errno = error;
  return n;
}

ares_ssize_t AresChannel::send_vector(ares_socket_t fd, const struct iovec* data, int count,
                                      void* self) {
  auto* c = static_cast<AresChannel*>(self);
  msghdr message{};
  message.msg_iov = const_cast<iovec*>(data);
  message.msg_iovlen = static_cast<std::size_t>(count);
  // MSG_NOSIGNAL: a server that closed its end must not kill the process with SIGPIPE.
  ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL);
  const int error = errno;
  if (n < 0 && !would_block(error)) {
    if (auto it = c->sockets_.find(fd); it != c->sockets_.end()) {
      const Socket& s = *it->second;
      if (error == ECONNREFUSED && s.tcp) {
        c->note(SocketNote::Kind::refused, "connect to DNS server " + s.peer + " refused (TCP)");
      } else if (error == ECONNREFUSED) {
        c->note(SocketNote::Kind::refused, "DNS server " + s.peer +
                                               " is unreachable: nothing listens on its UDP port "
                                               "(ICMP port unreachable)");
      } else {
        c->note(SocketNote::Kind::failed, "sending to " + s.peer +
                                              (s.tcp ? " over TCP" : " over UDP") +
                                              " failed: " + std::strerror(error));
      }
    }
  }
  errno = error;
  return n;
}

// --- what the sockets showed -----------------------------------------------------------------

void AresChannel::saw_udp(const Socket& s, std::span<const std::uint8_t> datagram) {
  auto parsed = parse_message(datagram);
  if (auto* error = std::get_if<WireError>(&parsed)) {
    note(SocketNote::Kind::garbage, "DNS server " + s.peer + " sent a " +
                                        std::to_string(datagram.size()) +
                                        "-byte reply that is not a DNS answer (" + error->message +
                                        "; it starts \"" + preview(datagram) + "\")");
  }
}

void AresChannel::saw_tcp(Socket& s, std::span<const std::uint8_t> bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (s.prefix_bytes < 2) {
      s.prefix[s.prefix_bytes++] = bytes[i++];
      if (s.prefix_bytes == 2) {
        s.message_length = (static_cast<std::size_t>(s.prefix[0]) << 8) | s.prefix[1];
        s.body_bytes = 0;
      }
    } else {
      std::size_t take = std::min(bytes.size() - i, s.message_length - s.body_bytes);
      s.body_bytes += take;
      i += take;
    }
    if (s.prefix_bytes == 2 && s.body_bytes == s.message_length) {
      ++s.messages;
      s.prefix_bytes = 0;
    }
  }
}

void AresChannel::saw_tcp_close(Socket& s, int error) {
  std::string how = error ? std::string("was reset (") + std::strerror(error) + ")" : "was closed";
  std::string text = "the TCP connection to DNS server " + s.peer + " " + how;
  auto kind = SocketNote::Kind::closed_early;
  if (s.prefix_bytes > 0) {
    kind = SocketNote::Kind::closed_midway;
    text += " after " + std::to_string(s.prefix_bytes + s.body_bytes) +
            " bytes, in the middle of an answer";
    if (s.prefix_bytes == 2) text += " of " + std::to_string(s.message_length + 2) + " bytes";
  } else if (s.messages == 0) {
    text += " before an answer came";
  } else {
    return;  // closed between answers: c-ares reconnects if it has more to ask
  }
  if (error == ECONNREFUSED) {
    kind = SocketNote::Kind::refused;
    text = "connect to DNS server " + s.peer + " refused (TCP)";
  }
  note(kind, std::move(text));
}

}  // namespace lk::probe::dns
