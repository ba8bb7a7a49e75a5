#pragma once
// Where a tls or mail check connects (`target: host[:port]`) and how `lightkeeper check` URLs of
// these kinds (tls://host:port?starttls=smtp, imaps://host) become config fields.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/fields.hpp"
#include "probe/probe.hpp"

namespace lk::probe::tls {

struct HostPort {
  std::string host;  ///< a name or an address, without brackets
  std::uint16_t port = 0;

  /// "host:port", "[v6]:port".
  std::string to_string() const;
};

/// "host:port", "[v6]:port", or a bare "host" / "[v6]" / "v6-address" that takes `default_port`.
std::optional<HostPort> parse_target(std::string_view text, std::uint16_t default_port);

/// Reads the `target` field (required) with the kind's default port; reports a malformed value.
HostPort read_target(config::Fields& fields, std::uint16_t default_port);

/// True when `host` is an IPv4 or IPv6 address rather than a name.
bool is_ip_address(std::string_view host);

/// The fields of a `scheme://host[:port][/][?key=value&...]` URL: `target` is host:port (with
/// `default_port` when the URL has none), and each query parameter becomes the option of that
/// name, when `allowed` lists it. `error` says what is wrong otherwise.
UrlFields url_fields(std::string_view url, std::uint16_t default_port,
                     std::span<const config::Option> allowed);

}  // namespace lk::probe::tls
