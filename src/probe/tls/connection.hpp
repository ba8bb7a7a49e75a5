#pragma once
// One client connection of a tls or mail check: connect, exchange bounded lines in the clear or
// over TLS, upgrade to TLS in the middle (STARTTLS), all under the check's one deadline.
//
// Every operation returns false once something failed and remembers the first failure (layer
// and message), so a dialogue reads as a straight sequence of steps that stops at the first
// problem. When the deadline passes, a timer closes the socket: whatever was pending completes
// at once and the failure names what was awaited ("timed out after 5s waiting for the SMTP
// greeting from 127.0.0.1:25").

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "probe/tls/certificate.hpp"
#include "probe/tls/target.hpp"

namespace lk::probe::tls {

/// The longest line accepted from a server (SMTP allows 512 bytes, POP3 512; IMAP capability
/// lines of real servers stay well under this).
inline constexpr std::size_t kMaxLine = 4096;

/// TLS client contexts (trust stores), one per CA file, built on first use. Loading the system
/// store costs milliseconds, so a probe keeps its contexts for its lifetime. Not thread-safe:
/// one per probe, and a probe lives on one shard.
class TlsContexts {
 public:
  TlsContexts();
  ~TlsContexts();
  TlsContexts(const TlsContexts&) = delete;
  TlsContexts& operator=(const TlsContexts&) = delete;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// The start of what a server sent, fit for a message: double-quoted, control characters and
/// bytes beyond ASCII escaped (messages stay valid UTF-8 whatever the server sent), cut after
/// 60 bytes with "...".
std::string excerpt(std::string_view text);

struct Failure {
  Layer layer = Layer::none;
  std::string message;
};

class Connection {
 public:
  /// `started` is when the check started (phase timings count from it); `budget` is the
  /// configured timeout, for messages.
  Connection(boost::asio::io_context& io, const Clock& clock, MonoTime started, Deadline deadline,
             Duration budget);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Resolves and connects; sets timings.dns (for names) and timings.connect.
  boost::asio::awaitable<bool> connect(const HostPort& where, PhaseTimings& timings);

  /// TLS handshake on the open connection (at once for implicit TLS, or after STARTTLS).
  /// `servername` goes out as SNI unless it is an address. The chain is verified against the
  /// system store or `ca_file`, but a bad chain does not stop the handshake: its problems are
  /// collected for certificate(). Sets timings.tls.
  boost::asio::awaitable<bool> start_tls(TlsContexts& contexts, const std::string& ca_file,
                                         const std::string& servername, PhaseTimings& timings);

  /// What the server's certificate says; only after start_tls succeeded.
  CertificateReport certificate(std::string_view servername) const;

  /// Reads one line (without CR LF) of at most kMaxLine bytes. `awaiting` names it for
  /// messages: "the SMTP greeting".
  boost::asio::awaitable<bool> read_line(std::string& line, std::string_view awaiting);

  /// Sends `data` whole; `what` names it for messages: "EHLO".
  boost::asio::awaitable<bool> write(std::string_view data, std::string_view what);

  /// Records a failure found by the caller (a wrong answer); the first failure wins.
  void fail(Layer layer, std::string message);

  /// Moves the deadline earlier (a short grace for a polite goodbye). Never later.
  void shorten_deadline(Deadline deadline);

  /// Forgets a failure (used after a goodbye that the server did not answer in time).
  void clear_failure();

  bool failed() const;
  const Failure& failure() const;
  bool is_tls() const;
  /// "127.0.0.1:993", once connected; else the target as configured.
  const std::string& peer() const;
  /// Bytes read beyond the last line returned (a server that talks ahead of its turn).
  std::size_t buffered() const;
  void close();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace lk::probe::tls
