#include "expect/format.hpp"

#include <charconv>
#include <cmath>

namespace lk::expect {

std::string quote(std::string_view text, std::size_t max) {
  bool cut = text.size() > max;
  if (cut) {
    std::size_t end = max;
    // Back up over UTF-8 continuation bytes so that a character is never split.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
  }
  std::string out;
  out.reserve(text.size() + 8);
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
    }
  }
  if (cut) out += "...";
  out += '"';
  return out;
}

std::string format_number(double value) {
  char buffer[64];
  std::to_chars_result result;
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15)
    result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(value));
  else
    result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string format_readable(Duration d) {
  using namespace std::chrono;
  if (d < Duration::zero()) return "-" + format_readable(-d);
  if (d < milliseconds{1}) return format_duration(d);
  if (d < seconds{1}) return format_duration(round<milliseconds>(d));
  if (d < minutes{1}) return format_duration(d);
  // Past a minute, the two largest units say enough: "3d4h", not "3d4h12m5s".
  struct Unit {
    seconds length;
    const char* name;
  };
  static constexpr Unit kUnits[] = {
      {hours{24}, "d"}, {hours{1}, "h"}, {minutes{1}, "m"}, {seconds{1}, "s"}};
  auto rest = duration_cast<seconds>(d);
  std::string out;
  int shown = 0;
  for (const auto& unit : kUnits) {
    if (shown == 2) break;
    if (rest >= unit.length) {
      out += std::to_string(rest / unit.length) + unit.name;
      rest %= unit.length;
      ++shown;
    } else if (shown > 0) {
      break;  // "3d" rather than "3d0h5m": the next unit is too small to matter
    }
  }
  return out;
}

std::string format_bytes(std::size_t bytes) {
  return std::to_string(bytes) + " bytes";
}

}  // namespace lk::expect
