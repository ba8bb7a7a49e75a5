#include "alert/notify/mail_request.hpp"

#include <algorithm>

#include "alert/notify/encoding.hpp"

namespace lk::alert {
namespace {}  // namespace

std::string MailRequest::redacted() const {
  std::string out = "SMTP " + url;
  if (url.starts_with("smtp://")) out += starttls ? " (STARTTLS)" : " (plain text)";
  if (!username.empty()) out += " user " + username + " password ***";
  out += "\nMAIL FROM:<" + from + ">\n";
  for (const auto& rcpt : to) out += "RCPT TO:<" + rcpt + ">\n";
  // The header block only: the body repeats what the headers say, at length.
  std::string_view head = message;
  if (auto end = head.find("\r\n\r\n"); end != std::string_view::npos) head = head.substr(0, end);
  for (std::size_t pos = 0; pos < head.size();) {
    auto eol = head.find("\r\n", pos);
    out += head.substr(pos, eol == std::string_view::npos ? head.npos : eol - pos);
    out += '\n';
    pos = eol == std::string_view::npos ? head.size() : eol + 2;
  }
  return mask_secrets(std::move(out), secrets);
}

}  // namespace lk::alert
