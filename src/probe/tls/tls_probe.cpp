#include "probe/tls/tls_probe.hpp"

#include <array>

namespace lk::probe::tls {

namespace asio = boost::asio;

namespace {

// Defaults in line with common practice: Uptime Kuma notifies at 7, 14 and 21 days, and the usual
// blackbox_exporter alert fires at 14 days; failing 3 days ahead leaves a weekend to renew.
constexpr std::array kOptions{
    config::Option{"target", "string", "",
                   "host[:port] to connect to ([v6-address]:port for IPv6); the port defaults to "
                   "443, or with starttls to 25, 143 or 110.",
                   true},
    config::Option{"servername", "string", "",
                   "Name sent as SNI and checked against the certificate (default: the target's "
                   "host)."},
    config::Option{"starttls", "string", "",
                   "Speak smtp, imap or pop3 up to STARTTLS before the handshake."},
    config::Option{"warn_days", "int", "14",
                   "Warn when a certificate of the presented chain expires in fewer days."},
    config::Option{"fail_days", "int", "3",
                   "Fail when a certificate of the presented chain expires in fewer days (or has "
                   "expired)."},
    config::Option{"verify_chain", "bool", "true",
                   "Fail when the chain is not trusted (expired, self-signed, unknown issuer); off "
                   "still reports json.chain_valid."},
    config::Option{"verify_hostname", "bool", "true",
                   "Fail when the certificate does not name servername; off still reports "
                   "json.hostname_valid."},
    config::Option{"ca_file", "string", "",
                   "PEM file of CA certificates to trust instead of the system's."},
};

// The name a tls check's STARTTLS sends in EHLO.
constexpr std::string_view kEhloName = "localhost";

std::string plural_days(long days) {
  return std::to_string(days) + (days == 1 || days == -1 ? " day" : " days");
}

}  // namespace

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  auto starttls = fields.string("starttls");
  if (!starttls.empty()) {
    s->starttls = mail::protocol_from(starttls);
    if (!s->starttls)
      fields.error("starttls", "expected smtp, imap or pop3, got \"" + starttls + "\"");
  }
  s->target = read_target(fields, s->starttls ? mail::default_port(*s->starttls, false) : 443);
  s->servername = fields.string("servername");
  if (s->servername.empty()) s->servername = s->target.host;
  s->warn_days = static_cast<int>(fields.integer("warn_days", 0, 3650));
  s->fail_days = static_cast<int>(fields.integer("fail_days", 0, 3650));
  if (s->fail_days > s->warn_days)
    fields.error("fail_days", "fail_days (" + std::to_string(s->fail_days) +
                                  ") must not be more than warn_days (" +
                                  std::to_string(s->warn_days) + ")");
  s->verify_chain = fields.boolean("verify_chain");
  s->verify_hostname = fields.boolean("verify_hostname");
  s->ca_file = fields.string("ca_file");
  spec.target = "tls://" + s->target.to_string();
  if (s->starttls) spec.target += "?starttls=" + starttls;
  return s;
}

UrlFields from_url(std::string_view url) {
  UrlFields out = url_fields(url, 443, kOptions);
  // With starttls and no port, the port is the mail protocol's (25, 143, 110).
  for (const auto& [key, value] : out.scalars)
    if (key == "starttls")
      if (auto protocol = mail::protocol_from(value))
        return url_fields(url, mail::default_port(*protocol, false), kOptions);
  return out;
}

void record_certificate(Observation& obs, const CertificateReport& report, TimePoint now) {
  obs.cert_not_after = report.earliest_not_after;
  if (report.earliest_not_after)
    obs.metrics.push_back(
        {"cert_days_left",
         std::chrono::duration<double, std::ratio<86400>>(*report.earliest_not_after - now).count(),
         "d"});
}

asio::awaitable<Observation> TlsProbe::run(const CheckSpec& check, Deadline deadline) {
  const auto& s = check.settings_as<Settings>();
  Observation obs;
  obs.started_at = clock_.now();
  const auto started = clock_.mono_now();
  Connection connection(io_, clock_, started, deadline, check.timeout);
  std::unique_ptr<mail::Dialogue> dialogue;

  bool connected = co_await connection.connect(s.target, obs.timings);
  if (connected && s.starttls) {
    dialogue = mail::make_dialogue(*s.starttls, connection, std::string(kEhloName));
    connected = co_await dialogue->greet();
    if (connected) connected = co_await dialogue->ask_capabilities();
    if (connected) connected = co_await dialogue->request_starttls();
  }
  const Duration handshake_from = clock_.mono_now() - started;
  if (connected)
    connected = co_await connection.start_tls(contexts_, s.ca_file, s.servername, obs.timings);
  obs.peer = connection.peer();
  if (!connected) {
    obs.failed_at = connection.failure().layer;
    obs.error = connection.failure().message;
    obs.timings.total = clock_.mono_now() - started;
    co_return obs;
  }

  const TimePoint now = clock_.now();
  CertificateReport report = connection.certificate(s.servername);
  if (dialogue) {
    const Deadline grace = std::min(deadline, clock_.mono_now() + std::chrono::seconds{1});
    co_await dialogue->goodbye(grace);
  }
  connection.close();
  obs.timings.total = clock_.mono_now() - started;
  obs.metrics.push_back({"latency", to_ms(*obs.timings.total), "ms"});
  obs.metrics.push_back(
      {"handshake", to_ms(obs.timings.tls.value_or(handshake_from) - handshake_from), "ms"});
  record_certificate(obs, report, now);
  obs.body = report_json(report, s.servername, now);
  obs.headers.emplace_back("content-type", "application/json");

  const std::string where =
      s.servername == s.target.host ? obs.peer : s.servername + " at " + obs.peer;
  if (!report.earliest_not_after) {
    obs.failed_at = Layer::tls;
    obs.error = "TLS server " + where + " presented no certificate";
    co_return obs;
  }
  auto expiry = judge_expiry(*report.earliest_not_after, report.earliest_subject, now, s.warn_days,
                             s.fail_days);
  auto failure =
      certificate_failure(report, s.servername, s.verify_chain, s.verify_hostname, expiry);
  if (!failure.empty()) {
    obs.failed_at = Layer::tls;
    obs.error = "TLS certificate of " + where + ": " + failure;
    co_return obs;
  }
  if (expiry.level == ExpiryLevel::warn) {
    obs.verdict = OwnVerdict{Status::warn, "TLS certificate of " + where + ": " + expiry.message};
    co_return obs;
  }
  obs.verdict = OwnVerdict{
      Status::ok, report.protocol + ", certificate " + short_name(report.subject) + " valid for " +
                      plural_days(days_until(*report.earliest_not_after, now)) + " (until " +
                      format_day(*report.earliest_not_after) + "), issuer " +
                      short_name(report.issuer)};
  co_return obs;
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  return std::make_unique<TlsProbe>(io, clock);
}

}  // namespace lk::probe::tls
