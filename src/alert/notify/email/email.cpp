#include "alert/notify/email/email.hpp"

#include "alert/notify/request_util.hpp"

#include <cstdio>

#include "alert/notify/email/mime.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::email {
namespace {

// Settings normally pass parse(); these keep a hand-made Settings from putting anything into
// the SMTP envelope or a header that would end a command or a field.
std::string clean_address(std::string_view address) {
  std::string out;
  for (char c : address) {
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u != 0x7F && std::string_view("<>,;\"()\\").find(c) == std::string_view::npos)
      out += c;
  }
  return out;
}

Mailbox mailbox_of(std::string_view text) {
  Mailbox box = parse_mailbox(text).value_or(Mailbox{{}, std::string(text)});
  box.address = clean_address(box.address);
  return box;
}

std::string html_escape(std::string_view text) {
  return detail::escape_html_attribute(text);
}

// Only the message's own links become anchors: a URL inside a probe's error text is shown as
// text, so a target cannot put a clickable link into an alert.
std::vector<std::string_view> links_of(const Message& m) {
  std::vector<std::string_view> links;
  for (const std::string* url : {&m.status_page_url, &m.ack_url}) {
    if (url->starts_with("https://") || url->starts_with("http://")) links.push_back(*url);
  }
  return links;
}

std::string html_line(std::string_view line, const std::vector<std::string_view>& links) {
  std::string out;
  while (!line.empty()) {
    std::size_t at = std::string_view::npos;
    std::string_view found;
    for (auto link : links) {
      auto pos = line.find(link);
      if (pos < at || (pos == at && pos != std::string_view::npos && link.size() > found.size())) {
        at = pos;
        found = link;
      }
    }
    out += html_escape(line.substr(0, at));
    if (at == std::string_view::npos) break;
    out += "<a href=\"" + html_escape(found) + "\" style=\"color:#0969da;\">" + html_escape(found) +
           "</a>";
    line.remove_prefix(at + found.size());
  }
  return out;
}

std::string_view accent(const Message& m) {
  switch (m.event) {
    case Event::recovery:
      return "#1a7f37";
    case Event::acknowledged:
      return "#9a6700";
    case Event::problem:
      break;
  }
  return m.to == State::warn ? "#9a6700" : "#cf222e";
}

std::string html_body(const Message& m, std::string_view title, std::string_view text) {
  const auto links = links_of(m);
  std::string out =
      "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(title) +
      "</title>\n</head>\n"
      "<body style=\"margin:0;padding:16px;font-family:-apple-system,'Segoe UI',Helvetica,Arial,"
      "sans-serif;font-size:14px;line-height:1.5;color:#1f2328;background:#ffffff;\">\n"
      "<div style=\"max-width:640px;border-left:4px solid " +
      std::string(accent(m)) +
      ";padding-left:12px;\">\n"
      "<h2 style=\"margin:0 0 12px 0;font-size:18px;color:" +
      std::string(accent(m)) + ";\">" + html_escape(title) + "</h2>\n";
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += line.empty() ? std::string("<div style=\"height:8px;\"></div>\n")
                        : "<div style=\"margin:0 0 4px 0;\">" + html_line(line, links) + "</div>\n";
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
  }
  out +=
      "</div>\n<p style=\"margin:16px 0 0 0;font-size:12px;color:#6e7781;\">Sent by "
      "Lightkeeper</p>\n</body>\n</html>\n";
  return out;
}

std::string part_headers(std::string_view type) {
  return "Content-Type: " + std::string(type) +
         "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n";
}

// "=_" cannot occur in quoted-printable text (an '=' is followed by hex digits or a line
// break), so the boundary never appears in a part; the loop only guards that reasoning.
std::string boundary_for(std::string_view key, const std::vector<std::string>& parts) {
  for (unsigned salt = 0;; ++salt) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "=_lk_%016llx_%u",
                  static_cast<unsigned long long>(fnv1a(key)), salt);
    const std::string boundary = buffer;
    bool clash = false;
    for (const auto& part : parts) clash = clash || part.find(boundary) != std::string::npos;
    if (!clash) return boundary;
  }
}

std::string id(std::string_view key) {
  return "<" + message_id_part(key) + "@" + std::string(kIdDomain) + ">";
}

}  // namespace

MailRequest build(const Message& m, const Settings& s) {
  const std::string key =
      m.id.empty() ? m.incident_key() + "-" + std::string(to_string(m.event)) : m.id;
  const std::string thread = id(m.incident_key());
  const std::string subject = one_line(render_template(
      s.subject_template.empty() ? kDefaultSubject : std::string_view(s.subject_template), m));
  const std::string text = render_template(
      s.template_text.empty() ? kDefaultTemplate : std::string_view(s.template_text), m);

  const Mailbox from = mailbox_of(s.from);
  std::vector<Mailbox> to;
  for (const auto& recipient : s.to) to.push_back(mailbox_of(recipient));

  MailRequest request;
  std::string problem;
  const auto url = parse_smtp_url(s.smtp_url, problem);
  request.url = url ? url->text() : s.smtp_url;
  request.starttls = s.starttls;
  request.username = s.username;
  request.password = s.password;
  request.from = from.address;
  for (const auto& box : to) request.to.push_back(box.address);
  request.idempotency_key = key;
  if (!s.password.empty()) request.secrets.push_back(s.password);

  std::string& out = request.message;
  out += "Date: " + rfc5322_date(m.at) + "\r\n";
  out += mailbox_header("From", {from});
  if (!to.empty()) out += mailbox_header("To", to);
  out += unstructured_header("Subject", subject);
  out += "Message-ID: " + id(key) + "\r\n";
  // Every message of an incident points at one thread id, the first one included, so that
  // clients group the problem, its reminders, the acknowledgement and the recovery.
  out += "In-Reply-To: " + thread + "\r\n";
  out += "References: " + thread + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  // RFC 3834, and Exchange's own header: no vacation replies to an alerting address.
  out += "Auto-Submitted: auto-generated\r\n";
  out += "X-Auto-Response-Suppress: All\r\n";
  out += unstructured_header("X-Lightkeeper-Event", to_string(m.event));
  out += unstructured_header("X-Lightkeeper-Incident", m.incident_key());

  // A part's text ends in CRLF: the CRLF before a boundary belongs to the boundary.
  const std::string plain = text.empty() ? std::string("\r\n") : quoted_printable(text);
  if (!s.html) {
    out += part_headers("text/plain") + "\r\n" + plain;
    return request;
  }
  const std::string html = quoted_printable(html_body(m, subject, text));
  const std::string boundary = boundary_for(key, {plain, html});
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n" + part_headers("text/plain") + "\r\n" + plain;
  out += "--" + boundary + "\r\n" + part_headers("text/html") + "\r\n" + html;
  out += "--" + boundary + "--\r\n";
  return request;
}

}  // namespace lk::alert::email
