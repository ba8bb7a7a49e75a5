#pragma once
// Sends the HttpRequests that channels build, off the caller's event loop: a few dedicated
// threads with libcurl easy handles take requests from a queue, and each completion is handed
// back through an injected executor (e.g. asio::post to the alerting strand). Notifications are
// low-volume, so a thread per in-flight request is cheap and keeps the code short.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "alert/deliver/attempt.hpp"
#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"
#include "core/time.hpp"

namespace lk::alert::deliver {

struct SenderOptions {
  std::size_t max_response_bytes = 4096;  ///< the answer's body is read at most this far
  std::string user_agent = "lightkeeper";
  /// Adds "Idempotency-Key: <key>" when the request has a key and no such header of its own.
  bool idempotency_header = true;
  std::string ca_file;  ///< empty: the system's trust store (tests and private CAs set this)
};

/// Performs one request on the calling thread, within `timeout` end to end. Blocking: use it
/// from a sender thread, never from an io thread. TLS is verified, redirects are reported (not
/// followed), and every secret of `request` is masked in the error text.
Attempt send_blocking(const HttpRequest& request, Duration timeout, const SenderOptions& options,
                      const std::function<bool()>& should_abort = {});

/// `text` with every secret of `request` (raw, percent- and form-encoded) replaced by "***",
/// the same rules as HttpRequest::redacted().
std::string redact(std::string text, const HttpRequest& request);

class HttpSender {
 public:
  /// Runs a completion where the caller wants it (its strand or event loop).
  using Executor = std::function<void(std::function<void()>)>;
  using Completion = std::function<void(Attempt)>;

  HttpSender(Executor executor, SenderOptions options = {}, std::size_t threads = 2);
  /// Aborts requests in flight (their completions report `cancelled`) and drops queued ones
  /// without a completion: the outbox is persisted, so they are sent after a restart.
  ~HttpSender();
  HttpSender(const HttpSender&) = delete;
  HttpSender& operator=(const HttpSender&) = delete;

  /// Queues `request` (HTTP, or an email for the SMTP sender); `done` runs through the
  /// executor once it is answered, has failed, or `timeout` has passed since it started.
  /// Never blocks.
  void send(Request request, Duration timeout, Completion done);

 private:
  struct Job {
    Request request;
    Duration timeout;
    Completion done;
  };
  void run();

  Executor executor_;
  SenderOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;  // guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace lk::alert::deliver
