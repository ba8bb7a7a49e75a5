#include "probe/mail/dialogue.hpp"

#include "probe/mail/imap_dialogue.hpp"
#include "probe/mail/pop3_dialogue.hpp"
#include "probe/mail/smtp_dialogue.hpp"

namespace lk::probe::mail {

std::string_view to_string(Protocol p) {
  switch (p) {
    case Protocol::smtp:
      return "SMTP";
    case Protocol::imap:
      return "IMAP";
    case Protocol::pop3:
      return "POP3";
  }
  return "?";
}

std::optional<Protocol> protocol_from(std::string_view name) {
  if (name == "smtp") return Protocol::smtp;
  if (name == "imap") return Protocol::imap;
  if (name == "pop3") return Protocol::pop3;
  return std::nullopt;
}

std::uint16_t default_port(Protocol p, bool implicit_tls) {
  switch (p) {
    case Protocol::smtp:
      return implicit_tls ? 465 : 25;
    case Protocol::imap:
      return implicit_tls ? 993 : 143;
    case Protocol::pop3:
      return implicit_tls ? 995 : 110;
  }
  return 0;
}

boost::asio::awaitable<void> Dialogue::goodbye(Deadline grace) {
  if (connection_.failed()) co_return;
  // A server that does not answer QUIT has still answered everything that mattered: give it a
  // moment, then hang up without blaming it.
  connection_.shorten_deadline(grace);
  co_await say_goodbye();
  connection_.clear_failure();
  connection_.close();
}

std::unique_ptr<Dialogue> make_dialogue(Protocol protocol, tls::Connection& connection,
                                        std::string ehlo_name) {
  switch (protocol) {
    case Protocol::smtp:
      return std::make_unique<SmtpDialogue>(connection, std::move(ehlo_name));
    case Protocol::imap:
      return std::make_unique<ImapDialogue>(connection);
    case Protocol::pop3:
      return std::make_unique<Pop3Dialogue>(connection);
  }
  return nullptr;
}

}  // namespace lk::probe::mail
