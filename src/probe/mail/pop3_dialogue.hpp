#pragma once
// POP3 (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS): greeting, CAPA, STLS, USER/PASS, QUIT.

#include "probe/mail/dialogue.hpp"
#include "probe/mail/reply.hpp"

namespace lk::probe::mail {

class Pop3Dialogue final : public Dialogue {
 public:
  explicit Pop3Dialogue(tls::Connection& connection) : Dialogue(connection) {}

  boost::asio::awaitable<bool> greet() override;
  boost::asio::awaitable<bool> ask_capabilities() override;
  boost::asio::awaitable<bool> request_starttls() override;
  boost::asio::awaitable<bool> login(const std::string& username,
                                     const std::string& password) override;

 private:
  boost::asio::awaitable<bool> say_goodbye() override;
  /// Sends `command` (`shown` in messages, without secrets) and reads the status line into
  /// `status_line`; `ok` tells +OK from -ERR.
  boost::asio::awaitable<bool> exchange(std::string_view command, std::string_view shown, bool& ok,
                                        std::string& status_line);
};

}  // namespace lk::probe::mail
