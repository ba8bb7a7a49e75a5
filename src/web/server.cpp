// The only translation unit that includes Beast (it costs ~20 s and ~750 MB to compile): the
// socket shell around the Beast-free Router. One io_context on its own thread, one coroutine per
// connection; pages and store reads run on a small worker pool so the loop never blocks.

#include "web/server.hpp"

// g++ 12 wrongly reports -Wmismatched-new-delete on coroutine frames whose promise has its own
// operator new/delete (Asio's awaitable_frame_base) as soon as a coroutine awaits another one;
// the frame is allocated and freed by the same pair. Scoped to this file, the only coroutine TU.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <future>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include "web/http.hpp"
#include "web/router.hpp"

namespace lk::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;

namespace {

using namespace std::chrono_literals;

std::string_view view(beast::string_view s) {
  return {s.data(), s.size()};
}

std::string describe_address(const std::string& host, std::uint16_t port) {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

tcp::endpoint resolve_listen_address(asio::io_context& io, const ServerOptions& options) {
  std::string host = options.host.empty() ? "0.0.0.0" : options.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) return {address, options.port};
  tcp::resolver resolver(io);
  auto found = resolver.resolve(host, std::to_string(options.port), ec);
  if (ec || found.empty())
    throw std::runtime_error(
        "web: cannot listen on " + describe_address(options.host, options.port) +
        ": cannot resolve the host: " + (ec ? ec.message() : std::string("no addresses")));
  return found.begin()->endpoint();
}

Request to_request(const BeastRequest& message) {
  Request request = make_request(view(message.method_string()), view(message.target()));
  for (const auto& field : message) {
    std::string name(view(field.name_string()));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    request.headers.emplace(std::move(name), std::string(view(field.value())));
  }
  request.body = message.body();
  return request;
}

BeastResponse to_beast(Response response, unsigned version, bool keep_alive, bool head) {
  BeastResponse reply{static_cast<http::status>(response.status), version};
  reply.set(http::field::server, "Lightkeeper");
  reply.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) reply.insert(name, value);
  reply.keep_alive(keep_alive);
  if (head) {
    // HEAD announces the length the GET body would have, and sends no body.
    reply.content_length(response.body.size());
  } else {
    reply.body() = std::move(response.body);
    reply.prepare_payload();
  }
  return reply;
}

// The status to answer a failed read with, or 0 when there is nobody to answer (the client
// closed, reset or went silent; tcp_stream closes the socket itself on timeout).
int status_for_read_error(const boost::system::error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return 0;
  if (ec.category() == http::make_error_code(http::error::bad_target).category()) return 400;
  return 0;
}

BeastResponse error_reply(int status) {
  BeastResponse reply{static_cast<http::status>(status), 11};
  reply.set(http::field::server, "Lightkeeper");
  reply.set(http::field::content_type, "text/plain; charset=utf-8");
  reply.keep_alive(false);
  std::string text(reason_phrase(status));
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  reply.body() = text + "\n";
  reply.prepare_payload();
  return reply;
}

}  // namespace

struct Server::Impl {
  Impl(const ServerOptions& opts, const StatusSource& source, store::Store& store,
       const Clock& clock, PingSink* pings, AlertControl* alerts)
      : options(opts), router(source, store, clock, pings, alerts) {}
  ~Impl() { stop(); }

  void start();
  void stop();
  void close_everything();
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(tcp::socket socket);
  asio::awaitable<Response> answer(const Request& request);
  asio::awaitable<void> answer_and_close(beast::tcp_stream& stream, int status);
  void refuse(tcp::socket& socket);

  // Declared before `io` so that they outlive any coroutine frame the io_context destroys.
  const ServerOptions options;
  const Router router;
  std::unordered_set<beast::tcp_stream*> live_connections;  // touched on the io thread only
  bool stopping = false;                                    // io thread only
  std::atomic<bool> stop_requested{false};
  std::promise<void> io_finished;

  asio::io_context io{1};
  asio::thread_pool workers{std::max<std::size_t>(options.worker_threads, 1)};
  tcp::acceptor acceptor{io};
  std::uint16_t bound_port = 0;
  std::thread thread;
};

void Server::Impl::start() {
  const std::string where = describe_address(options.host, options.port);
  tcp::endpoint endpoint = resolve_listen_address(io, options);
  boost::system::error_code ec;
  auto fail = [&](const char* step) {
    throw std::runtime_error("web: cannot listen on " + where + ": " + step + ": " + ec.message());
  };
  if (acceptor.open(endpoint.protocol(), ec); ec) fail("open");
  // Lets a restarted server bind while old connections linger in TIME_WAIT; on Linux it does
  // not let two servers share a port.
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) fail("SO_REUSEADDR");
  if (acceptor.bind(endpoint, ec); ec) fail("bind");
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) fail("listen");
  bound_port = acceptor.local_endpoint().port();

  asio::co_spawn(io, accept_loop(), asio::detached);
  thread = std::thread([this] {
    for (;;) {
      try {
        io.run();
        break;
      } catch (const std::exception& e) {
        spdlog::error("web: event loop error: {}", e.what());
      }
    }
    io_finished.set_value();
  });
  spdlog::debug("web: listening on http://{}", describe_address(options.host, bound_port));
}

void Server::Impl::close_everything() {
  stopping = true;
  boost::system::error_code ec;
  acceptor.close(ec);
  for (auto* stream : live_connections) stream->close();
}

void Server::Impl::stop() {
  if (stop_requested.exchange(true) || !thread.joinable()) return;
  // Graceful first: close the acceptor and every connection on the io thread so that each
  // coroutine ends on its own; if one does not within a moment, stop the loop outright.
  asio::post(io, [this] { close_everything(); });
  if (io_finished.get_future().wait_for(2s) != std::future_status::ready) io.stop();
  thread.join();
  // A worker still inside a slow store read finishes it; its answer is dropped with the loop.
  workers.join();
}

asio::awaitable<Response> Server::Impl::answer(const Request& request) {
  // Liveness and heartbeat pings (a lookup and a hand-off) must not queue behind a slow page
  // or query.
  if (request.path == "/healthz" || is_ping_path(request.path)) co_return router.handle(request);
  co_return co_await asio::co_spawn(
      asio::any_io_executor(workers.get_executor()),
      [this, &request]() -> asio::awaitable<Response> {
        Response response = router.handle(request);
        compress_if_accepted(request, response);
        co_return response;
      },
      asio::use_awaitable);
}

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of file descriptors and the like: back off rather than spin on the error.
      spdlog::warn("web: accept failed: {}", ec.message());
      asio::steady_timer pause(io, 100ms);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (live_connections.size() >= options.max_connections) {
      refuse(socket);
      continue;
    }
    asio::co_spawn(io, session(std::move(socket)), asio::detached);
  }
}

void Server::Impl::refuse(tcp::socket& socket) {
  static constexpr std::string_view kBusy =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 21\r\n"
      "Retry-After: 1\r\nConnection: close\r\n\r\ntoo many connections\n";
  boost::system::error_code ec;
  // Best effort and never blocking: a fresh socket's send buffer is empty, so this either fits
  // or the client does not get the courtesy.
  socket.non_blocking(true, ec);
  socket.write_some(asio::buffer(kBusy.data(), kBusy.size()), ec);
  socket.close(ec);
}

asio::awaitable<void> Server::Impl::answer_and_close(beast::tcp_stream& stream, int status) {
  boost::system::error_code ec;
  BeastResponse reply = error_reply(status);
  stream.expires_after(options.request_timeout);
  co_await http::async_write(stream, reply, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  // Lingering close: the client may still be sending the rest of an oversized request. Closing
  // with unread input makes the kernel send a reset, which can destroy the answer before the
  // client reads it, so read and discard for a moment first.
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(std::min<Duration>(options.request_timeout, 2s));
  std::array<char, 4096> sink{};
  std::size_t drained = 0;
  constexpr std::size_t kMaxDrain = 1024 * 1024;
  while (!ec && drained < kMaxDrain)
    drained += co_await stream.async_read_some(asio::buffer(sink),
                                               asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> Server::Impl::session(tcp::socket socket) {
  boost::system::error_code ec;
  // Small answers must not wait for Nagle's algorithm and the client's delayed ACK (measured:
  // ~290 req/s without this, tens of thousands with it).
  socket.set_option(tcp::no_delay(true), ec);
  const auto remote = socket.remote_endpoint(ec).address();
  const bool from_loopback =
      !ec && (remote.is_loopback() ||
              (remote.is_v6() && remote.to_v6().is_v4_mapped() &&
               asio::ip::make_address_v4(asio::ip::v4_mapped, remote.to_v6()).is_loopback()));
  beast::tcp_stream stream(std::move(socket));
  live_connections.insert(&stream);
  if (stopping) stream.close();
  beast::flat_buffer buffer;
  try {
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_body_bytes);
      stream.expires_after(options.request_timeout);
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (int status = status_for_read_error(ec); status != 0 && !stopping)
          co_await answer_and_close(stream, status);
        break;
      }
      const BeastRequest& message = parser.get();
      Request request = to_request(message);
      request.from_loopback = from_loopback;
      // A target the router cannot parse is a malformed request: answer it, then hang up.
      bool keep_alive = message.keep_alive() && !request.path.empty() && !stopping;
      Response response = co_await answer(request);
      BeastResponse reply = to_beast(std::move(response), message.version(), keep_alive,
                                     message.method() == http::verb::head);
      stream.expires_after(options.request_timeout);
      co_await http::async_write(stream, reply, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !keep_alive) break;
    }
  } catch (const std::exception& e) {
    spdlog::warn("web: connection ended by an error: {}", e.what());
  }
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  live_connections.erase(&stream);
}

Server::Server(const ServerOptions& options, const StatusSource& source, store::Store& store,
               const Clock& clock, PingSink* pings, AlertControl* alerts)
    : impl_(std::make_unique<Impl>(options, source, store, clock, pings, alerts)) {
  impl_->start();
}

Server::~Server() {
  stop();
}

std::uint16_t Server::port() const {
  return impl_->bound_port;
}

void Server::stop() {
  impl_->stop();
}

}  // namespace lk::web
