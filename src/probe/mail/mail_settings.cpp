// The option tables of the smtp, imap and pop3 kinds, how a check is read, and their URL forms.

#include <array>
#include <cctype>

#include "probe/mail/mail_probe.hpp"

namespace lk::probe::mail {

namespace {

using config::Option;

constexpr Option kTls{"tls", "bool", "false",
                      "Implicit TLS from the first byte (smtps 465, imaps 993, pop3s 995)."};
constexpr Option kStarttls{"starttls", "bool", "false",
                           "Upgrade to TLS with STARTTLS (STLS for POP3) before logging in; fails "
                           "when the server does not offer it."};
constexpr Option kUsername{"username", "string", "",
                           "Log in as this user (SMTP AUTH PLAIN or LOGIN, IMAP LOGIN, POP3 "
                           "USER/PASS); needs tls or starttls unless plaintext_login is set."};
constexpr Option kPassword{"password", "string", "",
                           "Password of username; write ${ENV_VAR} to keep it out of the file."};
constexpr Option kServername{"servername", "string", "",
                             "With TLS: name sent as SNI and checked against the certificate "
                             "(default: the target's host)."};
constexpr Option kVerifyTls{"verify_tls", "bool", "true",
                            "With TLS: fail when the certificate chain is not trusted or does not "
                            "name servername (before any password is sent)."};
constexpr Option kCaFile{"ca_file", "string", "",
                         "PEM file of CA certificates to trust instead of the system's."};
constexpr Option kPlaintextLogin{"plaintext_login", "bool", "false",
                                 "Allow sending username and password without TLS."};

constexpr std::array kSmtpOptions{
    Option{"target", "string", "",
           "host[:port] of the SMTP server ([v6-address]:port for IPv6); the port defaults to 25, "
           "465 with tls.",
           true},
    kTls,
    kStarttls,
    kUsername,
    kPassword,
    Option{"ehlo_name", "string", "localhost", "Name this client gives in EHLO."},
    kServername,
    kVerifyTls,
    kCaFile,
    kPlaintextLogin,
};

constexpr std::array kImapOptions{
    Option{"target", "string", "",
           "host[:port] of the IMAP server ([v6-address]:port for IPv6); the port defaults to 143, "
           "993 with tls.",
           true},
    kTls,
    kStarttls,
    kUsername,
    kPassword,
    kServername,
    kVerifyTls,
    kCaFile,
    kPlaintextLogin,
};

constexpr std::array kPop3Options{
    Option{"target", "string", "",
           "host[:port] of the POP3 server ([v6-address]:port for IPv6); the port defaults to 110, "
           "995 with tls.",
           true},
    kTls,
    kStarttls,
    kUsername,
    kPassword,
    kServername,
    kVerifyTls,
    kCaFile,
    kPlaintextLogin,
};

std::string_view scheme(Protocol p, bool implicit_tls) {
  switch (p) {
    case Protocol::smtp:
      return implicit_tls ? "smtps" : "smtp";
    case Protocol::imap:
      return implicit_tls ? "imaps" : "imap";
    case Protocol::pop3:
      return implicit_tls ? "pop3s" : "pop3";
  }
  return "";
}

/// A credential goes into a protocol line: a line break would end the command early.
void refuse_line_breaks(config::Fields& fields, std::string_view key, const std::string& value) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
    fields.error(key, std::string(key) + " must not contain line breaks or NUL characters");
}

}  // namespace

std::span<const config::Option> options(Protocol protocol) {
  switch (protocol) {
    case Protocol::smtp:
      return kSmtpOptions;
    case Protocol::imap:
      return kImapOptions;
    case Protocol::pop3:
      return kPop3Options;
  }
  return {};
}

std::shared_ptr<const ProbeSettings> parse(Protocol protocol, config::Fields& fields,
                                           CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  s->protocol = protocol;
  s->tls = fields.boolean("tls");
  s->starttls = fields.boolean("starttls");
  if (s->tls && s->starttls)
    fields.error("starttls",
                 "tls (TLS from the first byte) and starttls (an upgrade in the "
                 "middle) exclude each other: set one of them");
  s->target = tls::read_target(fields, default_port(protocol, s->tls));
  s->username = fields.string("username");
  s->password = fields.string("password");
  refuse_line_breaks(fields, "username", s->username);
  refuse_line_breaks(fields, "password", s->password);
  if (protocol == Protocol::smtp) {
    s->ehlo_name = fields.string("ehlo_name");
    if (s->ehlo_name.empty() || s->ehlo_name.find_first_of(" \r\n") != std::string::npos)
      fields.error("ehlo_name",
                   "expected a host name without spaces, got \"" + s->ehlo_name + "\"");
  }
  s->servername = fields.string("servername");
  if (s->servername.empty()) s->servername = s->target.host;
  s->verify_tls = fields.boolean("verify_tls");
  s->ca_file = fields.string("ca_file");
  bool plaintext_login = fields.boolean("plaintext_login");
  if (fields.has("password") && s->username.empty())
    fields.error("password", "password needs username");
  if (!s->username.empty() && !fields.has("password"))
    fields.error("username", "username needs password (e.g. password: ${MAIL_PASSWORD})");
  if (!s->username.empty() && !s->tls && !s->starttls && !plaintext_login)
    fields.error("username",
                 "the password would cross the network in the clear: set starttls: "
                 "true or tls: true (or plaintext_login: true to allow it)");
  spec.target = std::string(scheme(protocol, s->tls)) + "://" + s->target.to_string();
  if (s->starttls) spec.target += "?starttls=true";
  return s;
}

UrlFields from_url(Protocol protocol, std::string_view url) {
  auto colon = url.find("://");
  std::string given(url.substr(0, colon == std::string_view::npos ? 0 : colon));
  for (auto& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool implicit_tls = given == scheme(protocol, true);
  UrlFields out = tls::url_fields(url, default_port(protocol, implicit_tls), options(protocol));
  bool has_tls = false;
  for (const auto& [key, value] : out.scalars) has_tls = has_tls || key == "tls";
  if (out.error.empty() && implicit_tls && !has_tls) out.scalars.emplace_back("tls", "true");
  return out;
}

}  // namespace lk::probe::mail
