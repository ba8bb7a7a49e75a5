#include "alert/notify/mail_request.hpp"

#include <algorithm>

#include "alert/notify/encoding.hpp"

namespace lk::alert {
namespace {

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (std::size_t pos = text.find(what); pos != std::string::npos;
       pos = text.find(what, pos + with.size())) {
    text.replace(pos, what.size(), with);
  }
}

}  // namespace

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
  // Longest first, so a secret that contains another is masked whole. AUTH LOGIN carries a
  // password as Base64, so that form is masked too.
  std::vector<std::string> forms;
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    forms.push_back(secret);
    forms.push_back(percent_encode(secret));
    forms.push_back(base64(secret));
  }
  std::sort(forms.begin(), forms.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& form : forms) replace_all(out, form, "***");
  return out;
}

}  // namespace lk::alert
