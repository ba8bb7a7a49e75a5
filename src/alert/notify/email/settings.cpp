// The email channel's options, their reader, and the smtp:// URL.

#include <algorithm>
#include <array>
#include <cctype>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/email/email.hpp"
#include "alert/notify/email/mime.hpp"

namespace lk::alert::email {
namespace {

constexpr std::uint16_t kSubmissionPort = 587;   // RFC 6409: message submission with STARTTLS
constexpr std::uint16_t kSubmissionsPort = 465;  // RFC 8314: submission over implicit TLS

constexpr std::array kOptions{
    config::Option{"smtp", "string", "",
                   "Mail server: smtp://host[:port] (STARTTLS, port 587 when none is given) or "
                   "smtps://host[:port] (TLS from the first byte, port 465), e.g. "
                   "smtp://mail.example.com:587.",
                   true},
    config::Option{"starttls", "bool", "true",
                   "On smtp://, require STARTTLS before logging in or sending: a server that does "
                   "not offer it gets nothing. false sends in the clear (never with a password)."},
    config::Option{"username", "string", "", "User for SMTP AUTH; empty: no AUTH."},
    config::Option{"password", "string", "", "Password for SMTP AUTH, e.g. ${SMTP_PASSWORD}."},
    config::Option{"from", "string", "",
                   "Sender, as \"Lightkeeper <alerts@example.com>\" or a bare address; the bare "
                   "address is also the envelope sender.",
                   true},
    config::Option{"to", "list", "",
                   "Recipients, each a bare address or \"Name <address>\"; at least one.", true},
    config::Option{"subject", "string", "",
                   "Subject with {{placeholders}}; empty: {{title}} (\"DOWN: api-health\")."},
    config::Option{"template", "string", "",
                   "Plain-text body with {{placeholders}}; empty: {{body}}."},
    config::Option{"html", "bool", "true",
                   "Also send an HTML rendering of the body (multipart/alternative); false: "
                   "plain text only."},
};

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7F;
  });
}

void check_mailbox(config::Fields& fields, std::string_view key, std::string_view text) {
  if (has_control(text)) {
    fields.error(key, "expected an address on one line, got " + detail::quoted(one_line(text)));
    return;
  }
  auto box = parse_mailbox(text);
  if (!box) {
    fields.error(key, "expected \"Name <address>\" or an address, got " + detail::quoted(text));
    return;
  }
  if (auto problem = address_problem(box->address); !problem.empty())
    fields.error(key, detail::quoted(box->address) + " is not an email address: it " + problem);
}

}  // namespace

std::string SmtpUrl::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(implicit_tls ? "smtps://" : "smtp://") + (v6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port) + path;
}

std::optional<SmtpUrl> parse_smtp_url(std::string_view url, std::string& problem) {
  problem.clear();
  SmtpUrl out;
  const auto scheme_end = url.find("://");
  std::string scheme;
  if (scheme_end != std::string_view::npos) {
    for (char c : url.substr(0, scheme_end)) scheme += lower(c);
  }
  if (scheme == "smtps") {
    out.implicit_tls = true;
  } else if (scheme != "smtp") {
    problem = "expected a URL starting with smtp:// or smtps://";
    return std::nullopt;
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    problem = "expected no query or fragment in the URL";
    return std::nullopt;
  }
  const auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  std::string_view path =
      path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  if (authority.find('@') != std::string_view::npos) {
    problem = "expected no user or password in the URL; use username and password";
    return std::nullopt;
  }
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      problem = "expected ']' after the IPv6 address";
      return std::nullopt;
    }
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) {
      problem = "expected ':port' after the IPv6 address";
      return std::nullopt;
    }
    if (!after.empty()) port = after.substr(1);
    if (out.host.empty() || !std::all_of(out.host.begin(), out.host.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        })) {
      problem = "expected an IPv6 address in the brackets";
      return std::nullopt;
    }
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (out.host.empty()) {
      problem = "expected a host name after " + scheme + "://";
      return std::nullopt;
    }
    if (!std::all_of(out.host.begin(), out.host.end(), is_host_char)) {
      problem = "expected a host name of letters, digits, '-' and '.', got " +
                detail::quoted(one_line(out.host));
      return std::nullopt;
    }
  }
  if (port.empty() && authority.ends_with(':')) {
    problem = "expected a port number after ':'";
    return std::nullopt;
  }
  if (port.empty()) {
    out.port = out.implicit_tls ? kSubmissionsPort : kSubmissionPort;
  } else {
    unsigned long number = 0;
    const bool digits = port.size() <= 5 && std::all_of(port.begin(), port.end(), [](char c) {
                          return c >= '0' && c <= '9';
                        });
    if (digits) number = std::stoul(std::string(port));
    if (!digits || number < 1 || number > 65535) {
      problem = "expected a port from 1 to 65535, got " + detail::quoted(one_line(port));
      return std::nullopt;
    }
    out.port = static_cast<std::uint16_t>(number);
  }
  // libcurl sends the path as the EHLO name; "/" alone is no name.
  if (path == "/") path = {};
  if (has_control(path) || path.find(' ') != std::string_view::npos ||
      path.find('/', 1) != path.npos) {
    problem = "expected at most one name after the host (the name to greet with)";
    return std::nullopt;
  }
  out.path = std::string(path);
  return out;
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.smtp_url = detail::read_nonempty(fields, "smtp");
  std::optional<SmtpUrl> url;
  if (!s.smtp_url.empty()) {
    std::string problem;
    url = parse_smtp_url(s.smtp_url, problem);
    if (!url) fields.error("smtp", problem);
  }
  s.starttls = fields.boolean("starttls");
  s.username = fields.string("username");
  s.password = fields.string("password");
  s.from = detail::read_nonempty(fields, "from");
  if (!s.from.empty()) check_mailbox(fields, "from", s.from);
  s.to = fields.string_list("to");
  if (s.to.empty() && fields.has("to")) fields.error("to", "expected at least one recipient");
  for (const auto& recipient : s.to) check_mailbox(fields, "to", recipient);
  s.subject_template = detail::read_template(fields, "subject");
  s.template_text = detail::read_template(fields, "template");
  s.html = fields.boolean("html");

  if (!s.username.empty() && s.password.empty())
    fields.error("username", "a username needs a password");
  if (s.username.empty() && !s.password.empty())
    fields.error("password", "a password needs a username");
  if (url && !url->implicit_tls && !s.starttls && !s.password.empty()) {
    fields.error("starttls",
                 "would send the password in the clear; use smtps:// or starttls: true");
  }
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::email
