#pragma once
// SMTP (RFC 5321): greeting, EHLO (HELO for old servers), STARTTLS (RFC 3207), AUTH PLAIN or
// LOGIN (RFC 4954), QUIT.

#include "probe/mail/dialogue.hpp"
#include "probe/mail/reply.hpp"

namespace lk::probe::mail {

class SmtpDialogue final : public Dialogue {
 public:
  SmtpDialogue(tls::Connection& connection, std::string ehlo_name)
      : Dialogue(connection), ehlo_name_(std::move(ehlo_name)) {}

  boost::asio::awaitable<bool> greet() override;
  boost::asio::awaitable<bool> ask_capabilities() override;
  boost::asio::awaitable<bool> request_starttls() override;
  boost::asio::awaitable<bool> login(const std::string& username,
                                     const std::string& password) override;

 private:
  boost::asio::awaitable<bool> say_goodbye() override;
  /// Reads one whole reply into `reply`; `awaiting` names it ("the reply to EHLO").
  boost::asio::awaitable<bool> read_reply(SmtpReply& reply, std::string_view awaiting);
  /// Sends `command` (`shown` in messages instead, for secrets) and reads the reply.
  boost::asio::awaitable<bool> exchange(std::string_view command, std::string_view shown,
                                        SmtpReply& reply);

  std::string ehlo_name_;
};

}  // namespace lk::probe::mail
