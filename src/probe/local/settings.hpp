#pragma once
// The local check's settings: which fact of this machine to check (disk, load, memory, clock).

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "config/fields.hpp"
#include "core/check.hpp"
#include "probe/probe.hpp"

namespace lk::probe::local {

enum class What { disk, load, memory, clock };

struct Settings final : ProbeSettings {
  What what = What::disk;
  std::string path = "/";   ///< disk: a path on the file system to check
  bool per_cpu = false;     ///< load: divide by the number of CPUs
  std::string server_host;  ///< clock: the NTP server
  std::uint16_t server_port = 123;
};

std::span<const config::Option> options();
/// Reads `check` and the options of that check; sets spec.target ("disk /var", "clock ntp1:123").
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);
/// `local://disk/?path=/`, `local://disk/var`, `local://load?per_cpu=true`, `local://memory`,
/// `local://clock?server=127.0.0.1:123`.
UrlFields from_url(std::string_view url);

/// "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address; nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> split_server(std::string_view text,
                                                                  std::uint16_t default_port);

}  // namespace lk::probe::local
