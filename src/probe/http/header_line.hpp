#pragma once
// One answer header line as both HTTP engines store it, so that libcurl and the lean client
// report the same headers for the same bytes.

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lk::probe::http {

/// Headers kept per answer; the rest are read and dropped.
inline constexpr std::size_t kMaxHeadersKept = 200;

/// Adds `line` (as received, line ending included) to `headers`: the name before the first ':'
/// lower-cased, the value without leading blanks and trailing CR/LF/spaces. Lines without a
/// colon and lines past the cap are ignored.
inline void keep_header_line(std::string_view line,
                             std::vector<std::pair<std::string, std::string>>& headers) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos || headers.size() >= kMaxHeadersKept) return;
  std::string name(line.substr(0, colon));
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  headers.emplace_back(std::move(name), std::string(value));
}

}  // namespace lk::probe::http
