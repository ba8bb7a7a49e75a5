#include "web/text.hpp"

#include "core/text.hpp"

#include <cmath>
#include <cstdio>

namespace lk::web {

void append_html_escaped(std::string& out, std::string_view text) {
  lk::append_html_escaped(out, text, /*quotes=*/true);
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_html_escaped(out, text);
  return out;
}

void append_xml_escaped(std::string& out, std::string_view text) {
  // The HTML escapes are XML's too; XML 1.0 also has no place for most control characters.
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const auto byte = i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
    if (i < text.size() && (byte >= 0x20 || byte == '\t' || byte == '\n' || byte == '\r')) continue;
    append_html_escaped(out, text.substr(start, i - start));
    start = i + 1;
  }
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::string format_percent(double fraction) {
  if (!std::isfinite(fraction)) return "?";
  if (fraction >= 1.0) return "100%";
  if (fraction <= 0.0) return "0%";
  double hundredths = std::floor(fraction * 10000.0 + 1e-9);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", hundredths / 100.0);
  return buf;
}

std::string format_latency_ms(double ms) {
  char buf[32];
  if (ms < 10)
    std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  else if (ms < 1000)
    std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  else
    std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000.0);
  return buf;
}

std::string format_day(TimePoint t) {
  return format_time(t).substr(0, 10);
}

std::string format_short_day(TimePoint t) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(t)};
  return std::string(kMonths[static_cast<unsigned>(date.month()) - 1]) + " " +
         std::to_string(static_cast<unsigned>(date.day()));
}

std::string format_minute(TimePoint t) {
  std::string rfc3339 = format_time(t);  // 2026-11-21T08:35:00.123Z
  return rfc3339.substr(0, 10) + " " + rfc3339.substr(11, 5) + " UTC";
}

std::string format_duration_seconds(Duration d) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(d);
  if (seconds < std::chrono::seconds{0}) seconds = std::chrono::seconds{0};
  return format_duration(seconds);
}

}  // namespace lk::web
