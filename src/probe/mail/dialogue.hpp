#pragma once
// SMTP, IMAP and POP3 spoken far enough to prove a server answers: greeting, capabilities,
// STARTTLS, login, goodbye. Each step returns false at the first problem, which the connection
// holds (layer and message). Used by the mail kinds and by the tls kind's `starttls:`.

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probe/tls/connection.hpp"

namespace lk::probe::mail {

enum class Protocol : unsigned char { smtp, imap, pop3 };

/// "SMTP", "IMAP", "POP3".
std::string_view to_string(Protocol p);
/// "smtp" -> Protocol::smtp (lower case, as in the config).
std::optional<Protocol> protocol_from(std::string_view name);
/// 25/465, 143/993, 110/995.
std::uint16_t default_port(Protocol p, bool implicit_tls);

/// Multi-line answers and untagged responses longer than this are refused (a server that
/// talks forever).
inline constexpr std::size_t kMaxReplyLines = 1000;

class Dialogue {
 public:
  virtual ~Dialogue() = default;

  /// Reads the server's greeting.
  virtual boost::asio::awaitable<bool> greet() = 0;
  /// Asks for the capabilities (EHLO, CAPABILITY, CAPA); replaces those seen before.
  virtual boost::asio::awaitable<bool> ask_capabilities() = 0;
  /// Asks the server to start TLS; true when it agreed (the handshake is the caller's).
  virtual boost::asio::awaitable<bool> request_starttls() = 0;
  /// Logs in; a refusal names the user, never the password.
  virtual boost::asio::awaitable<bool> login(const std::string& username,
                                             const std::string& password) = 0;
  /// Says goodbye (QUIT, LOGOUT) and waits for the answer until `grace`; never fails the check.
  boost::asio::awaitable<void> goodbye(Deadline grace);

  /// The greeting as received, e.g. "220 mail.example ESMTP Postfix" (lines joined by '\n').
  const std::string& greeting() const { return greeting_; }
  /// Capability entries: "STARTTLS", "AUTH PLAIN LOGIN", "SIZE 10240000" ...
  const std::vector<std::string>& capabilities() const { return capabilities_; }

 protected:
  explicit Dialogue(tls::Connection& connection) : connection_(connection) {}
  /// Sends the goodbye command and reads its answer.
  virtual boost::asio::awaitable<bool> say_goodbye() = 0;

  tls::Connection& connection_;
  std::string greeting_;
  std::vector<std::string> capabilities_;
};

/// `ehlo_name` is the name SMTP sends in EHLO (unused by IMAP and POP3).
std::unique_ptr<Dialogue> make_dialogue(Protocol protocol, tls::Connection& connection,
                                        std::string ehlo_name);

}  // namespace lk::probe::mail
