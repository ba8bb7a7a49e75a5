#include "alert/maintenance/recurrence.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace lk::alert::maintenance {

using namespace std::chrono;

namespace {

constexpr std::array<std::string_view, 7> kWeekdayCodes{"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
constexpr std::array<std::string_view, 4> kFrequencyNames{"DAILY", "WEEKLY", "MONTHLY", "YEARLY"};
constexpr std::array<std::string_view, 8> kUnsupportedParts{
    "BYSETPOS", "BYYEARDAY", "BYWEEKNO", "BYHOUR", "BYMINUTE", "BYSECOND", "RSCALE", "SKIP"};

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
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

template <class Number>
std::optional<Number> number(std::string_view text) {
  Number value{};
  if (text.starts_with('+') && std::is_signed_v<Number>) text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<weekday> weekday_of(std::string_view code) {
  for (unsigned i = 0; i < kWeekdayCodes.size(); ++i)
    if (kWeekdayCodes[i] == code) return weekday{i};
  return std::nullopt;
}

std::string weekday_rule_text(const WeekdayRule& rule) {
  const std::string code = rule.day.ok() ? std::string(kWeekdayCodes[rule.day.c_encoding()])
                                         : std::to_string(rule.day.c_encoding());
  return (rule.nth != 0 ? std::to_string(rule.nth) : "") + code;
}

/// Parses "MO", "2TU", "-1FR", "+3WE"; returns the rule or an error for the BYDAY part.
std::variant<WeekdayRule, std::string> parse_weekday_rule(std::string_view item) {
  if (item.size() < 2)
    return "BYDAY: " + quoted(item) + " is not a weekday such as MO, 2TU or -1FR";
  const std::string code = upper(item.substr(item.size() - 2));
  const std::string_view ordinal = item.substr(0, item.size() - 2);
  WeekdayRule rule{Monday, 0};
  if (!ordinal.empty()) {
    auto n = number<int>(ordinal);
    if (!n) return "BYDAY: " + quoted(item) + " is not a weekday such as MO, 2TU or -1FR";
    if (*n == 0) return "BYDAY: " + quoted(item) + ": the ordinal cannot be 0";
    rule.nth = *n;
  }
  auto day = weekday_of(code);
  if (!day) return "BYDAY: unknown weekday " + quoted(code);
  rule.day = *day;
  return rule;
}

std::optional<year_month_day> date_of(std::string_view digits) {
  if (digits.size() != 8 || !std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      }))
    return std::nullopt;
  const year_month_day ymd{year{*number<int>(digits.substr(0, 4))},
                           month{*number<unsigned>(digits.substr(4, 2))},
                           day{*number<unsigned>(digits.substr(6, 2))}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

/// UNTIL=YYYYMMDD or YYYYMMDDTHHMMSSZ; returns an error message or "".
std::string parse_until(std::string_view value, Recurrence& rule) {
  const std::string error =
      "UNTIL: " + quoted(value) + " is not a date YYYYMMDD or a UTC time YYYYMMDDTHHMMSSZ";
  auto date = date_of(value.substr(0, 8));
  if (!date) return error;
  if (value.size() == 8) {
    rule.until_date = *date;
    return {};
  }
  const std::string rest = upper(value.substr(8));
  if (rest.size() != 8 || rest[0] != 'T' || rest[7] != 'Z') return error;
  auto h = number<unsigned>(std::string_view(rest).substr(1, 2));
  auto m = number<unsigned>(std::string_view(rest).substr(3, 2));
  auto s = number<unsigned>(std::string_view(rest).substr(5, 2));
  if (!h || !m || !s || *h > 23 || *m > 59 || *s > 59) return error;
  rule.until =
      TimePoint{sys_days{*date}.time_since_epoch() + hours{*h} + minutes{*m} + seconds{*s}};
  return {};
}

/// Applies one NAME=VALUE part; returns an error message or "".
std::string apply_part(const std::string& name, std::string_view value, Recurrence& rule,
                       bool& has_frequency) {
  const std::string where = name + ": ";
  if (name == "FREQ") {
    const std::string freq = upper(value);
    auto it = std::find(kFrequencyNames.begin(), kFrequencyNames.end(), freq);
    if (it == kFrequencyNames.end())
      return where + quoted(value) + " is not one of DAILY, WEEKLY, MONTHLY, YEARLY";
    rule.frequency = static_cast<Frequency>(it - kFrequencyNames.begin());
    has_frequency = true;
    return {};
  }
  if (name == "INTERVAL" || name == "COUNT") {
    auto n = number<unsigned>(value);
    if (!n) return where + quoted(value) + " is not a whole number";
    (name == "INTERVAL" ? rule.interval : rule.count.emplace()) = *n;
    return {};
  }
  if (name == "UNTIL") return parse_until(value, rule);
  if (name == "WKST") {
    auto day = weekday_of(upper(value));
    if (!day) return where + "unknown weekday " + quoted(value);
    rule.week_start = *day;
    return {};
  }
  if (name != "BYDAY" && name != "BYMONTHDAY" && name != "BYMONTH")
    return "unknown part " + quoted(name);
  for (std::string_view item : split(value, ',')) {
    if (item.empty()) return where + "empty list item";
    if (name == "BYDAY") {
      auto parsed = parse_weekday_rule(item);
      if (auto* e = std::get_if<std::string>(&parsed)) return *e;
      rule.by_day.push_back(std::get<WeekdayRule>(parsed));
    } else if (name == "BYMONTHDAY") {
      auto n = number<int>(item);
      if (!n) return where + quoted(item) + " is not a number";
      rule.by_month_day.push_back(*n);
    } else {
      auto n = number<unsigned>(item);
      if (!n) return where + quoted(item) + " is not a month number";
      rule.by_month.push_back(*n);
    }
  }
  return {};
}

}  // namespace

std::variant<Recurrence, std::string> parse_rrule(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (upper(text.substr(0, 6)) == "RRULE:") text.remove_prefix(6);

  Recurrence rule;
  bool has_frequency = false;
  std::vector<std::string> seen;
  for (std::string_view part : split(text, ';')) {
    if (part.empty()) continue;  // "FREQ=DAILY;" is common enough to accept
    const auto equals = part.find('=');
    if (equals == std::string_view::npos) return quoted(part) + " is not NAME=VALUE";
    const std::string name = upper(part.substr(0, equals));
    const std::string_view value = part.substr(equals + 1);
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) return name + " is given twice";
    seen.push_back(name);
    if (std::find(kUnsupportedParts.begin(), kUnsupportedParts.end(), name) !=
        kUnsupportedParts.end())
      return name +
             " is not supported (use FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT, "
             "UNTIL, WKST)";
    if (value.empty()) return name + ": no value";
    if (auto e = apply_part(name, value, rule, has_frequency); !e.empty()) return e;
  }
  if (!has_frequency) return "FREQ is required";
  if (auto found = problems(rule); !found.empty()) return found.front();
  return rule;
}

std::vector<std::string> problems(const Recurrence& rule) {
  std::vector<std::string> out;
  if (rule.interval < 1) out.push_back("INTERVAL must be 1 or more");
  if (rule.count && *rule.count < 1) out.push_back("COUNT must be 1 or more");
  if (rule.count && (rule.until || rule.until_date))
    out.push_back("COUNT and UNTIL cannot both be given");
  if (rule.until && rule.until_date) out.push_back("UNTIL is either a date or a UTC time");
  if (rule.until_date && !rule.until_date->ok()) out.push_back("UNTIL: invalid date");
  if (!rule.week_start.ok()) out.push_back("WKST: invalid weekday");

  const bool monthly = rule.frequency == Frequency::monthly;
  const bool yearly = rule.frequency == Frequency::yearly;
  // Ordinals count within the month, or within the year for YEARLY without BYMONTH.
  const int max_nth = monthly || (yearly && !rule.by_month.empty()) ? 5 : 53;
  for (const WeekdayRule& d : rule.by_day) {
    const std::string where = "BYDAY: " + weekday_rule_text(d) + ": ";
    if (!d.day.ok()) {
      out.push_back(where + "invalid weekday");
    } else if (d.nth != 0 && !monthly && !yearly) {
      out.push_back(where + "an ordinal needs FREQ=MONTHLY or FREQ=YEARLY");
    } else if (std::abs(d.nth) > max_nth) {
      out.push_back(where + "the ordinal must be 1 to " + std::to_string(max_nth) + " or -1 to -" +
                    std::to_string(max_nth) + (max_nth == 5 ? " within a month" : ""));
    }
  }
  for (int d : rule.by_month_day)
    if (d == 0 || d > 31 || d < -31)
      out.push_back("BYMONTHDAY: " + std::to_string(d) + " is not 1 to 31 or -1 to -31");
  if (rule.frequency == Frequency::weekly && !rule.by_month_day.empty())
    out.push_back("BYMONTHDAY cannot be used with FREQ=WEEKLY");
  for (unsigned m : rule.by_month)
    if (m < 1 || m > 12) out.push_back("BYMONTH: " + std::to_string(m) + " is not 1 to 12");
  return out;
}

std::string format_rrule(const Recurrence& rule) {
  std::string out = "FREQ=" + std::string(kFrequencyNames[static_cast<int>(rule.frequency)]);
  if (rule.interval != 1) out += ";INTERVAL=" + std::to_string(rule.interval);
  auto list = [&](std::string_view name, const auto& items, auto text) {
    if (items.empty()) return;
    out += ";" + std::string(name) + "=";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + text(items[i]);
  };
  list("BYMONTH", rule.by_month, [](unsigned m) { return std::to_string(m); });
  list("BYMONTHDAY", rule.by_month_day, [](int d) { return std::to_string(d); });
  list("BYDAY", rule.by_day, weekday_rule_text);
  if (rule.week_start != Monday)
    out += ";WKST=" + std::string(kWeekdayCodes[rule.week_start.c_encoding() % 7]);
  if (rule.count) out += ";COUNT=" + std::to_string(*rule.count);
  auto digits = [](int value, int width) {
    std::string s = std::to_string(value);
    return std::string(static_cast<std::size_t>(std::max(0, width - int(s.size()))), '0') + s;
  };
  auto date_text = [&](const year_month_day& ymd) {
    return digits(int(ymd.year()), 4) + digits(int(unsigned(ymd.month())), 2) +
           digits(int(unsigned(ymd.day())), 2);
  };
  if (rule.until_date) out += ";UNTIL=" + date_text(*rule.until_date);
  if (rule.until) {
    const auto day = floor<days>(*rule.until);
    const hh_mm_ss time{floor<seconds>(*rule.until - day)};
    out += ";UNTIL=" + date_text(year_month_day{day}) + "T" + digits(time.hours().count(), 2) +
           digits(time.minutes().count(), 2) + digits(int(time.seconds().count()), 2) + "Z";
  }
  return out;
}

}  // namespace lk::alert::maintenance
