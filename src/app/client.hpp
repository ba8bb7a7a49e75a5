#pragma once
// The small HTTP client of the commands that talk to a running Lightkeeper (`ping`, `ctl`).

#include <string>
#include <string_view>

#include "core/time.hpp"

namespace lk::app {

/// The base URL of the running server: `server` when given, else the config's public_url or
/// listen address (a wildcard address is reached over loopback), else http://127.0.0.1:8080.
/// `who` prefixes the note printed when the config has errors ("lightkeeper ping").
std::string server_base(const std::string& server, const std::string& config_path,
                        std::string_view who);

struct HttpAnswer {
  long status = 0;    ///< 0 when no answer arrived
  std::string body;   ///< at most 64 KiB
  std::string error;  ///< transport error, when status is 0
};

/// One request with a bounded time; `content_type` is sent when there is a body, `bearer` as
/// "Authorization: Bearer ..." when not empty.
HttpAnswer http_call(std::string_view method, const std::string& url, const std::string& body,
                     std::string_view content_type, Duration timeout, std::string_view agent,
                     std::string_view bearer = {});

}  // namespace lk::app
