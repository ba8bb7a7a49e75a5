#pragma once
// Heartbeat ingest: GET/POST/HEAD /ping/{token}, /ping/{token}/start, /ping/{token}/fail.
// The router answers these without touching the status model or the store; the sink hands
// each ping to the control thread and returns at once.

#include <string_view>

#include "web/http.hpp"

namespace lk::web {

enum class PingSignal { success, start, fail };

/// Receives pings from the web threads. Implementations must not block.
class PingSink {
 public:
  virtual ~PingSink() = default;
  /// Delivers a ping; false when no heartbeat has this token.
  virtual bool ping(std::string_view token, PingSignal signal, std::string_view body) = 0;
};

/// Bytes of a ping's body passed on; the rest is ignored.
inline constexpr std::size_t kMaxPingBody = 10 * 1024;

/// True for paths under /ping/.
bool is_ping_path(std::string_view path);
/// Answers a request for a /ping/ path: 200 "OK", 404 JSON for an unknown token (saying
/// nothing about which tokens exist), 405 for other methods. `sink` may be null (no heartbeats).
Response answer_ping(const Request& request, PingSink* sink);

}  // namespace lk::web
