// describe(): a window in plain English for the CLI and the status page.

#include <array>
#include <cstdlib>

#include "alert/maintenance/window.hpp"
#include "alert/maintenance/zone.hpp"

namespace lk::alert::maintenance {

using namespace std::chrono;

namespace {

constexpr std::string_view kEnDash = "\u2013";
constexpr std::array<std::string_view, 7> kWeekdayNames{
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonthNames{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::string weekday_name(weekday d) {
  return std::string(d.ok() ? kWeekdayNames[d.c_encoding()] : "?");
}

std::string month_name(unsigned m) {
  return std::string(m >= 1 && m <= 12 ? kMonthNames[m - 1] : "?");
}

/// 1st, 2nd, 3rd, 4th, 11th, 21st.
std::string ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = tens >= 11 && tens <= 13 ? "th"
                       : n % 10 == 1            ? "st"
                       : n % 10 == 2            ? "nd"
                       : n % 10 == 3            ? "rd"
                                                : "th";
  return std::to_string(n) + suffix;
}

/// "a", "a and b", "a, b and c".
std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

/// "1st", "last day", "2nd-to-last day".
std::string month_day(int n) {
  if (n > 0) return ordinal(n);
  return (n == -1 ? std::string() : ordinal(-n) + "-to-") + "last day";
}

/// "the 2nd Tuesday", "the last Friday", "every Monday"; `scope` follows an ordinal.
std::string weekday_rule(const WeekdayRule& r, std::string_view scope) {
  if (r.nth == 0) return "every " + weekday_name(r.day);
  const std::string which =
      r.nth > 0 ? ordinal(r.nth) : (r.nth == -1 ? "" : ordinal(-r.nth) + "-to-") + "last";
  return "the " + which + " " + weekday_name(r.day) + std::string(scope);
}

std::string month_list(const std::vector<unsigned>& months) {
  std::vector<std::string> names;
  for (unsigned m : months) names.push_back(month_name(m));
  return join(names);
}

/// The days of a month: "the 1st and 15th", "the 2nd Tuesday", "the 13th when it is a Friday".
std::string month_days(const Recurrence& r, const year_month_day& start, std::string_view scope) {
  std::vector<std::string> weekdays;
  for (const WeekdayRule& d : r.by_day) weekdays.push_back(weekday_rule(d, scope));
  if (r.by_month_day.empty() && !r.by_day.empty()) return join(weekdays);
  std::vector<std::string> days;
  for (int n : r.by_month_day) days.push_back(month_day(n));
  if (days.empty()) days.push_back(ordinal(static_cast<int>(unsigned(start.day()))));
  std::string out = "the " + join(days);
  if (!r.by_day.empty()) {
    std::vector<std::string> names;
    for (const WeekdayRule& d : r.by_day) names.push_back(weekday_name(d.day));
    out += " when it is a " + join(names);
  }
  return out;
}

std::string every(unsigned interval, std::string_view unit) {
  if (interval == 1) return "every " + std::string(unit);
  return "every " + std::to_string(interval) + " " + std::string(unit) + "s";
}

std::string recurrence_phrase(const Recurrence& r, const year_month_day& start) {
  std::vector<std::string> weekdays;
  for (const WeekdayRule& d : r.by_day) weekdays.push_back(weekday_name(d.day));
  const std::string in_months = r.by_month.empty() ? "" : " in " + month_list(r.by_month);
  switch (r.frequency) {
    case Frequency::daily: {
      std::string out = every(r.interval, "day");
      std::vector<std::string> days;
      for (int n : r.by_month_day) days.push_back(month_day(n));
      if (!days.empty()) out += " on the " + join(days);
      if (!weekdays.empty()) out += (days.empty() ? " on " : " when it is a ") + join(weekdays);
      return out + in_months;
    }
    case Frequency::weekly: {
      if (weekdays.empty()) weekdays.push_back(weekday_name(weekday{sys_days{start}}));
      if (r.interval == 1) return "every " + join(weekdays) + in_months;
      return every(r.interval, "week") + " on " + join(weekdays) + in_months;
    }
    case Frequency::monthly:
      return every(r.interval, "month") + " on " + month_days(r, start, "") + in_months;
    case Frequency::yearly: {
      const std::string each_year = every(r.interval, "year");
      if (!r.by_month.empty())
        return each_year + " in " + month_list(r.by_month) + " on " + month_days(r, start, "");
      if (!r.by_day.empty() && r.by_month_day.empty())
        return each_year + " on " + month_days(r, start, " of the year");
      if (!r.by_month_day.empty())
        return each_year + " on " + month_days(r, start, "") + " of every month";
      return each_year + " in " + month_name(unsigned(start.month())) + " on " +
             month_days(r, start, "");
    }
  }
  return {};
}

std::string two_digits(long long n) {
  return (n >= 0 && n < 10 ? "0" : "") + std::to_string(n);
}

std::string clock_time(minutes time_of_day) {
  return two_digits(time_of_day.count() / 60) + ":" + two_digits(time_of_day.count() % 60);
}

std::string date_text(sys_days day) {
  const year_month_day ymd{day};
  return std::to_string(int(ymd.year())) + "-" + two_digits(unsigned(ymd.month())) + "-" +
         two_digits(unsigned(ymd.day()));
}

/// "2026-12-24 22:00" in local time.
std::string local_text(sys_seconds local) {
  const auto day = floor<days>(local);
  return date_text(day) + " " + clock_time(floor<minutes>(local - day));
}

/// "02:00–04:00" when the occurrence is shorter than a day and in whole minutes, else
/// "02:00 for 36h".
std::string time_span(const Window& w) {
  const std::string start = clock_time(w.start_time);
  if (w.duration > Duration::zero() && w.duration < days{1} &&
      w.duration % minutes{1} == Duration::zero())
    return start + std::string(kEnDash) +
           clock_time((w.start_time + duration_cast<minutes>(w.duration)) % days{1});
  return start + " for " + format_duration(w.duration);
}

std::string one_off(const Window& w) {
  if (!w.from || !w.to) return "once (incomplete: needs from and to)";
  const date::time_zone* zone = find_zone(w.zone);
  const std::string zone_name = zone ? w.zone : "UTC";
  if (!zone) zone = date::locate_zone("UTC");
  const std::string from = local_text(local_time(zone, *w.from));
  const std::string to = local_text(local_time(zone, *w.to));
  const bool same_day = from.substr(0, 10) == to.substr(0, 10);
  return "once, " + from + (same_day ? std::string(kEnDash) + to.substr(11) : " to " + to) + " " +
         zone_name;
}

}  // namespace

std::string describe(const Window& w) {
  if (w.from || w.to) return one_off(w);
  if (w.cron)
    return "when cron \"" + *w.cron + "\" fires in " + w.zone + ", for " +
           format_duration(w.duration);
  if (!w.rule) return "never (neither one-off nor recurring)";
  const Recurrence& r = *w.rule;
  const year_month_day start = w.start_date.value_or(year_month_day{});
  std::string out = recurrence_phrase(r, start) + ", " + time_span(w) + " " + w.zone;
  // The start date matters to people when it sets the count or which weeks (months...) it is.
  std::string bounds;
  if (r.count)
    bounds = ", " + (*r.count == 1 ? std::string("once") : std::to_string(*r.count) + " times") +
             " from " + date_text(sys_days{start});
  else if (r.interval > 1)
    bounds = ", from " + date_text(sys_days{start});
  const std::string until = r.until_date ? date_text(sys_days{*r.until_date})
                            : r.until    ? local_text(floor<seconds>(*r.until)) + " UTC"
                                         : "";
  if (!until.empty()) bounds += (bounds.empty() ? ", until " : " until ") + until;
  return out + bounds;
}

}  // namespace lk::alert::maintenance
