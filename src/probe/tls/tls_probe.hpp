#pragma once
// TLS checks without HTTP: connect (optionally speak SMTP, IMAP or POP3 up to STARTTLS),
// handshake, and judge the certificate: expiry against warn_days/fail_days, a trusted chain,
// the host name, and the facts (protocol, issuer ...) for conditions as json.<field>.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "config/fields.hpp"
#include "probe/mail/dialogue.hpp"
#include "probe/probe.hpp"
#include "probe/tls/connection.hpp"
#include "probe/tls/target.hpp"

namespace lk::probe::tls {

struct Settings final : ProbeSettings {
  HostPort target;
  std::string servername;  ///< SNI and the name checked; the target's host unless set
  std::optional<mail::Protocol> starttls;
  int warn_days = 14;
  int fail_days = 3;
  bool verify_chain = true;
  bool verify_hostname = true;
  std::string ca_file;
};

std::span<const config::Option> options();
/// Reads a tls check; sets spec.target to "tls://host:port" (with "?starttls=smtp").
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);
/// `tls://host[:port][?starttls=smtp&servername=...]` (port 443, or the STARTTLS protocol's).
UrlFields from_url(std::string_view url);

class TlsProbe final : public Probe {
 public:
  TlsProbe(boost::asio::io_context& io, const Clock& clock) : io_(io), clock_(clock) {}
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override;

 private:
  boost::asio::io_context& io_;
  const Clock& clock_;
  TlsContexts contexts_;
};

std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

/// Records the certificate in `obs`: cert_not_after (the first expiry in the presented chain,
/// for cert.expires_in) and the metric cert_days_left. Shared with the mail kinds.
void record_certificate(Observation& obs, const CertificateReport& report, TimePoint now);

}  // namespace lk::probe::tls
