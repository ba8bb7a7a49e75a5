#pragma once
// One c-ares channel driven by an Asio io_context: c-ares owns the queries and says which
// sockets to watch (ARES_OPT_SOCK_STATE_CB); Asio watches them without owning them and runs the
// one timer c-ares asks for. The sockets are opened, read and closed through socket functions
// of ours, so the channel also sees what c-ares keeps to itself: a reply that is not DNS at
// all (c-ares drops it silently) or a TCP connection closed in the middle of an answer (c-ares
// reports only an error code). Not thread-safe: everything runs on the shard's thread.

#include <ares.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/time.hpp"

namespace lk::probe::dns {

/// An address and port of a DNS server.
struct ServerAddress {
  int family = 0;  ///< AF_INET or AF_INET6
  unsigned char bytes[16] = {};
  std::uint16_t port = 53;

  /// "192.0.2.53:53" or "[2001:db8::53]:53".
  std::string text() const;
};

/// How a channel asks.
struct ChannelConfig {
  std::optional<ServerAddress> server;  ///< nullopt: the servers of /etc/resolv.conf
  bool tcp_only = false;                ///< every query over TCP (ARES_FLAG_USEVC)
  /// Hand back every answer as it came: truncated ones too (no TCP retry inside c-ares) and
  /// SERVFAIL/REFUSED ones (no trying the next server). Off for plain name lookups.
  bool raw_answers = true;
  std::chrono::milliseconds timeout{5000};  ///< how long c-ares waits for one answer
};

/// Something the sockets showed that c-ares does not report itself.
struct SocketNote {
  enum class Kind : unsigned char {
    none,
    garbage,        ///< a reply that is not a DNS message (c-ares drops it)
    refused,        ///< connection refused, or ICMP port unreachable for UDP
    closed_midway,  ///< a TCP connection closed in the middle of an answer
    closed_early,   ///< a TCP connection closed before any answer
    failed,         ///< another socket error
  };
  Kind kind = Kind::none;
  std::string text;  ///< e.g. "the TCP connection to 127.0.0.1:53 was closed after 14 of ..."
};

/// How one exchange ended.
struct Exchange {
  enum class Outcome : unsigned char {
    answered,   ///< c-ares handed back an answer (any rcode): `answer` holds it
    failed,     ///< c-ares gave up: `status` says why (ARES_ECONNREFUSED ...)
    timed_out,  ///< the deadline passed first
    garbage,    ///< the server sent something that is not a DNS message
  };
  Outcome outcome = Outcome::timed_out;
  int status = ARES_SUCCESS;
  std::vector<std::uint8_t> answer;
  /// The last thing the channel's sockets showed during the exchange, if anything.
  SocketNote socket_note;
  std::optional<ServerAddress> address;  ///< the looked-up address (lookup() only)
};

class AresChannel {
 public:
  /// Nullptr and `error` set when c-ares cannot make the channel.
  static std::unique_ptr<AresChannel> create(boost::asio::io_context& io,
                                             const ChannelConfig& config, std::string& error);
  ~AresChannel();
  AresChannel(const AresChannel&) = delete;
  AresChannel& operator=(const AresChannel&) = delete;

  /// Sends a raw query (its id is replaced by c-ares) and waits for the answer until `deadline`.
  /// An exchange given up at the deadline stays inside c-ares until its own timeout; its late
  /// answer is dropped.
  boost::asio::awaitable<Exchange> ask(std::span<const std::uint8_t> query, Deadline deadline);
  /// Looks up an address of `host` the way the system would (hosts file, then DNS).
  boost::asio::awaitable<Exchange> lookup(const std::string& host, std::uint16_t port,
                                          Deadline deadline);

  /// The servers the channel asks, e.g. {"192.0.2.53:53"}.
  std::vector<std::string> servers() const;

 private:
  struct Socket;
  struct Wait;

  explicit AresChannel(boost::asio::io_context& io);
  boost::asio::awaitable<Exchange> wait_for(std::shared_ptr<Wait> wait, Deadline deadline);

  // c-ares callbacks (no exception may cross c-ares' C frames).
  static void on_socket_state(void* self, ares_socket_t fd, int readable, int writable);
  static void on_answer(void* arg, int status, int timeouts, unsigned char* answer, int length);
  static void on_address(void* arg, int status, int timeouts, struct ares_addrinfo* result);
  // The socket functions.
  static ares_socket_t open_socket(int domain, int type, int protocol, void* self);
  static int close_socket(ares_socket_t fd, void* self);
  static int connect_socket(ares_socket_t fd, const struct sockaddr* address, ares_socklen_t length,
                            void* self);
  static ares_ssize_t receive(ares_socket_t fd, void* buffer, size_t length, int flags,
                              struct sockaddr* from, ares_socklen_t* from_length, void* self);
  static ares_ssize_t send_vector(ares_socket_t fd, const struct iovec* data, int count,
                                  void* self);

  void watch(const std::shared_ptr<Socket>& s);
  void forget(Socket& s);
  void process(ares_socket_t read_fd, ares_socket_t write_fd);
  void schedule_timeout();
  void saw_udp(const Socket& s, std::span<const std::uint8_t> datagram);
  void saw_tcp(Socket& s, std::span<const std::uint8_t> bytes);
  void saw_tcp_close(Socket& s, int error);
  void note(SocketNote::Kind kind, std::string text);

  boost::asio::io_context& io_;
  ares_channel channel_ = nullptr;
  ares_socket_functions functions_{};
  boost::asio::steady_timer timer_;
  std::unordered_map<ares_socket_t, std::shared_ptr<Socket>> sockets_;
  std::vector<Wait*> waiting_;  ///< exchanges in progress, woken when garbage arrives
  std::uint64_t notes_ = 0;     ///< socket notes so far; an exchange shows those made during it
  std::uint64_t garbage_ = 0;   ///< non-DNS replies so far
  SocketNote last_note_;
  std::vector<std::uint8_t> long_datagram_;  ///< the last UDP datagram read, when over 512 bytes
};

}  // namespace lk::probe::dns
