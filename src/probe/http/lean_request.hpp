#pragma once
// What the lean HTTP client sends: which checks it may run, where it connects, and the request
// bytes, rendered the way libcurl renders them so that a server sees the same request from
// either engine (plus `Connection: close`).

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "probe/http/settings.hpp"

namespace lk::probe::http {

/// Where one plain-http request goes: a literal IP address (no DNS), as curl normalised the URL.
/// Only while a plan is built or a redirect followed: a plan keeps just what each run needs.
struct LeanTarget {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host;  ///< as in the URL after curl's normalisation ("127.0.0.1", "[::1]")
  std::string path;  ///< request target: path and query ("/health?full=1")
};

/// The lean client's plan for a check, built on its first run and kept while the config is
/// loaded: one per check, so only what every run needs (host and path are re-derived from the
/// URL on the rare redirect).
struct LeanPlan {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string request;  ///< the whole first request: request line, headers and body
};

/// Writes the peer as the curl path reports it ("127.0.0.1:8080", "[::1]:8080") into `out`,
/// reusing its storage; allocates nothing else.
void write_peer(const boost::asio::ip::tcp::endpoint& endpoint, std::string& out);

/// A plan when the check can run without libcurl: an http:// URL with a literal IPv4/IPv6 address,
/// no user name, a fresh connection per check, no client certificate, and nothing curl would send
/// differently (a body with GET/HEAD, custom Content-Length, Transfer-Encoding or Expect). Host
/// names go to curl too, because asio's resolver runs one lookup at a time per io_context and a
/// slow DNS server would then delay every other check of the shard. nullptr otherwise.
std::unique_ptr<const LeanPlan> plan_lean(const Settings& s);

/// The target of an http:// URL with a literal address; nullopt for anything else.
std::optional<LeanTarget> lean_target(std::string_view url);

/// How a request after a redirect differs from the first, as curl decides.
struct RequestAdjustments {
  bool drop_body = false;        ///< 301/302/303 after a POST body: curl switches to GET
  bool keep_credentials = true;  ///< custom Authorization/Cookie only to the first host:port
  bool keep_custom_host = true;  ///< a custom Host only while the host name is the same
};

/// Renders the request for `target`: request line, Host (with the port unless 80), User-Agent,
/// Accept, Connection: close, the check's headers (a header with an empty value removes the
/// default of that name and sends nothing, as with curl), and the body with Content-Length and a
/// default Content-Type. The string is allocated at its exact size.
std::string render_request(const Settings& s, const LeanTarget& target,
                           const RequestAdjustments& adjust = {});

/// A redirect target resolved against the URL that answered, by curl's own URL parser.
struct RedirectTarget {
  std::string url;
  std::string scheme;  ///< lower case
  std::string host;
  long port = 0;
};

/// Resolves `location` against `base` like curl does when following; on failure, the message
/// curl gives ("The redirect target URL could not be parsed: ...").
struct ResolvedRedirect {
  std::optional<RedirectTarget> target;
  std::string error;
};
ResolvedRedirect resolve_redirect(const std::string& base, std::string_view location);

/// How the request after a redirect from `first` to `next` must change (credentials and Host).
RequestAdjustments adjustments_for(const LeanTarget& first, const RedirectTarget& next,
                                   bool drop_body);

}  // namespace lk::probe::http
