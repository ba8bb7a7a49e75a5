#pragma once
// Settings of a `dns` check, how they are read from the config, and the dns:// URL form of
// `lightkeeper check`.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/fields.hpp"
#include "core/check.hpp"
#include "probe/probe.hpp"

namespace lk::probe::dns {

struct Settings final : ProbeSettings {
  std::string server_host;  ///< address or host name of the server; empty: the system resolver
  std::uint16_t port = 53;
  std::string query;  ///< the name asked for, fully qualified ("www.example.com.")
  std::uint16_t record_type = 1;
  bool force_tcp = false;  ///< ask over TCP only (default: UDP, then TCP when truncated)
  bool recursion = true;   ///< set RD (recursion desired)
  bool edns = true;        ///< send an EDNS0 OPT record
  /// No `expect:` was given: the answer must be NOERROR with at least one record of the type.
  bool default_expectations = true;
  std::vector<std::uint8_t> query_packet;  ///< built once at load, message id 0

  /// "127.0.0.1:53", "[::1]:5353", or "the system resolver".
  std::string server_text() const;
};

/// The option table of the dns kind (defaults and docs).
std::span<const config::Option> options();

/// Reads the dns fields of a check; sets spec.target to the check's dns:// URL.
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);

/// Reads `dns://[SERVER[:PORT]]/NAME[?type=MX&tcp=true&recursion=false&edns=false]` into config
/// fields; an empty server (dns:///NAME) asks the system resolver.
UrlFields from_url(std::string_view url);

}  // namespace lk::probe::dns
