#pragma once
// One libcurl multi handle driven by an Asio io_context (curl's "multi_socket" API): curl owns
// the sockets and says what to wait for; Asio watches them (without owning them) and runs the
// one timer. One per shard; not thread-safe
// (everything runs on the shard's thread), so no locks on the probe path.

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <unordered_map>

namespace lk::probe::http {

/// Something waiting for one easy handle to finish.
class TransferListener {
 public:
  virtual void transfer_done(CURLcode code) = 0;

 protected:
  ~TransferListener() = default;
};

class CurlMulti {
 public:
  explicit CurlMulti(boost::asio::io_context& io);
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  /// Starts a transfer; `listener` is told on this io_context when it ends. The easy handle's
  /// CURLOPT_PRIVATE is used by this class.
  void add(CURL* easy, TransferListener* listener);
  /// Abandons a transfer before it finished (deadline passed); the listener is not called.
  void remove(CURL* easy);

  std::size_t running() const { return running_; }

 private:
  struct Socket;
  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socketp);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);

  void arm(const std::shared_ptr<Socket>& s);
  void forget(Socket& s);
  void socket_action(curl_socket_t fd, int events);
  void collect_finished();

  boost::asio::io_context& io_;
  CURLM* multi_;
  boost::asio::steady_timer timer_;
  bool timer_armed_ = false;  ///< a wake-up for curl's timer is pending
  std::chrono::steady_clock::time_point timer_due_{};
  std::unordered_map<curl_socket_t, std::shared_ptr<Socket>> sockets_;
  std::size_t running_ = 0;
};

}  // namespace lk::probe::http
