#include "schedule/cron.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace lk::schedule {

namespace {

using namespace std::chrono;

/// 8 years covers every leap-day schedule (29 February comes at least once in 8 years).
constexpr int kSearchDays = 8 * 366 + 2;

constexpr std::array<std::string_view, 12> kMonthNames{"jan", "feb", "mar", "apr", "may", "jun",
                                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDayNames{"sun", "mon", "tue", "wed",
                                                    "thu", "fri", "sat"};

struct FieldSpec {
  std::string_view name;
  int min;
  int max;
  const std::string_view* names = nullptr;  ///< names[i] stands for min + i
  std::size_t name_count = 0;
};

constexpr FieldSpec kMinute{"minute", 0, 59};
constexpr FieldSpec kHour{"hour", 0, 23};
constexpr FieldSpec kDayOfMonth{"day-of-month", 1, 31};
constexpr FieldSpec kMonth{"month", 1, 12, kMonthNames.data(), kMonthNames.size()};
// 7 is Sunday too, as in every cron.
constexpr FieldSpec kDayOfWeek{"day-of-week", 0, 7, kDayNames.data(), kDayNames.size()};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

std::optional<int> number(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

/// Sets the values of one field in `bits` (indexed by value); returns an error message or "".
std::string parse_field(std::string_view text, const FieldSpec& spec, std::vector<bool>& bits) {
  const std::string where = std::string(spec.name) + " field \"" + std::string(text) + "\": ";
  auto value_of = [&](std::string_view item, int& out) -> std::string {
    if (auto n = number(item)) {
      if (*n < spec.min || *n > spec.max)
        return where + std::string(item) + " is not in " + std::to_string(spec.min) + "-" +
               std::to_string(spec.max);
      out = *n;
      return {};
    }
    const std::string name = lower(item);
    for (std::size_t i = 0; i < spec.name_count; ++i) {
      if (spec.names[i] == name) {
        out = spec.min + static_cast<int>(i);
        return {};
      }
    }
    return where + "\"" + std::string(item) + "\" is not a number" +
           (spec.name_count ? " or a name" : "");
  };
  if (text.empty()) return where + "empty";
  for (std::string_view item : split(text, ',')) {
    if (item.empty()) return where + "empty list item";
    auto slash = split(item, '/');
    if (slash.size() > 2) return where + "more than one '/' in \"" + std::string(item) + "\"";
    int first = spec.min, last = spec.max, step = 1;
    std::string_view range = slash[0];
    if (range != "*") {
      auto dash = split(range, '-');
      if (dash.size() > 2) return where + "more than one '-' in \"" + std::string(range) + "\"";
      if (auto e = value_of(dash[0], first); !e.empty()) return e;
      last = first;
      if (dash.size() == 2) {
        if (auto e = value_of(dash[1], last); !e.empty()) return e;
        if (last < first) return where + "range " + std::string(range) + " ends before it starts";
      } else if (slash.size() == 2) {
        last = spec.max;  // "5/15" means 5-max/15
      }
    }
    if (slash.size() == 2) {
      auto n = number(slash[1]);
      if (!n || *n < 1 || *n > spec.max - spec.min + 1)
        return where + "step \"" + std::string(slash[1]) + "\" must be a number from 1 to " +
               std::to_string(spec.max - spec.min + 1);
      step = *n;
    }
    for (int v = first; v <= last; v += step) bits[static_cast<std::size_t>(v)] = true;
  }
  return {};
}

std::string_view expand_shorthand(std::string_view expression) {
  const std::string name = lower(expression);
  if (name == "@yearly" || name == "@annually") return "0 0 1 1 *";
  if (name == "@monthly") return "0 0 1 * *";
  if (name == "@weekly") return "0 0 * * 0";
  if (name == "@daily" || name == "@midnight") return "0 0 * * *";
  if (name == "@hourly") return "0 * * * *";
  return {};
}

TimePoint to_time_point(date::sys_seconds s) {
  return time_point_cast<Duration>(s);
}

}  // namespace

std::variant<CronSchedule, std::string> CronSchedule::parse(std::string_view expression,
                                                            std::string_view timezone) {
  CronSchedule cron;
  cron.expression_ = std::string(expression);
  cron.timezone_ = std::string(timezone);
  std::string_view text = expression;
  if (text.starts_with('@')) {
    text = expand_shorthand(expression);
    if (text.empty())
      return "unknown shorthand \"" + std::string(expression) +
             "\"; use @hourly, @daily, @weekly, @monthly or @yearly";
  }
  std::vector<std::string_view> fields;
  std::size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
    std::size_t end = at;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    if (end > at) fields.push_back(text.substr(at, end - at));
    at = end;
  }
  if (fields.size() != 5)
    return "expected 5 fields (minute hour day-of-month month day-of-week) or a shorthand such "
           "as @daily, got " +
           std::to_string(fields.size()) + " field(s)";

  const FieldSpec* specs[5] = {&kMinute, &kHour, &kDayOfMonth, &kMonth, &kDayOfWeek};
  std::vector<bool> bits[5];
  for (int i = 0; i < 5; ++i) {
    bits[i].assign(static_cast<std::size_t>(specs[i]->max) + 1, false);
    if (auto e = parse_field(fields[i], *specs[i], bits[i]); !e.empty()) return e;
  }
  for (std::size_t v = 0; v < 60; ++v) cron.minutes_[v] = bits[0][v];
  for (std::size_t v = 0; v < 24; ++v) cron.hours_[v] = bits[1][v];
  for (std::size_t v = 1; v <= 31; ++v) cron.days_of_month_[v] = bits[2][v];
  for (std::size_t v = 1; v <= 12; ++v) cron.months_[v] = bits[3][v];
  for (std::size_t v = 0; v < 7; ++v) cron.days_of_week_[v] = bits[4][v];
  if (bits[4][7]) cron.days_of_week_[0] = true;
  cron.day_of_month_star_ = fields[2].starts_with('*');
  cron.day_of_week_star_ = fields[4].starts_with('*');
  cron.wildcard_ = fields[0].starts_with('*') || fields[1].starts_with('*');

  try {
    cron.zone_ = date::locate_zone(std::string(timezone));
  } catch (const std::exception&) {
    return "unknown time zone \"" + std::string(timezone) +
           "\"; use an IANA name such as UTC, Europe/London or America/New_York";
  }
  // 2024-01-01T00:00:00Z: any fixed instant will do to find a schedule that never fires.
  if (!cron.next_after(TimePoint{seconds{1'704'067'200}}))
    return "\"" + std::string(expression) + "\" never fires (no such day, e.g. 30 February)";
  return cron;
}

std::optional<TimePoint> CronSchedule::next_after(TimePoint t) const {
  return search(t, true);
}

std::optional<TimePoint> CronSchedule::previous_at_or_before(TimePoint t) const {
  return search(t, false);
}

std::optional<TimePoint> CronSchedule::search(TimePoint t, bool forward) const {
  const date::local_days start =
      floor<date::days>(zone_->to_local(floor<seconds>(t))) + date::days{forward ? -1 : 1};
  for (int i = 0; i < kSearchDays; ++i) {
    const date::local_days day = start + date::days{forward ? i : -i};
    const date::year_month_day ymd{day};
    if (!months_[static_cast<unsigned>(ymd.month())]) continue;
    const bool dom = days_of_month_[static_cast<unsigned>(ymd.day())];
    const bool dow = days_of_week_[date::weekday{day}.c_encoding()];
    const bool day_matches = day_of_month_star_ || day_of_week_star_ ? dom && dow : dom || dow;
    if (!day_matches) continue;

    // Local days map to increasing instants, so the first day with a candidate holds the
    // answer; within a day, a DST change can reorder them, so every candidate is compared.
    std::optional<TimePoint> best;
    auto consider = [&](date::sys_seconds instant) {
      const TimePoint at = to_time_point(instant);
      if (forward ? at <= t : at > t) return;
      if (!best || (forward ? at < *best : at > *best)) best = at;
    };
    for (int h = 0; h < 24; ++h) {
      if (!hours_[static_cast<std::size_t>(h)]) continue;
      for (int m = 0; m < 60; ++m) {
        if (!minutes_[static_cast<std::size_t>(m)]) continue;
        const date::local_seconds local = day + hours{h} + minutes{m};
        const date::local_info info = zone_->get_info(local);
        switch (info.result) {
          case date::local_info::unique:
            consider(date::sys_seconds{local.time_since_epoch() - info.first.offset});
            break;
          case date::local_info::nonexistent:
            // Fixed-time jobs run when the gap ends; wildcard jobs skip the missing minutes.
            if (!wildcard_) consider(info.second.begin);
            break;
          case date::local_info::ambiguous:
            consider(date::sys_seconds{local.time_since_epoch() - info.first.offset});
            if (wildcard_)
              consider(date::sys_seconds{local.time_since_epoch() - info.second.offset});
            break;
        }
      }
    }
    if (best) return best;
  }
  return std::nullopt;
}

}  // namespace lk::schedule
