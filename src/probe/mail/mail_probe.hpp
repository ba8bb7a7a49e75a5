#pragma once
// The smtp, imap and pop3 kinds: connect (implicit TLS with `tls`), read the greeting, ask for
// the capabilities, optionally STARTTLS and log in, then say goodbye. One probe serves the three;
// each kind has its own option table, reader and URL form.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <span>
#include <string>

#include "config/fields.hpp"
#include "probe/mail/dialogue.hpp"
#include "probe/probe.hpp"
#include "probe/tls/connection.hpp"
#include "probe/tls/target.hpp"

namespace lk::probe::mail {

struct Settings final : ProbeSettings {
  Protocol protocol = Protocol::smtp;
  tls::HostPort target;
  bool tls = false;       ///< implicit TLS from the first byte (smtps, imaps, pop3s)
  bool starttls = false;  ///< upgrade with STARTTLS / STLS before logging in
  std::string username;   ///< empty: no login
  std::string password;
  std::string servername;  ///< SNI and the name the certificate must have
  bool verify_tls = true;
  std::string ca_file;
  std::string ehlo_name = "localhost";  ///< SMTP only
};

/// Reads a check of kind `protocol` (`fields` holds that kind's options).
std::shared_ptr<const ProbeSettings> parse(Protocol protocol, config::Fields& fields,
                                           CheckSpec& spec);
/// smtp://host[:port], smtps://... (tls: true), with options as query parameters.
UrlFields from_url(Protocol protocol, std::string_view url);
std::span<const config::Option> options(Protocol protocol);

/// One protocol's entry points for the kind table (`&smtp::parse` ...).
template <Protocol P>
struct KindOf {
  static std::span<const config::Option> options() { return mail::options(P); }
  static std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
    return mail::parse(P, fields, spec);
  }
  static UrlFields from_url(std::string_view url) { return mail::from_url(P, url); }
};
using smtp = KindOf<Protocol::smtp>;
using imap = KindOf<Protocol::imap>;
using pop3 = KindOf<Protocol::pop3>;

class MailProbe final : public Probe {
 public:
  MailProbe(boost::asio::io_context& io, const Clock& clock) : io_(io), clock_(clock) {}
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override;

 private:
  boost::asio::io_context& io_;
  const Clock& clock_;
  tls::TlsContexts contexts_;
};

/// One probe for smtp, imap and pop3 checks (the protocol is in each check's settings).
std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::mail
