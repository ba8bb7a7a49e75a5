// The only translation unit that includes Beast (it costs ~20 s and ~750 MB to compile): the
// socket shell around the Beast-free Router. One io_context on its own thread, one coroutine per
// connection; pages and store reads run on a small worker pool so the loop never blocks.
//
// Hostile clients are bounded here: a total deadline per request header and per request (not
// per read), a cap on header, body, chunk extensions and buffered input, an immediate 400 for a
// request line that cannot be HTTP/1.x, and at capacity the connection that has waited longest
// for its request makes room for a new one. GET /events streams the EventHub's events.

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
#include <cerrno>
#include <future>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include "web/events.hpp"
#include "web/http.hpp"
#include "web/router.hpp"

namespace lk::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;
using RequestParser = http::request_parser<http::string_body>;
using SteadyClock = std::chrono::steady_clock;

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

// How long a 503 asks the client to wait before trying again.
constexpr const char* kRetryAfterSeconds = "5";

BeastResponse error_reply(int status) {
  BeastResponse reply{static_cast<http::status>(status), 11};
  reply.set(http::field::server, "Lightkeeper");
  reply.set(http::field::content_type, "text/plain; charset=utf-8");
  if (status == 503) reply.set(http::field::retry_after, kRetryAfterSeconds);
  reply.keep_alive(false);
  std::string text(view(http::obsolete_reason(static_cast<http::status>(status))));
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  reply.body() = text + "\n";
  reply.prepare_payload();
  return reply;
}

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// What Beast accepts in a request target: no controls, no space.
bool is_target_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7f;
}

enum class RequestLine { incomplete, http1, malformed, other_version };

// Judges as much of "METHOD SP target SP HTTP/d.d CRLF" as has arrived. Beast parses nothing
// before the blank line that ends the header, so without this a TLS handshake, an HTTP/0.9
// "GET /" or a line of garbage would hang until the header timeout instead of getting an answer.
RequestLine check_request_line(std::string_view data) {
  std::size_t i = 0;
  while (i < data.size() && is_token_char(data[i])) ++i;
  if (i == data.size()) return RequestLine::incomplete;
  if (i == 0 || data[i] != ' ') return RequestLine::malformed;
  const std::size_t target = ++i;
  while (i < data.size() && is_target_char(data[i])) ++i;
  if (i == data.size()) return RequestLine::incomplete;
  if (i == target || data[i] != ' ') return RequestLine::malformed;
  std::string_view version = data.substr(i + 1);
  static constexpr std::string_view kShape = "HTTP/9.9\r\n";
  for (std::size_t k = 0; k < kShape.size(); ++k) {
    if (k == version.size()) return RequestLine::incomplete;
    bool fits = kShape[k] == '9' ? version[k] >= '0' && version[k] <= '9' : version[k] == kShape[k];
    if (!fits) return RequestLine::malformed;
  }
  // Beast, like the server, speaks HTTP/1.0 and HTTP/1.1 only.
  bool http1 = version[5] == '1' && (version[7] == '0' || version[7] == '1');
  return http1 ? RequestLine::http1 : RequestLine::other_version;
}

std::string_view buffered(const beast::flat_buffer& buffer) {
  return {static_cast<const char*>(buffer.data().data()), buffer.size()};
}

// One client connection; lives in its session's coroutine frame.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  // True while waiting for a request or receiving one: the only time the connection may be
  // evicted to make room, since dropping it loses no answer.
  bool receiving = true;
  SteadyClock::time_point receiving_since = SteadyClock::now();
  bool evicted = false;
  asio::steady_timer* event_wake = nullptr;  // while it streams events
};

}  // namespace

struct Server::Impl {
  Impl(const ServerOptions& opts, const StatusSource& source, store::Store& store,
       const Clock& clock, PingSink* pings, AlertControl* alerts, EventHub* hub)
      : options(opts), router(source, store, clock, pings, alerts, opts.runtime), events(hub) {}
  ~Impl() { stop(); }

  void start();
  void stop();
  void close_everything();
  bool evict_longest_waiting();
  void wake_event_streams();
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(tcp::socket socket);
  asio::awaitable<int> read_request(Connection& connection, beast::flat_buffer& buffer,
                                    RequestParser& parser, bool first);
  asio::awaitable<Response> answer(const Request& request);
  asio::awaitable<void> answer_and_close(Connection& connection, int status);
  asio::awaitable<void> stream_events(Connection& connection, const BeastRequest& message,
                                      const Request& request);
  void refuse(tcp::socket& socket);

  // Declared before `io` so that they outlive any coroutine frame the io_context destroys.
  const ServerOptions options;
  const Router router;
  EventHub* const events;
  std::unordered_set<Connection*> live_connections;  // touched on the io thread only
  std::size_t evicted_still_open = 0;                // io thread only
  std::unordered_set<Connection*> event_streams;     // io thread only
  bool stopping = false;                             // io thread only
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> wake_posted{false};
  std::promise<void> io_finished;

  asio::io_context io{1};
  asio::thread_pool workers{std::max<std::size_t>(options.worker_threads, 1)};
  tcp::acceptor acceptor{io};
  std::uint16_t bound_port = 0;
  std::thread thread;
  // Destroyed before `io`: its wake-up posts to it.
  EventHub::Subscription hub_subscription;
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

  // One subscription for all streams, and at most one wake-up queued on the loop however fast
  // events are published: a burst costs the publisher an atomic exchange per event.
  if (events)
    hub_subscription = events->subscribe([this] {
      if (!wake_posted.exchange(true)) asio::post(io, [this] { wake_event_streams(); });
    });
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

void Server::Impl::wake_event_streams() {
  wake_posted = false;
  for (auto* connection : event_streams) connection->event_wake->cancel();
}

void Server::Impl::close_everything() {
  stopping = true;
  boost::system::error_code ec;
  acceptor.close(ec);
  wake_event_streams();
  for (auto* connection : live_connections) connection->stream.close();
}

void Server::Impl::stop() {
  if (stop_requested.exchange(true) || !thread.joinable()) return;
  // Once reset returns no publisher can post to the loop any more.
  hub_subscription.reset();
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
  // A status page already rendered for the current snapshot is a lookup and a copy: answered
  // here, it skips two thread hand-offs (what kept the loop half idle under wrk).
  if (auto hit = router.cached(request)) co_return std::move(*hit);
  co_return co_await asio::co_spawn(
      asio::any_io_executor(workers.get_executor()),
      [this, &request]() -> asio::awaitable<Response> {
        Response response = router.handle(request);
        compress_if_accepted(request, response);
        co_return response;
      },
      asio::use_awaitable);
}

// At capacity a new connection takes the place of the one that has waited longest for its
// request (idle keep-alive, or a header or body still trickling in). Refusing instead would let
// a few hundred slowloris clients, each within its timeouts, lock everybody else out.
bool Server::Impl::evict_longest_waiting() {
  Connection* victim = nullptr;
  for (auto* connection : live_connections)
    if (connection->receiving && !connection->evicted &&
        (!victim || connection->receiving_since < victim->receiving_since))
      victim = connection;
  if (!victim) return false;
  victim->evicted = true;
  ++evicted_still_open;
  victim->stream.close();
  return true;
}

asio::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of file descriptors: the longest-waiting connection gives up its descriptor, as it
      // would its slot. Otherwise back off rather than spin on the error.
      bool out_of_descriptors = ec == asio::error::no_descriptors || ec.value() == ENFILE;
      if (out_of_descriptors && evict_longest_waiting()) continue;
      spdlog::warn("web: accept failed: {}", ec.message());
      asio::steady_timer pause(io, 100ms);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (live_connections.size() - evicted_still_open >= options.max_connections &&
        !evict_longest_waiting()) {
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

asio::awaitable<void> Server::Impl::answer_and_close(Connection& connection, int status) {
  auto& stream = connection.stream;
  boost::system::error_code ec;
  BeastResponse reply = error_reply(status);
  stream.expires_after(options.request_timeout);
  co_await http::async_write(stream, reply, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  // Lingering close: the client may still be sending the rest of an oversized request. Closing
  // with unread input makes the kernel send a reset, which can destroy the answer before the
  // client reads it, so read and discard for a moment first.
  // The courtesy is the first thing to go when the server is full.
  connection.receiving = true;
  connection.receiving_since = SteadyClock::time_point::min();
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(std::min<Duration>(options.request_timeout, 2s));
  std::array<char, 4096> sink{};
  std::size_t drained = 0;
  constexpr std::size_t kMaxDrain = 1024 * 1024;
  while (!ec && drained < kMaxDrain)
    drained += co_await stream.async_read_some(asio::buffer(sink),
                                               asio::redirect_error(asio::use_awaitable, ec));
}

// Reads one request into `parser`. Returns 0 when it is complete, the status to answer before
// hanging up, or -1 when there is nobody to answer (closed, reset, silent, evicted, stopping).
asio::awaitable<int> Server::Impl::read_request(Connection& connection, beast::flat_buffer& buffer,
                                                RequestParser& parser, bool first) {
  boost::system::error_code ec;
  auto& stream = connection.stream;
  connection.receiving = true;
  connection.receiving_since = SteadyClock::now();
  // A new connection's first request is timed from the connect; a kept-alive connection may
  // first stay silent for the idle timeout, and its request is timed from its first byte.
  if (!first && buffer.size() == 0) {
    stream.expires_after(options.idle_timeout);
    auto space = buffer.prepare(4096);
    std::size_t n =
        co_await stream.async_read_some(space, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return -1;
    buffer.commit(n);
  }
  const auto started = first ? connection.receiving_since : SteadyClock::now();
  stream.expires_at(started + std::min(options.header_timeout, options.request_timeout));

  for (;;) {
    auto line = check_request_line(buffered(buffer));
    if (line == RequestLine::http1) break;
    if (line == RequestLine::malformed) co_return 400;
    if (line == RequestLine::other_version) co_return 505;
    if (buffer.size() >= options.max_header_bytes)
      co_return buffered(buffer).find(' ') == std::string_view::npos ? 400 : 414;
    auto space = buffer.prepare(std::min<std::size_t>(4096, buffer.max_size() - buffer.size()));
    std::size_t n =
        co_await stream.async_read_some(space, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return -1;
    buffer.commit(n);
  }

  co_await http::async_read_header(stream, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return status_for_read_error(ec);
  if (parser.is_done()) co_return 0;

  stream.expires_at(started + options.request_timeout);
  // curl and others wait a second for this before sending a body.
  const auto& header = parser.get();
  if (header.version() >= 11 && beast::iequals(header[http::field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    auto text = asio::buffer(kContinue.data(), kContinue.size());
    co_await asio::async_write(stream, text, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return -1;
  }
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return status_for_read_error(ec);
  co_return 0;
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
  Connection connection(std::move(socket));
  auto& stream = connection.stream;
  live_connections.insert(&connection);
  if (stopping) stream.close();
  // Input is consumed as it is parsed, so the buffer needs room for one header plus one read;
  // its limit also bounds what Beast buffers without a limit of its own (a chunk header's
  // extensions, trailers).
  beast::flat_buffer buffer(options.max_header_bytes + 64 * 1024);
  try {
    for (bool first = true;; first = false) {
      // Chunk extensions are not counted against any limit by Beast; a body of one-byte chunks
      // with long extensions would otherwise be read without end.
      std::size_t extension_bytes = 0;
      auto limit_extensions = [&](std::uint64_t, beast::string_view extensions,
                                  boost::system::error_code& error) {
        extension_bytes += extensions.size();
        if (extension_bytes > options.max_header_bytes) error = http::error::bad_chunk_extension;
      };
      RequestParser parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_body_bytes);
      parser.on_chunk_header(limit_extensions);
      int failed = co_await read_request(connection, buffer, parser, first);
      connection.receiving = false;
      if (failed != 0) {
        if (failed > 0 && !stopping && !connection.evicted)
          co_await answer_and_close(connection, failed);
        break;
      }
      const BeastRequest& message = parser.get();
      Request request = to_request(message);
      request.from_loopback = from_loopback;
      if (events && request.path == "/events") {
        co_await stream_events(connection, message, request);
        break;
      }
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
  if (connection.evicted) --evicted_still_open;
  live_connections.erase(&connection);
}

// GET /events: a Server-Sent Events stream, delimited by the connection's end (which is how the
// browser learns to reconnect). The stream only ever waits on its socket or on its own timer, so
// a slow reader delays nobody; what it has not taken yet stays in the hub's ring, and a reader
// that falls out of the ring or too many bytes behind is dropped and resumes from its
// Last-Event-ID when it reconnects.
asio::awaitable<void> Server::Impl::stream_events(Connection& connection,
                                                  const BeastRequest& message,
                                                  const Request& request) {
  auto& stream = connection.stream;
  boost::system::error_code ec;
  const bool head = message.method() == http::verb::head;
  if (!head && message.method() != http::verb::get) {
    Response refused{.status = 405, .body = "method not allowed\n"};
    refused.headers.emplace_back("Allow", "GET, HEAD");
    BeastResponse reply = to_beast(std::move(refused), message.version(), false, false);
    stream.expires_after(options.request_timeout);
    co_await http::async_write(stream, reply, asio::redirect_error(asio::use_awaitable, ec));
    co_return;
  }
  if (event_streams.size() >= options.max_event_streams) {
    co_await answer_and_close(connection, 503);
    co_return;
  }
  std::string pending =
      "HTTP/1.1 200 OK\r\nServer: Lightkeeper\r\nContent-Type: text/event-stream\r\n"
      "Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\n";
  if (head) {
    stream.expires_after(options.request_timeout);
    co_await asio::async_write(stream, asio::buffer(pending),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return;
  }
  pending += "retry: 5000\n\n";

  // Resume after the client's last event when the ring still holds everything since; when it
  // does not (or the id is from an earlier run), the newest event alone tells the page to
  // refresh. Without Last-Event-ID the stream starts with the next event.
  std::uint64_t cursor = events->last_id();
  if (auto last_seen = parse_last_event_id(request.header("last-event-id"))) {
    auto backlog = events->events_after(*last_seen);
    std::string replay;
    for (const auto& event : backlog.events) replay += format_event(*event);
    if (!backlog.complete || replay.size() > options.max_event_backlog_bytes)
      replay = backlog.events.empty() ? "" : format_event(*backlog.events.back());
    pending += replay;
    if (!backlog.events.empty())
      cursor = backlog.events.back()->id;
    else if (backlog.complete)
      cursor = *last_seen;
  }

  asio::steady_timer wake(io);
  connection.event_wake = &wake;
  event_streams.insert(&connection);
  auto keepalive_due = SteadyClock::now() + options.event_keepalive;
  while (!stopping) {
    if (!pending.empty()) {
      stream.expires_after(options.request_timeout);
      co_await asio::async_write(stream, asio::buffer(pending),
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      pending.clear();
      keepalive_due = SteadyClock::now() + options.event_keepalive;
    }
    auto backlog = events->events_after(cursor);
    if (!backlog.complete) {
      spdlog::debug("web: dropped an event stream that fell behind the replay ring");
      break;
    }
    for (const auto& event : backlog.events) {
      pending += format_event(*event);
      cursor = event->id;
    }
    if (pending.size() > options.max_event_backlog_bytes) {
      spdlog::debug("web: dropped an event stream {} bytes behind", pending.size());
      break;
    }
    if (!pending.empty()) continue;
    // The stop may have come during the write, when there was no wait to cancel.
    if (stopping) break;
    // Nothing to send: wait, without a socket deadline, for a wake-up or the keep-alive.
    stream.expires_never();
    wake.expires_at(keepalive_due);
    co_await wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (SteadyClock::now() >= keepalive_due) pending = ": keepalive\n\n";
  }
  event_streams.erase(&connection);
  connection.event_wake = nullptr;
}

Server::Server(const ServerOptions& options, const StatusSource& source, store::Store& store,
               const Clock& clock, PingSink* pings, AlertControl* alerts, EventHub* events)
    : impl_(std::make_unique<Impl>(options, source, store, clock, pings, alerts, events)) {
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
