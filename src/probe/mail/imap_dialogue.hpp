#pragma once
// IMAP (RFC 9051, RFC 3501): greeting, CAPABILITY, STARTTLS, LOGIN, LOGOUT.

#include "probe/mail/dialogue.hpp"
#include "probe/mail/reply.hpp"

namespace lk::probe::mail {

class ImapDialogue final : public Dialogue {
 public:
  explicit ImapDialogue(tls::Connection& connection) : Dialogue(connection) {}

  boost::asio::awaitable<bool> greet() override;
  boost::asio::awaitable<bool> ask_capabilities() override;
  boost::asio::awaitable<bool> request_starttls() override;
  boost::asio::awaitable<bool> login(const std::string& username,
                                     const std::string& password) override;

 private:
  struct Completion {
    std::string status;                     ///< OK, NO or BAD
    std::string line;                       ///< the whole tagged line, for messages
    std::vector<std::string> capabilities;  ///< from untagged CAPABILITY or a response code
  };

  boost::asio::awaitable<bool> say_goodbye() override;
  /// Sends `command` under a new tag (`shown` names it in messages, without secrets) and reads
  /// untagged responses until the tagged completion.
  boost::asio::awaitable<bool> command(std::string_view command, std::string_view shown,
                                       Completion& done);

  int next_tag_ = 1;
};

}  // namespace lk::probe::mail
