#include "core/time.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace lk {

namespace {

std::optional<Duration> unit_length(std::string_view unit) {
  using namespace std::chrono;
  if (unit == "ns") return nanoseconds{1};
  if (unit == "us" || unit == "µs") return microseconds{1};
  if (unit == "ms") return milliseconds{1};
  if (unit == "s") return seconds{1};
  if (unit == "m") return minutes{1};
  if (unit == "h") return hours{1};
  if (unit == "d") return hours{24};
  if (unit == "w") return hours{24 * 7};
  return std::nullopt;
}

bool is_unit_char(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '\xc2' || c == '\xb5';
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  long double total_ns = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
      ++i;
    if (i == start) return std::nullopt;
    std::string number(text.substr(start, i - start));
    if (number.front() == '.' || number.back() == '.') return std::nullopt;
    char* end = nullptr;
    long double value = std::strtold(number.c_str(), &end);
    if (end != number.c_str() + number.size()) return std::nullopt;
    std::size_t unit_start = i;
    while (i < text.size() && is_unit_char(text[i])) ++i;
    auto unit = unit_length(text.substr(unit_start, i - unit_start));
    if (!unit) return std::nullopt;
    total_ns += value * static_cast<long double>(unit->count());
  }
  if (total_ns > 9.2e18L) return std::nullopt;
  return Duration{static_cast<Duration::rep>(std::llround(static_cast<double>(total_ns)))};
}

std::string format_duration(Duration d) {
  using namespace std::chrono;
  if (d < Duration::zero()) return "-" + format_duration(-d);
  if (d == Duration::zero()) return "0s";
  if (d < microseconds{1}) return std::to_string(d.count()) + "ns";
  if (d < milliseconds{1}) return std::to_string(duration_cast<microseconds>(d).count()) + "us";
  if (d < seconds{1}) return std::to_string(duration_cast<milliseconds>(d).count()) + "ms";
  if (d % seconds{1} != Duration::zero() && d < minutes{1}) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3gs", duration<double>(d).count());
    return buf;
  }
  std::string out;
  auto rest = duration_cast<seconds>(d);
  auto emit = [&](seconds unit, const char* name) {
    if (rest >= unit) {
      out += std::to_string(rest / unit) + name;
      rest %= unit;
    }
  };
  emit(hours{24}, "d");
  emit(hours{1}, "h");
  emit(minutes{1}, "m");
  emit(seconds{1}, "s");
  return out;
}

std::string format_time(TimePoint t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  int frac = static_cast<int>(ms - static_cast<long long>(secs) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

std::optional<TimePoint> parse_time(std::string_view text) {
  using namespace std::chrono;
  if (text.empty()) return std::nullopt;
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
  if (all_digits) {
    if (text.size() > 12) return std::nullopt;
    return TimePoint{seconds{std::stoll(std::string(text))}};
  }
  int y, mo, d, h, mi, s;
  int consumed = 0;
  std::string str(text);
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) !=
      6)
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::size_t i = static_cast<std::size_t>(consumed);
  nanoseconds frac{0};
  if (i < str.size() && str[i] == '.') {
    ++i;
    long long scale = 100'000'000;
    while (i < str.size() && std::isdigit(static_cast<unsigned char>(str[i]))) {
      frac += nanoseconds{(str[i] - '0') * scale};
      scale /= 10;
      ++i;
    }
  }
  seconds offset{0};
  if (i < str.size() && (str[i] == 'Z' || str[i] == 'z')) {
    ++i;
  } else if (i < str.size() && (str[i] == '+' || str[i] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(str.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset = hours{oh} + minutes{om};
    if (str[i] == '-') offset = -offset;
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != str.size()) return std::nullopt;
  auto days = sys_days{year{y} / month{static_cast<unsigned>(mo)} / day{static_cast<unsigned>(d)}};
  auto tp = TimePoint{duration_cast<TimePoint::duration>(days.time_since_epoch() + hours{h} +
                                                         minutes{mi} + seconds{s} - offset + frac)};
  return tp;
}

}  // namespace lk
