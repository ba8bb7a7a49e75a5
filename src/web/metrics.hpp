#pragma once
// Prometheus text exposition (format 0.0.4) of the status snapshot, the store and the process.

#include <optional>
#include <string>
#include <string_view>

#include "web/model.hpp"

namespace lk::store {
struct Stats;
}

namespace lk::web {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

/// What the kernel says about this process; a figure is missing when it could not be read.
struct ProcessFigures {
  std::optional<double> resident_memory_bytes;
  std::optional<double> cpu_seconds;
  std::optional<double> virtual_memory_bytes;
  std::optional<double> open_fds;
  std::optional<double> max_fds;  ///< the soft limit; missing when unlimited
};

/// Reads memory from /proc/self/statm, CPU time from getrusage, open descriptors from
/// /proc/self/fd and their limit from getrlimit.
ProcessFigures read_process_figures();

/// Escapes a label value: backslash, double quote and newline; bytes that are not UTF-8
/// become U+FFFD (a scraper rejects the whole page for one invalid label value).
std::string escape_label_value(std::string_view value);

/// The whole /metrics body: every family with # HELP and # TYPE, its series contiguous.
std::string render_metrics(const StatusSnapshot& snapshot, const store::Stats& store_stats,
                           const ProcessFigures& process);

}  // namespace lk::web
