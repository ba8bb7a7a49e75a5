#pragma once
// The one HTTP server: status page, JSON API, /metrics, /healthz. Beast stays inside web/.

#include <cstdint>
#include <memory>
#include <string>

#include "web/alert_api.hpp"
#include "web/model.hpp"
#include "web/ping.hpp"

namespace lk::store {
class Store;
}

namespace lk::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;           ///< 0 picks a free port
  std::size_t max_connections = 1024;  ///< beyond this, new connections get 503 and are closed
  /// Time allowed to receive one whole request (and to send its answer); also the idle
  /// keep-alive time. Slow or silent clients are disconnected after it.
  Duration request_timeout{std::chrono::seconds{30}};
  std::size_t max_header_bytes = 8 * 1024;  ///< larger request headers get 431
  std::size_t max_body_bytes = 64 * 1024;   ///< larger request bodies get 413
  /// Threads that render pages and query the store, so the event loop never waits on SQL.
  std::size_t worker_threads = 2;
};

/// Runs the HTTP server on its own thread. Reads the status model from `source` and history
/// from `store` (read-only). Throws std::runtime_error naming the address when it cannot bind.
class Server {
 public:
  /// `pings` (heartbeat ingest) and `alerts` (ack, silences), each may be null, must outlive
  /// the server.
  Server(const ServerOptions& options, const StatusSource& source, store::Store& store,
         const Clock& clock, PingSink* pings = nullptr, AlertControl* alerts = nullptr);
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
