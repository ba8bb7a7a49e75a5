#pragma once
// A scripted HTTP peer on loopback for probe tests: it accepts connections one at a time on a
// free port, reads each request (head and Content-Length body), records it, and lets a script
// answer however it likes (well, badly, slowly, or not at all). Stopping never waits for a
// script: every pause and write also watches the stop signal.

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace lk::test {

class LoopbackServer {
 public:
  /// One accepted connection, as the script sees it.
  class Connection {
   public:
    Connection(int fd, int stop_fd, std::string request)
        : fd_(fd), stop_fd_(stop_fd), request_(std::move(request)) {}
    /// The request as received: head and body.
    const std::string& request() const { return request_; }
    /// The request target of the request line ("/path?query").
    std::string path() const;
    /// Writes all bytes unless the client goes away or the server stops; false then.
    bool send(std::string_view bytes);
    /// Waits; false when the server stops meanwhile.
    bool pause(std::chrono::milliseconds d);
    /// Keeps the connection open, saying nothing, until the client closes or the server stops.
    void hang();
    /// Closes with a TCP reset instead of a FIN.
    void reset();
    bool closed() const { return fd_ < 0; }

   private:
    friend class LoopbackServer;
    int fd_;
    int stop_fd_;
    std::string request_;
  };
  using Script = std::function<void(Connection&)>;

  /// With `read_request` false the script starts as soon as a connection is accepted.
  explicit LoopbackServer(Script script, int family = AF_INET, bool read_request = true);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::uint16_t port() const { return port_; }
  /// "http://127.0.0.1:PORT/path" (or [::1] for an IPv6 server).
  std::string url(std::string_view path = "/") const;
  /// Every request received so far, in order.
  std::vector<std::string> requests() const;

 private:
  void serve();

  Script script_;
  int family_;
  bool read_request_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

/// A port that refuses connections: bound, never listening (so nobody else gets it meanwhile).
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

/// A port whose accept queue is full, so a new connection attempt never completes: SYNs to a
/// listener with a full queue are dropped.
class BlackholePort {
 public:
  BlackholePort();
  ~BlackholePort();
  std::uint16_t port() const { return port_; }

 private:
  int listen_fd_ = -1;
  std::vector<int> fillers_;
  std::uint16_t port_ = 0;
};

}  // namespace lk::test
