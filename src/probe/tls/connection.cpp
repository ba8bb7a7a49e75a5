#include "probe/tls/connection.hpp"

// g++ 12 wrongly reports -Wmismatched-new-delete on Asio coroutine frames (awaitable_frame_base
// allocates and frees them with its own pair); see web/server.cpp.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <openssl/x509.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <map>

#include "probe/probe.hpp"

namespace lk::probe::tls {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

// ---------------------------------------------------------------------------------------------
// Trust stores

struct TlsContexts::Impl {
  /// The context for `ca_file` (the system store when empty), or null with `error` set.
  std::shared_ptr<ssl::context> get(const std::string& ca_file, std::string& error) {
    if (auto it = contexts.find(ca_file); it != contexts.end()) return it->second;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_verify_mode(ssl::verify_none);  // verified, but judged by the probe (see start_tls)
    boost::system::error_code ec;
    if (ca_file.empty()) {
      ctx->set_default_verify_paths(ec);
      if (ec) error = "cannot load the system's CA certificates: " + ec.message();
    } else {
      ctx->load_verify_file(ca_file, ec);
      if (ec) error = "cannot load ca_file " + ca_file + ": " + ec.message();
    }
    // A failure is not kept: the file may be fixed by the next run.
    if (ec) return nullptr;
    contexts.emplace(ca_file, ctx);
    return ctx;
  }

  std::map<std::string, std::shared_ptr<ssl::context>> contexts;
};

TlsContexts::TlsContexts() : impl_(std::make_unique<Impl>()) {}
TlsContexts::~TlsContexts() = default;

// ---------------------------------------------------------------------------------------------
// Connection state

struct Connection::State {
  State(asio::io_context& io, const Clock& clock, MonoTime started, Duration budget)
      : io(io), clock(clock), started(started), budget(budget), timer(io), socket(io) {}

  asio::io_context& io;
  const Clock& clock;
  MonoTime started;
  Duration budget;
  asio::steady_timer timer;  // closes the socket at the deadline
  Deadline deadline{};
  tcp::socket socket;
  std::shared_ptr<ssl::context> context;  // outlives `tls`
  std::unique_ptr<ssl::stream<tcp::socket&>> tls;
  std::vector<VerifyProblem> problems;
  std::string buffer;  // read but not yet returned as a line
  std::string peer;
  std::string phase;  // what is awaited, for a timeout message
  bool timed_out = false;
  Failure failure;

  void fail(Layer layer, std::string message) {
    if (failure.layer != Layer::none) return;
    failure = {layer, std::move(message)};
  }

  /// The failure of an I/O step: a timeout when the deadline closed the socket.
  void fail_io(Layer layer, std::string message) {
    if (timed_out)
      fail(Layer::timeout, timeout_message(budget, phase));
    else
      fail(layer, std::move(message));
  }

  void on_deadline() {
    timed_out = true;
    boost::system::error_code ignored;
    socket.close(ignored);
  }

  Duration elapsed() const { return clock.mono_now() - started; }

  /// Remembers a chain problem reported by OpenSSL's verification (once per certificate and code).
  void record(X509_STORE_CTX* ctx) {
    VerifyProblem p = problem_at(ctx);
    for (const auto& seen : problems)
      if (seen.code == p.code && seen.depth == p.depth) return;
    problems.push_back(std::move(p));
  }
};

namespace {

void arm(const std::shared_ptr<Connection::State>& state, Deadline deadline) {
  state->deadline = deadline;
  state->timer.expires_at(deadline);
  // The handler holds the state weakly: a check that finished first leaves nothing to close.
  state->timer.async_wait(
      [weak = std::weak_ptr<Connection::State>(state)](const boost::system::error_code& ec) {
        if (ec) return;
        if (auto s = weak.lock()) s->on_deadline();
      });
}

/// A name lookup that cannot hold a check past its deadline. Asio's resolver runs getaddrinfo on
/// a thread and, once that has started, completes only when it returns (cancel() does not cut it
/// short). So the lookup runs on its own and the check waits on a timer, which the lookup cancels
/// when it is done and which otherwise expires at the deadline.
struct Lookup {
  explicit Lookup(asio::io_context& io) : resolver(io), done(io) {}
  tcp::resolver resolver;
  asio::steady_timer done;
  tcp::resolver::results_type results;
  boost::system::error_code ec;
  bool finished = false;
};

bool closed_by_peer(const boost::system::error_code& ec) {
  return ec == asio::error::eof || ec == ssl::error::stream_truncated ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

}  // namespace

std::string excerpt(std::string_view text) {
  constexpr std::size_t kShown = 60;
  std::string out = "\"";
  for (char c : text.substr(0, kShown)) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, byte < 0x20 ? "\\u%04x" : "\\x%02x", byte);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
  if (text.size() > kShown) out += "...";
  return out;
}

// ---------------------------------------------------------------------------------------------
// Connection

Connection::Connection(asio::io_context& io, const Clock& clock, MonoTime started,
                       Deadline deadline, Duration budget)
    : state_(std::make_shared<State>(io, clock, started, budget)) {
  arm(state_, deadline);
}

Connection::~Connection() {
  state_->timer.cancel();
  close();
}

asio::awaitable<bool> Connection::connect(const HostPort& where, PhaseTimings& timings) {
  auto& s = *state_;
  s.peer = where.to_string();
  boost::system::error_code ec;
  boost::system::error_code ip_ec;
  auto address = asio::ip::make_address(where.host, ip_ec);
  tcp::resolver::results_type endpoints;
  const std::string port = std::to_string(where.port);
  if (!ip_ec) {
    endpoints =
        tcp::resolver::results_type::create(tcp::endpoint(address, where.port), where.host, port);
  } else {
    s.phase = "DNS resolution of " + where.host;
    auto lookup = std::make_shared<Lookup>(s.io);
    lookup->done.expires_at(s.deadline);
    asio::co_spawn(
        s.io,
        [lookup, host = where.host, port]() -> asio::awaitable<void> {
          boost::system::error_code resolve_ec;
          auto results = co_await lookup->resolver.async_resolve(
              host, port, asio::redirect_error(asio::use_awaitable, resolve_ec));
          lookup->results = std::move(results);
          lookup->ec = resolve_ec;
          lookup->finished = true;
          lookup->done.cancel();
        },
        asio::detached);
    if (!lookup->finished)
      co_await lookup->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!lookup->finished || s.timed_out) {
      s.fail(Layer::timeout, timeout_message(s.budget, s.phase));
      co_return false;
    }
    if (lookup->ec) {
      s.fail(Layer::dns, "DNS lookup of " + where.host + " failed: " + lookup->ec.message());
      co_return false;
    }
    endpoints = lookup->results;
    timings.dns = s.elapsed();
  }
  s.phase = "TCP connect to " + s.peer;
  ec = asio::error::host_not_found;
  for (const auto& entry : endpoints) {
    if (s.timed_out) break;
    boost::system::error_code close_ec;
    s.socket.close(close_ec);
    co_await s.socket.async_connect(entry.endpoint(),
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      tcp::endpoint ep = entry.endpoint();
      s.peer = HostPort{ep.address().to_string(), ep.port()}.to_string();
      break;
    }
  }
  if (ec || s.timed_out) {
    if (ec == asio::error::connection_refused)
      s.fail_io(Layer::connect, "connect to " + s.peer + " refused");
    else
      s.fail_io(Layer::connect, "connect to " + s.peer + " failed: " + ec.message());
    co_return false;
  }
  timings.connect = s.elapsed();
  co_return true;
}

asio::awaitable<bool> Connection::start_tls(TlsContexts& contexts, const std::string& ca_file,
                                            const std::string& servername, PhaseTimings& timings) {
  auto& s = *state_;
  if (s.failure.layer != Layer::none) co_return false;
  std::string error;
  s.context = contexts.impl().get(ca_file, error);
  if (!s.context) {
    s.fail(Layer::tls, error);
    co_return false;
  }
  // Whatever the server sent before the handshake is not trusted after it (STARTTLS injection).
  s.buffer.clear();
  s.problems.clear();
  s.tls = std::make_unique<ssl::stream<tcp::socket&>>(s.socket, *s.context);
  if (!servername.empty() && !is_ip_address(servername))
    SSL_set_tlsext_host_name(s.tls->native_handle(), servername.c_str());
  // Verification runs but never stops the handshake: the probe judges the chain itself, so
  // that the message can say what is wrong and an expiry check works on any chain.
  s.tls->set_verify_mode(ssl::verify_none);
  State* raw = &s;
  s.tls->set_verify_callback([raw](bool preverified, ssl::verify_context& ctx) {
    if (!preverified) raw->record(ctx.native_handle());
    return true;
  });
  s.phase = "the TLS handshake with " + s.peer;
  boost::system::error_code ec;
  co_await s.tls->async_handshake(ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec || s.timed_out) {
    if (closed_by_peer(ec))
      s.fail_io(Layer::tls, "connection closed by " + s.peer + " during the TLS handshake");
    else
      s.fail_io(Layer::tls, "TLS handshake with " + s.peer + " failed: " + ec.message());
    co_return false;
  }
  timings.tls = s.elapsed();
  co_return true;
}

CertificateReport Connection::certificate(std::string_view servername) const {
  if (!state_->tls) return {};
  return inspect(state_->tls->native_handle(), state_->problems, servername);
}

asio::awaitable<bool> Connection::read_line(std::string& line, std::string_view awaiting) {
  auto& s = *state_;
  if (s.failure.layer != Layer::none) co_return false;
  s.phase = std::string(awaiting) + " from " + s.peer;
  std::size_t scanned = 0;
  std::array<char, 4096> chunk;
  for (;;) {
    auto newline = s.buffer.find('\n', scanned);
    std::size_t end = newline;
    if (newline != std::string::npos && newline > 0 && s.buffer[newline - 1] == '\r') --end;
    if (newline != std::string::npos && end <= kMaxLine) {
      line.assign(s.buffer, 0, end);
      s.buffer.erase(0, newline + 1);
      co_return true;
    }
    // Too long once past the limit, unless all that is missing is the LF after a CR.
    bool may_still_end = s.buffer.size() == kMaxLine + 1 && s.buffer.back() == '\r';
    if (newline != std::string::npos || (s.buffer.size() > kMaxLine && !may_still_end)) {
      s.fail(Layer::response, "a line longer than " + std::to_string(kMaxLine) + " bytes from " +
                                  s.peer + " instead of " + std::string(awaiting) + ": " +
                                  excerpt(s.buffer));
      co_return false;
    }
    scanned = s.buffer.size();
    boost::system::error_code ec;
    std::size_t n = 0;
    if (s.tls)
      n = co_await s.tls->async_read_some(asio::buffer(chunk),
                                          asio::redirect_error(asio::use_awaitable, ec));
    else
      n = co_await s.socket.async_read_some(asio::buffer(chunk),
                                            asio::redirect_error(asio::use_awaitable, ec));
    if (ec || s.timed_out) {
      if (closed_by_peer(ec)) {
        std::string message =
            "connection closed by " + s.peer + " while waiting for " + std::string(awaiting);
        if (!s.buffer.empty()) message += " (after " + excerpt(s.buffer) + ")";
        s.fail_io(Layer::response, std::move(message));
      } else {
        s.fail_io(Layer::response, "reading " + std::string(awaiting) + " from " + s.peer +
                                       " failed: " + ec.message());
      }
      co_return false;
    }
    s.buffer.append(chunk.data(), n);
  }
}

asio::awaitable<bool> Connection::write(std::string_view data, std::string_view what) {
  auto& s = *state_;
  if (s.failure.layer != Layer::none) co_return false;
  s.phase = std::string(what) + " to be sent to " + s.peer;
  boost::system::error_code ec;
  if (s.tls)
    co_await asio::async_write(*s.tls, asio::buffer(data.data(), data.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
  else
    co_await asio::async_write(s.socket, asio::buffer(data.data(), data.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
  if (ec || s.timed_out) {
    if (closed_by_peer(ec))
      s.fail_io(Layer::send,
                "connection closed by " + s.peer + " before " + std::string(what) + " was sent");
    else
      s.fail_io(Layer::send,
                "sending " + std::string(what) + " to " + s.peer + " failed: " + ec.message());
    co_return false;
  }
  co_return true;
}

void Connection::fail(Layer layer, std::string message) {
  state_->fail(layer, std::move(message));
}

void Connection::shorten_deadline(Deadline deadline) {
  if (deadline >= state_->timer.expiry() || state_->timed_out) return;
  arm(state_, deadline);
}

void Connection::clear_failure() {
  state_->failure = {};
}

bool Connection::failed() const {
  return state_->failure.layer != Layer::none;
}

const Failure& Connection::failure() const {
  return state_->failure;
}

bool Connection::is_tls() const {
  return state_->tls != nullptr;
}

const std::string& Connection::peer() const {
  return state_->peer;
}

std::size_t Connection::buffered() const {
  return state_->buffer.size();
}

void Connection::close() {
  boost::system::error_code ignored;
  state_->socket.close(ignored);
}

}  // namespace lk::probe::tls
