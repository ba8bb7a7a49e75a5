#pragma once
// One email as the SMTP sender needs it: where to submit it, how to log in, the envelope and
// the complete message text. The email channel builds it; deliver/ sends it with libcurl.

#include <string>
#include <vector>

namespace lk::alert {

struct MailRequest {
  /// smtp://host[:port] (STARTTLS when `starttls`, port 587 by default) or smtps://host[:port]
  /// (TLS from the first byte, port 465 by default).
  std::string url;
  bool starttls = true;  ///< on smtp://: require STARTTLS (fail rather than send in the clear)
  std::string username;  ///< empty: no AUTH
  std::string password;
  std::string from;             ///< envelope sender (MAIL FROM), a bare address
  std::vector<std::string> to;  ///< envelope recipients (RCPT TO), bare addresses
  /// The whole RFC 5322 message: headers, a blank line and the MIME body, lines ending in CRLF.
  std::string message;
  std::string idempotency_key;       ///< also the Message-ID's local part
  std::vector<std::string> secrets;  ///< masked wherever they would be logged

  /// Safe to log: URL, user, envelope and the message's header block, secrets masked.
  std::string redacted() const;
};

}  // namespace lk::alert
