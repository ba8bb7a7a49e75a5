#include "probe/mail/mail_probe.hpp"

// g++ 12 wrongly reports -Wmismatched-new-delete on Asio coroutine frames (awaitable_frame_base
// allocates and frees them with its own pair); see web/server.cpp.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <cstdio>

#include "probe/mail/reply.hpp"
#include "probe/tls/certificate.hpp"
#include "probe/tls/tls_probe.hpp"

namespace lk::probe::mail {

namespace asio = boost::asio;

namespace {

/// How long a server may take to answer QUIT/LOGOUT before we hang up anyway.
constexpr auto kGoodbyeGrace = std::chrono::seconds{1};

std::string milliseconds(Duration d) {
  char buf[32];
  double ms = to_ms(d);
  std::snprintf(buf, sizeof buf, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
  return buf;
}

}  // namespace

asio::awaitable<Observation> MailProbe::run(const CheckSpec& check, Deadline deadline) {
  const auto& s = check.settings_as<Settings>();
  Observation obs;
  obs.started_at = clock_.now();
  const auto started = clock_.mono_now();
  auto elapsed = [&] { return clock_.mono_now() - started; };
  tls::Connection connection(io_, clock_, started, deadline, check.timeout);
  auto dialogue = make_dialogue(s.protocol, connection, s.ehlo_name);
  const std::string name(to_string(s.protocol));

  // Checks the certificate before anything secret is sent; false when it is refused.
  auto certificate_ok = [&]() {
    tls::CertificateReport report = connection.certificate(s.servername);
    tls::record_certificate(obs, report, clock_.now());
    obs.headers.emplace_back("tls-protocol", report.protocol);
    if (!s.verify_tls) return true;
    auto failure = tls::certificate_failure(report, s.servername, true, true, {});
    if (failure.empty()) return true;
    connection.fail(Layer::tls, "TLS certificate of " + connection.peer() + ": " + failure);
    return false;
  };

  bool ok = co_await connection.connect(s.target, obs.timings);
  if (ok && s.tls) {
    ok = co_await connection.start_tls(contexts_, s.ca_file, s.servername, obs.timings);
    ok = ok && certificate_ok();
  }
  if (ok) {
    ok = co_await dialogue->greet();
    // A refusal (554, * BYE, -ERR) is still the server's banner: keep it for the message.
    obs.body = dialogue->greeting();
    if (!obs.body.empty()) {
      const Duration greeted = elapsed();
      obs.metrics.push_back({"greeting", to_ms(greeted), "ms"});
      // Phases are cumulative in the order dns, connect, tls, first byte; with STARTTLS the
      // greeting comes before TLS, so it is only the metric.
      if (!s.starttls) obs.timings.first_byte = greeted;
    }
  }
  if (ok) ok = co_await dialogue->ask_capabilities();
  if (ok && s.starttls) {
    ok = co_await dialogue->request_starttls();
    if (ok) ok = co_await connection.start_tls(contexts_, s.ca_file, s.servername, obs.timings);
    ok = ok && certificate_ok();
    if (ok) ok = co_await dialogue->ask_capabilities();
  }
  if (ok && !s.username.empty()) {
    const auto login_from = elapsed();
    ok = co_await dialogue->login(s.username, s.password);
    if (ok) obs.metrics.push_back({"login", to_ms(elapsed() - login_from), "ms"});
  }
  if (ok) {
    const Deadline grace = std::min(deadline, clock_.mono_now() + kGoodbyeGrace);
    co_await dialogue->goodbye(grace);
  }
  connection.close();

  obs.peer = connection.peer();
  obs.timings.total = elapsed();
  obs.headers.emplace_back("capabilities", join_capabilities(dialogue->capabilities()));
  if (!ok) {
    obs.failed_at = connection.failure().layer;
    obs.error = connection.failure().message;
    co_return obs;
  }
  obs.metrics.push_back({"latency", to_ms(*obs.timings.total), "ms"});
  std::string summary =
      name + " server at " + obs.peer + " answered in " + milliseconds(*obs.timings.total);
  std::string details;
  if (connection.is_tls()) details = s.starttls ? "STARTTLS" : "TLS";
  if (!s.username.empty())
    details += (details.empty() ? "" : ", ") + ("logged in as " + s.username);
  if (!details.empty()) summary += " (" + details + ")";
  obs.verdict = OwnVerdict{Status::ok, std::move(summary)};
  co_return obs;
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  return std::make_unique<MailProbe>(io, clock);
}

}  // namespace lk::probe::mail
