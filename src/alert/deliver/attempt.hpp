#pragma once
// What one delivery attempt of one HttpRequest came to: the receiver's answer, or the layer
// at which it failed. The sender fills it in; the retry policy judges it.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace lk::alert::deliver {

/// Where an attempt stopped. `none` means an HTTP answer arrived (whatever its status).
enum class FailedLayer : std::uint8_t {
  none,
  request,     ///< the request itself is unusable (bad URL, unsupported scheme)
  dns,         ///< the host name did not resolve
  connect,     ///< TCP connect refused or unreachable
  tls,         ///< handshake or certificate verification failed
  connection,  ///< the connection broke or closed before a full answer
  timeout,     ///< no complete answer within the per-request bound
  redirect,    ///< the receiver answered 3xx; redirects are not followed (a configuration error)
  cancelled,   ///< the sender shut down while the request was in flight
};

std::string_view to_string(FailedLayer layer);

struct Attempt {
  int http_status = 0;  ///< 0 when no HTTP answer arrived
  /// For email: the SMTP server's final reply code (250 accepted, 4xx try later, 5xx rejected);
  /// 0 for HTTP or when no reply arrived.
  int smtp_code = 0;
  std::string retry_after;  ///< the raw Retry-After header of the answer, if any
  FailedLayer failed_layer = FailedLayer::none;
  std::string error;           ///< empty on 2xx; otherwise names the layer, secrets redacted
  std::string response_start;  ///< the first bytes of the answer's body (bounded)
  Duration duration{};

  bool answered() const {
    return failed_layer == FailedLayer::none && (http_status != 0 || smtp_code != 0);
  }
};

}  // namespace lk::alert::deliver
