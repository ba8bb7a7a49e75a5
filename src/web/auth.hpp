#pragma once
// Who may use the REST API: bearer tokens from the config (scopes read and write), compared in
// constant time and never logged or echoed. Without any token configured, reads are open and
// writes are accepted from loopback clients only, so a fresh install works from its own shell.

#include <string>
#include <variant>

#include "core/status_page.hpp"
#include "web/http.hpp"

namespace lk::web {

/// Who made an allowed request: a token's name, "local" (a loopback client while no token is
/// configured) or "anonymous" (a public read).
struct Caller {
  std::string name;
  bool may_write = false;
};

enum class Access { read, write };

/// Decides whether `request` may do what `access` says under `settings`. Returns the caller, or
/// the 401/403 JSON answer to send instead (with WWW-Authenticate on 401).
std::variant<Caller, Response> authorize(const ApiSettings& settings, const Request& request,
                                         Access access);

/// Equal in time independent of where the strings differ (and of their lengths, which are
/// hashed away first), so that response times do not leak a token byte by byte.
bool secrets_equal(std::string_view a, std::string_view b);

}  // namespace lk::web
