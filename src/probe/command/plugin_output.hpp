#pragma once
// Reading what a Nagios / Monitoring Plugins check printed, by the Monitoring Plugins
// development guidelines (https://www.monitoring-plugins.org/doc/guidelines.html):
//
//   TEXT OUTPUT | OPTIONAL PERFDATA
//   LONG TEXT LINE 1
//   LONG TEXT LINE N | PERFDATA LINE 2
//   PERFDATA LINE 3
//
// Performance data is a space-separated list of 'label'=value[UOM];[warn];[crit];[min];[max].
// Pure functions: no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lk::probe::command {

/// One performance data item.
struct PerfValue {
  std::string label;  ///< unquoted ("/", "time", "used space")
  double value = 0;
  std::string unit;  ///< as printed: "", "s", "ms", "%", "B", "KB", "c", ...
  std::string warn;  ///< threshold range as printed ("10:", "@5:10"); empty when absent
  std::string crit;
  std::optional<double> min, max;
};

struct PerfData {
  std::vector<PerfValue> values;
  /// Items that are not label=value[UOM];...: each a short reason naming the item.
  std::vector<std::string> problems;
};

/// Parses a performance data string (the part after '|', lines joined). Items whose value is
/// "U" (undetermined) are skipped without a problem.
PerfData parse_perfdata(std::string_view text);

struct PluginOutput {
  std::string summary;    ///< first line, before '|', trimmed
  std::string long_text;  ///< the following lines of text, without performance data
  PerfData perfdata;
};

/// Splits a plugin's standard output into its summary, long text and performance data.
PluginOutput parse_plugin_output(std::string_view output);

/// Where `text` stops being plugin text: the offset of the first NUL, other control character
/// (besides tab, CR, LF) or invalid UTF-8 sequence; nullopt when it is all text.
std::optional<std::size_t> first_non_text(std::string_view text);

}  // namespace lk::probe::command
