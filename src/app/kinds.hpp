#pragma once
// The table of probe kinds: the one place a new kind is added (one folder plus one line here).

#include <boost/asio/io_context.hpp>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "probe/probe.hpp"

namespace lk::app {

struct ProbeKind {
  std::string_view type;
  /// URL schemes `lightkeeper check` maps to this kind ("https://..." -> http).
  std::span<const std::string_view> schemes;
  /// The config field a URL fills: the whole URL, or its authority (host:port) when
  /// `authority_only`.
  std::string_view url_field;
  bool authority_only;
  std::span<const config::Option> (*options)();
  std::shared_ptr<const ProbeSettings> (*parse)(config::Fields&, CheckSpec&);
  /// Null for a passive kind (heartbeat): no probe runs it and the shards never see it.
  std::unique_ptr<probe::Probe> (*make)(boost::asio::io_context&, const Clock&);
  /// Reads the kind's own URL form for `lightkeeper check`; null: the URL (or its authority)
  /// goes into `url_field`.
  probe::UrlFields (*from_url)(std::string_view url) = nullptr;
};

std::span<const ProbeKind> probe_kinds();
const ProbeKind* find_kind(std::string_view type);
/// True for kinds that no probe runs (heartbeats).
bool is_passive(std::string_view type);
/// The parsers the config loader needs, one per kind.
std::vector<config::ProbeKindParser> kind_parsers();

}  // namespace lk::app
