#pragma once
// The one HTTP server: status page, JSON API, /metrics, /healthz. Beast stays inside web/.

#include <cstdint>
#include <memory>
#include <string>

#include "web/alert_api.hpp"
#include "web/model.hpp"
#include "web/ping.hpp"
#include "web/report_api.hpp"

namespace lk::store {
class Store;
}

namespace lk::web {

class EventHub;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  ///< 0 picks a free port
  /// Beyond this, a new connection replaces the one that has waited longest for its request
  /// (idle, or its request still arriving); when every connection is busy it gets 503.
  std::size_t max_connections = 1024;
  /// Time allowed to receive one whole request, header and body, counted from its first byte
  /// (on a new connection, from the connect); also the time allowed to send one answer. A total,
  /// not per read: a client that dribbles a byte at a time is disconnected after it.
  Duration request_timeout{std::chrono::seconds{30}};
  /// The part of request_timeout allowed for the header (at most request_timeout).
  Duration header_timeout{std::chrono::seconds{10}};
  /// Time a kept-alive connection may stay silent between requests.
  Duration idle_timeout{std::chrono::seconds{30}};
  std::size_t max_header_bytes = 8 * 1024;  ///< larger request headers get 431
  std::size_t max_body_bytes = 64 * 1024;   ///< larger request bodies get 413
  /// Threads that render pages and query the store, so the event loop never waits on SQL.
  std::size_t worker_threads = 2;
  /// Open GET /events streams beyond this get 503 with Retry-After.
  std::size_t max_event_streams = 1000;
  /// An event stream silent for this long gets a comment line, so that proxies and browsers
  /// do not time it out.
  Duration event_keepalive{std::chrono::seconds{15}};
  /// An event stream whose client has not taken this many bytes of events yet (or has fallen
  /// behind the hub's replay ring) is dropped; the browser reconnects and resumes.
  std::size_t max_event_backlog_bytes = 256 * 1024;
  /// Told when the API changed a runtime object (status reports, pauses); may be null. Must
  /// outlive the server.
  RuntimeControl* runtime = nullptr;
};

/// Runs the HTTP server on its own thread. Reads the status model from `source` and history
/// from `store` (read-only). Throws std::runtime_error naming the address when it cannot bind.
class Server {
 public:
  /// `pings` (heartbeat ingest), `alerts` (ack, silences) and `events` (streamed to the pages
  /// on GET /events; without it /events is 404), each may be null, must outlive the server.
  Server(const ServerOptions& options, const StatusSource& source, store::Store& store,
         const Clock& clock, PingSink* pings = nullptr, AlertControl* alerts = nullptr,
         EventHub* events = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The port actually bound (useful with port 0).
  std::uint16_t port() const;
  /// Stops accepting, closes every connection and joins the thread. Idempotent; the destructor
  /// calls it.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lk::web
