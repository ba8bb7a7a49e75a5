#pragma once
// The icmp check's settings: whom to ping, how many echo requests, how fast, how big.

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "config/fields.hpp"
#include "core/check.hpp"
#include "probe/probe.hpp"

namespace lk::probe::icmp {

struct Settings final : ProbeSettings {
  std::string host;  ///< name or address (IPv4 or IPv6)
  int count = 3;
  Duration interval = std::chrono::milliseconds{500};  ///< `echo_interval`, between requests
  Duration reply_timeout = std::chrono::seconds{1};
  std::size_t size = 56;  ///< payload bytes after the 8-byte ICMP header
};

std::span<const config::Option> options();
/// Reads `host`, `count`, `echo_interval`, `reply_timeout`, `size`; checks that the requests fit in
/// the check's timeout; sets spec.target to the host.
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);
/// `icmp://host?count=3&interval=200ms&size=56&reply_timeout=1s` (IPv6 as icmp://[::1]).
UrlFields from_url(std::string_view url);

}  // namespace lk::probe::icmp
