#pragma once
// What the kinds that reach a server by host and port (postgres, mysql, redis) share: the `target`
// / `host` + `port` options, their URL form (scheme://user:password@host:port/path?option=value)
// for `lightkeeper check`, and name resolution on the event loop (the client libraries would
// resolve with a blocking call).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "config/fields.hpp"
#include "core/time.hpp"
#include "probe/probe.hpp"

namespace lk::probe {

struct Address {
  std::string host;  ///< name or literal address (IPv6 without brackets)
  std::uint16_t port = 0;
  /// "host:port", "[v6]:port".
  std::string text() const;
};

/// Splits "host", "host:port", "[v6]" or "[v6]:port"; the port defaults to `default_port`.
/// nullopt when malformed.
std::optional<Address> split_address(std::string_view text, std::uint16_t default_port);

/// Reads `target` (host[:port]) or `host` and `port` (all three must be in the kind's option
/// table, `port` with the kind's default); reports an error when both or neither are set.
Address read_address(config::Fields& fields);

/// The parts of scheme://user:password@host:port/path?key=value&..., percent-decoded.
struct ServerUrl {
  std::string scheme;  ///< lower-cased
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::string host;  ///< IPv6 without brackets
  std::optional<std::uint16_t> port;
  std::string path;  ///< after the first '/', decoded; empty when none
  std::vector<std::pair<std::string, std::string>> params;
};

/// Parses a server URL; the error names what is wrong. A '+' stays a '+' (as libpq reads it).
std::variant<ServerUrl, std::string> parse_server_url(std::string_view url);

/// Decodes %XX escapes; nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

/// The config fields of a URL: host, port, username, password, `path_field` (when the path is
/// not empty and `path_field` is given) and each query parameter whose key is in `params`.
/// `aliases` maps other parameter names to option names (e.g. sslmode -> tls).
UrlFields url_fields(std::string_view url, std::span<const std::string_view> schemes,
                     std::string_view path_field, std::span<const std::string_view> params,
                     std::span<const std::pair<std::string_view, std::string_view>> aliases = {});

/// The outcome of resolving a host name before connecting.
struct Resolved {
  std::string address;            ///< literal address of the first result; empty on failure
  std::optional<Duration> took;   ///< set when a lookup happened (not for a literal address)
  Layer failed_at = Layer::none;  ///< dns or timeout
  std::string error;
};

/// Resolves `host` on the event loop (a literal address is taken as it is), by `deadline`;
/// `took` is measured from `started` on `clock`, `budget` is named in a timeout message.
boost::asio::awaitable<Resolved> resolve(boost::asio::io_context& io, const Clock& clock,
                                         MonoTime started, const std::string& host, Duration budget,
                                         Deadline deadline);

}  // namespace lk::probe
