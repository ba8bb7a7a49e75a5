#include "probe/http/http_probe.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "probe/http/header_line.hpp"
#include "probe/http/settings.hpp"
#include "probe/http/transfer_errors.hpp"

namespace lk::probe::http {

namespace asio = boost::asio;

namespace {

/// One request in flight: owns the buffers curl writes into and wakes the coroutine when done.
struct Transfer final : TransferListener {
  explicit Transfer(asio::io_context& io) : waker(io) {}

  void transfer_done(CURLcode c) override {
    code = c;
    done = true;
    waker.cancel();
  }

  asio::steady_timer waker;
  CURL* easy = nullptr;
  CURLcode code = CURLE_OK;
  bool done = false;
  std::uint64_t max_body = 0;
  bool tls_checked = false;
  char error_buffer[CURL_ERROR_SIZE] = {};
  Observation* out = nullptr;
};

std::optional<TimePoint> peer_certificate_not_after(CURL* easy) {
  curl_tlssessioninfo* info = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info)
    return std::nullopt;
  if (info->backend != CURLSSLBACKEND_OPENSSL || !info->internals) return std::nullopt;
  auto* ssl = static_cast<SSL*>(info->internals);
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (!cert) return std::nullopt;
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  std::string_view line(data, n);
  if (!t->tls_checked) {
    t->tls_checked = true;
    t->out->cert_not_after = peer_certificate_not_after(t->easy);
  }
  if (line.starts_with("HTTP/")) {
    t->out->headers.clear();  // a new response (after a redirect or 100 Continue)
    return n;
  }
  keep_header_line(line, t->out->headers);  // shared with the lean client
  return n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  auto& body = t->out->body;
  std::size_t room = t->max_body > body.size() ? t->max_body - body.size() : 0;
  if (n > room) {
    body.append(data, room);
    t->out->body_truncated = true;
    return 0;  // stop downloading: curl ends the transfer with CURLE_WRITE_ERROR
  }
  body.append(data, n);
  return n;
}

std::optional<Duration> info_time(CURL* easy, CURLINFO what) {
  curl_off_t us = 0;
  if (curl_easy_getinfo(easy, what, &us) != CURLE_OK || us <= 0) return std::nullopt;
  return std::chrono::microseconds{us};
}

void configure(CURL* easy, const Settings& s, Transfer& t, Duration budget) {
  curl_easy_setopt(easy, CURLOPT_URL, s.url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "Lightkeeper/0.1 (+uptime monitor)");
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.error_buffer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
  auto ms = std::max<long>(
      1, static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(budget).count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, ms);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, ms);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, s.follow_redirects ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(s.max_redirects));
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, s.verify_tls ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, s.verify_tls ? 2L : 0L);
  if (!s.ca_file().empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, s.ca_file().c_str());
  if (!s.client_cert().empty()) curl_easy_setopt(easy, CURLOPT_SSLCERT, s.client_cert().c_str());
  if (!s.client_key().empty()) curl_easy_setopt(easy, CURLOPT_SSLKEY, s.client_key().c_str());
  // Monitoring must see the name resolve every time, not a cached answer.
  curl_easy_setopt(easy, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
  if (!s.reuse_connection) {
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
  }
  if (s.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (s.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, s.method.c_str());
  }
  if (!s.body().empty()) {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, s.body().c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(s.body().size()));
  }
}

}  // namespace

Engine engine_from_environment() {
  auto set = [](const char* name) {
    const char* value = std::getenv(name);
    return value && *value;
  };
  const char* engine = std::getenv("LIGHTKEEPER_HTTP_ENGINE");
  if (engine && std::string_view(engine) == "curl") return Engine::curl;
  if (set("http_proxy") || set("all_proxy") || set("ALL_PROXY")) return Engine::curl;
  return Engine::lean;
}

HttpProbe::HttpProbe(asio::io_context& io, const Clock& clock, Engine engine)
    : io_(io),
      clock_(clock),
      multi_(io),
      engine_(engine),
      lean_(io, clock, [this](const CheckSpec& check, const Settings& settings, Deadline deadline) {
        return run_curl(check, settings, deadline);
      }) {}

HttpProbe::~HttpProbe() {
  for (CURL* easy : idle_handles_) curl_easy_cleanup(easy);
}

CURL* HttpProbe::acquire_handle() {
  if (idle_handles_.empty()) return curl_easy_init();
  CURL* easy = idle_handles_.back();
  idle_handles_.pop_back();
  curl_easy_reset(easy);
  return easy;
}

void HttpProbe::release_handle(CURL* easy) {
  if (idle_handles_.size() < 64) {  // each idle handle keeps curl's ~16 KiB buffers
    idle_handles_.push_back(easy);
  } else {
    curl_easy_cleanup(easy);
  }
}

// Not a coroutine itself: it hands back the chosen engine's coroutine, so a check costs one
// coroutine frame whichever engine runs it.
asio::awaitable<Observation> HttpProbe::run(const CheckSpec& check, Deadline deadline) {
  const auto& settings = check.settings_as<Settings>();
  if (engine_ == Engine::lean && settings.lean_plan()) return lean_.run(check, deadline);
  return run_curl(check, settings, deadline);
}

asio::awaitable<Observation> HttpProbe::run_curl(const CheckSpec& check, const Settings& settings,
                                                 Deadline deadline) {
  Observation obs;
  obs.started_at = clock_.now();
  auto started = clock_.mono_now();

  Transfer t(io_);
  t.out = &obs;
  t.max_body = settings.max_body;
  t.easy = acquire_handle();
  if (!t.easy) {
    obs.failed_at = Layer::internal;
    obs.error = "could not create a curl handle";
    co_return obs;
  }
  configure(t.easy, settings, t, deadline - started);
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : settings.headers()) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  if (!settings.body().empty()) headers = curl_slist_append(headers, "Expect:");
  if (headers) curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, headers);

  multi_.add(t.easy, &t);
  // curl enforces the deadline itself; this timer is the safety net that guarantees we return.
  t.waker.expires_at(deadline + std::chrono::milliseconds(250));
  while (!t.done) {
    boost::system::error_code ec;
    co_await t.waker.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) break;  // the safety net fired
  }
  bool abandoned = !t.done;
  if (abandoned) multi_.remove(t.easy);

  obs.timings.dns = info_time(t.easy, CURLINFO_NAMELOOKUP_TIME_T);
  obs.timings.connect = info_time(t.easy, CURLINFO_CONNECT_TIME_T);
  obs.timings.tls = info_time(t.easy, CURLINFO_APPCONNECT_TIME_T);
  obs.timings.first_byte = info_time(t.easy, CURLINFO_STARTTRANSFER_TIME_T);
  obs.timings.total = abandoned ? std::optional<Duration>(clock_.mono_now() - started)
                                : info_time(t.easy, CURLINFO_TOTAL_TIME_T);
  long status = 0;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
  char* ip = nullptr;
  long port = 0;
  curl_easy_getinfo(t.easy, CURLINFO_PRIMARY_IP, &ip);
  curl_easy_getinfo(t.easy, CURLINFO_PRIMARY_PORT, &port);
  if (ip && *ip)
    obs.peer = std::string(ip).find(':') != std::string::npos
                   ? "[" + std::string(ip) + "]:" + std::to_string(port)
                   : std::string(ip) + ":" + std::to_string(port);

  CURLcode code = abandoned ? CURLE_OPERATION_TIMEDOUT : t.code;
  if (code == CURLE_WRITE_ERROR && obs.body_truncated) code = CURLE_OK;  // we stopped reading
  if (code == CURLE_OK && status > 0) {
    obs.status_code = static_cast<int>(status);
    obs.metrics.push_back({"body_bytes", static_cast<double>(obs.body.size()), "B"});
  } else {
    long os_errno = 0;
    curl_easy_getinfo(t.easy, CURLINFO_OS_ERRNO, &os_errno);
    auto failure = describe_failure({code, t.error_buffer, static_cast<int>(os_errno), settings.url,
                                     obs.peer, obs.timings, check.timeout});
    obs.failed_at = failure.layer;
    obs.error = std::move(failure.message);
  }
  if (obs.timings.total) obs.metrics.push_back({"latency", to_ms(*obs.timings.total), "ms"});

  if (headers) curl_slist_free_all(headers);
  release_handle(t.easy);
  co_return obs;
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  return std::make_unique<HttpProbe>(io, clock);
}

}  // namespace lk::probe::http
