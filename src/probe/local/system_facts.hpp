#pragma once
// What the local checks read from this machine, and how each becomes an Observation: pure
// functions of the text of /proc files and of statvfs numbers, so tests feed them directly.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace lk::probe::local {

struct LoadAverage {
  double one = 0, five = 0, fifteen = 0;
};

/// "0.52 0.61 0.70 2/345 12345" (the format of /proc/loadavg).
std::optional<LoadAverage> parse_loadavg(std::string_view text);

struct MemoryInfo {
  std::uint64_t total = 0;      ///< bytes
  std::uint64_t available = 0;  ///< MemAvailable, or MemFree + Buffers + Cached on old kernels
  std::uint64_t swap_total = 0;
  std::uint64_t swap_free = 0;
};

/// The text of /proc/meminfo ("MemTotal:       16314504 kB" lines); nullopt without MemTotal.
std::optional<MemoryInfo> parse_meminfo(std::string_view text);

/// The numbers statvfs gives, already multiplied by the fragment size where they are blocks.
struct DiskSpace {
  std::uint64_t size = 0;       ///< bytes
  std::uint64_t free = 0;       ///< bytes free for everyone (f_bfree)
  std::uint64_t available = 0;  ///< bytes free for unprivileged users (f_bavail), what df shows
  std::uint64_t inodes = 0;     ///< 0 when the file system does not count them (btrfs)
  std::uint64_t inodes_free = 0;
};

/// Metrics free_bytes, used_bytes, size_bytes (B), free_percent, used_percent (%, as df computes
/// them: of the space a user can use), inodes_free and inodes_free_percent; ok summary.
Observation disk_observation(std::string_view path, const DiskSpace& d);
/// Metrics load1, load5, load15 (divided by `cpus` when `per_cpu`) and cpus; ok summary.
Observation load_observation(const LoadAverage& load, int cpus, bool per_cpu);
/// Metrics total_bytes, available_bytes (B), available_percent, used_percent, swap_total_bytes,
/// swap_free_bytes, swap_used_percent; ok summary.
Observation memory_observation(const MemoryInfo& m);

/// 1536 -> "1.5 KiB", 3.2e9 -> "3.0 GiB".
std::string readable_bytes(double bytes);

}  // namespace lk::probe::local
