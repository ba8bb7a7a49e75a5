#include "probe/local/system_facts.hpp"

#include <charconv>
#include <cstdio>

namespace lk::probe::local {

namespace {

std::optional<double> read_number(std::string_view& text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

double percent(double part, double whole) {
  return whole > 0 ? 100.0 * part / whole : 0.0;
}

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

}  // namespace

std::string readable_bytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 6) {
    bytes /= 1024;
    ++unit;
  }
  return unit == 0 ? fixed(bytes, 0) + " B" : fixed(bytes, 1) + " " + kUnits[unit];
}

std::optional<LoadAverage> parse_loadavg(std::string_view text) {
  LoadAverage load;
  auto one = read_number(text);
  auto five = read_number(text);
  auto fifteen = read_number(text);
  if (!one || !five || !fifteen || *one < 0 || *five < 0 || *fifteen < 0) return std::nullopt;
  if (!text.empty() && text.front() != ' ' && text.front() != '\n') return std::nullopt;
  load.one = *one;
  load.five = *five;
  load.fifteen = *fifteen;
  return load;
}

std::optional<MemoryInfo> parse_meminfo(std::string_view text) {
  std::optional<std::uint64_t> total, available, free, buffers, cached, swap_total, swap_free;
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = line.substr(0, colon);
    std::string_view rest = line.substr(colon + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (ec != std::errc{}) continue;
    std::string_view unit = rest.substr(static_cast<std::size_t>(end - rest.data()));
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    if (unit == "kB") value *= 1024;
    if (key == "MemTotal")
      total = value;
    else if (key == "MemAvailable")
      available = value;
    else if (key == "MemFree")
      free = value;
    else if (key == "Buffers")
      buffers = value;
    else if (key == "Cached")
      cached = value;
    else if (key == "SwapTotal")
      swap_total = value;
    else if (key == "SwapFree")
      swap_free = value;
  }
  if (!total) return std::nullopt;
  MemoryInfo m;
  m.total = *total;
  // Kernels before 3.14 have no MemAvailable; free + buffers + page cache approximates it.
  m.available =
      available ? *available : free.value_or(0) + buffers.value_or(0) + cached.value_or(0);
  m.swap_total = swap_total.value_or(0);
  m.swap_free = swap_free.value_or(0);
  return m;
}

Observation disk_observation(std::string_view path, const DiskSpace& d) {
  Observation obs;
  const double used = static_cast<double>(d.size > d.free ? d.size - d.free : 0);
  const double usable = used + static_cast<double>(d.available);
  const double free_percent = percent(static_cast<double>(d.available), usable);
  obs.metrics = {
      {"free_bytes", static_cast<double>(d.available), "B"}, {"used_bytes", used, "B"},
      {"size_bytes", static_cast<double>(d.size), "B"},      {"free_percent", free_percent, "%"},
      {"used_percent", 100.0 - free_percent, "%"},
  };
  std::string summary =
      std::string(path) + ": " + readable_bytes(static_cast<double>(d.available)) + " free of " +
      readable_bytes(static_cast<double>(d.size)) + " (" + fixed(free_percent, 0) + "%)";
  if (d.inodes > 0) {
    double inodes_free_percent =
        percent(static_cast<double>(d.inodes_free), static_cast<double>(d.inodes));
    obs.metrics.push_back({"inodes_free", static_cast<double>(d.inodes_free), ""});
    obs.metrics.push_back({"inodes_free_percent", inodes_free_percent, "%"});
    summary += ", inodes " + fixed(inodes_free_percent, 0) + "% free";
  }
  obs.verdict = OwnVerdict{Status::ok, std::move(summary)};
  return obs;
}

Observation load_observation(const LoadAverage& load, int cpus, bool per_cpu) {
  Observation obs;
  const double divisor = per_cpu && cpus > 0 ? cpus : 1;
  obs.metrics = {
      {"load1", load.one / divisor, ""},
      {"load5", load.five / divisor, ""},
      {"load15", load.fifteen / divisor, ""},
      {"cpus", static_cast<double>(cpus), ""},
  };
  std::string summary = std::string(per_cpu ? "load per CPU " : "load ") +
                        fixed(load.one / divisor, 2) + " " + fixed(load.five / divisor, 2) + " " +
                        fixed(load.fifteen / divisor, 2) + " on " + std::to_string(cpus) +
                        (cpus == 1 ? " CPU" : " CPUs");
  obs.verdict = OwnVerdict{Status::ok, std::move(summary)};
  return obs;
}

Observation memory_observation(const MemoryInfo& m) {
  Observation obs;
  const double available_percent =
      percent(static_cast<double>(m.available), static_cast<double>(m.total));
  const double swap_used = static_cast<double>(m.swap_total - std::min(m.swap_free, m.swap_total));
  const double swap_used_percent = percent(swap_used, static_cast<double>(m.swap_total));
  obs.metrics = {
      {"total_bytes", static_cast<double>(m.total), "B"},
      {"available_bytes", static_cast<double>(m.available), "B"},
      {"available_percent", available_percent, "%"},
      {"used_percent", 100.0 - available_percent, "%"},
      {"swap_total_bytes", static_cast<double>(m.swap_total), "B"},
      {"swap_free_bytes", static_cast<double>(m.swap_free), "B"},
      {"swap_used_percent", swap_used_percent, "%"},
  };
  std::string summary = readable_bytes(static_cast<double>(m.available)) + " of " +
                        readable_bytes(static_cast<double>(m.total)) + " memory available (" +
                        fixed(available_percent, 0) + "%)";
  summary += m.swap_total > 0 ? ", swap " + fixed(swap_used_percent, 0) + "% used" : ", no swap";
  obs.verdict = OwnVerdict{Status::ok, std::move(summary)};
  return obs;
}

}  // namespace lk::probe::local
