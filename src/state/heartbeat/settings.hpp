#pragma once
// The settings of a heartbeat check (`type: heartbeat`): when pings are expected, how late they
// may be, and the secret of the ping URL. Heartbeats are passive: no probe runs them; pings
// arrive over HTTP and the HeartbeatMonitor (monitor.hpp) turns them and their absence into
// results.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/fields.hpp"
#include "core/check.hpp"
#include "schedule/cron.hpp"

namespace lk::state::heartbeat {

struct Settings : ProbeSettings {
  /// Expected time between pings; zero when a schedule is given instead.
  Duration period{};
  /// When runs are expected (cron in a time zone); null when a period is given instead.
  std::shared_ptr<const schedule::CronSchedule> schedule;
  /// How late a ping (or the end of a started run) may be before the check is late.
  Duration grace{};
  /// The ping URL's secret as configured; empty: derived from the check name and the instance
  /// secret (see app/ping_tokens.hpp).
  std::string token;
};

/// The options of `type: heartbeat` (for the loader and docs/configuration.md).
std::span<const config::Option> options();
/// Reads a heartbeat's settings; sets spec.target to a description without the token.
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);

/// The default grace: 1h for a schedule; for a period, a tenth of it within [1m, 1h].
Duration default_grace(Duration period, bool scheduled);
/// True when `token` can be a ping token: 16 to 128 letters, digits, '-' or '_'.
bool valid_token(std::string_view token);

}  // namespace lk::state::heartbeat
