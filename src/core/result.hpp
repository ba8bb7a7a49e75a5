#pragma once
// What one run of a check produced.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "core/time.hpp"

namespace lk {

/// The location a local probe reports from.
inline constexpr std::string_view kLocalLocation = "local";

/// Time spent in each phase, each measured from the start of the check (like curl's
/// CURLINFO_*_TIME: cumulative, not per phase). Missing phases were not reached or do not apply.
struct PhaseTimings {
  std::optional<Duration> dns;         ///< name resolved
  std::optional<Duration> connect;     ///< TCP connected
  std::optional<Duration> tls;         ///< TLS handshake done
  std::optional<Duration> first_byte;  ///< first byte of the answer
  std::optional<Duration> total;       ///< everything done
};

/// A number the probe measured (Nagios perfdata), e.g. {"body_bytes", 1234, "B"}.
struct Metric {
  std::string name;
  double value = 0;
  std::string unit;
};

/// The layer at which a check failed, HAProxy-style; `none` when the target answered.
enum class Layer : unsigned char { none, dns, connect, tls, send, response, timeout, internal };
std::string_view to_string(Layer l);

/// A verdict the target gives on itself (a Nagios plugin's exit code and first output line), or
/// a probe's own summary of what it measured. app/runner.cpp merges it with the conditions.
struct OwnVerdict {
  Status status = Status::ok;
  std::string message;
};

/// What a probe saw, before the check's conditions judged it.
struct Observation {
  TimePoint started_at{};
  Layer failed_at = Layer::none;  ///< none when the exchange completed
  std::string error;              ///< human message naming the layer, when failed_at != none
  std::string peer;               ///< address connected to, e.g. "127.0.0.1:443"

  // HTTP-style answer (empty for probes that have none).
  std::optional<int> status_code;
  std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased
  std::string body;                                          ///< at most the check's max body size
  bool body_truncated = false;                               ///< more was sent than was read
  std::optional<TimePoint> cert_not_after;

  PhaseTimings timings;
  std::vector<Metric> metrics;
  std::optional<OwnVerdict> verdict;  ///< set by kinds whose target judges itself

  /// Total time of the exchange (timings.total, or the time until failure).
  Duration latency() const { return timings.total.value_or(Duration::zero()); }
  /// First header with this lower-case name, if any.
  const std::string* header(std::string_view lower_name) const;
};

/// One stored, judged result of a check at a location.
struct Result {
  std::string check;     ///< check name (unique in the config)
  std::string location;  ///< where it ran, kLocalLocation for the control node
  TimePoint started_at{};
  Duration duration{};
  Status status = Status::unknown;
  std::string message;  ///< why: the failing layer or condition, or a short summary when ok
  PhaseTimings timings;
  std::vector<Metric> metrics;
  std::optional<TimePoint> cert_not_after;
};

}  // namespace lk
