#include "alert/maintenance/window.hpp"

#include <date/tz.h>

#include <algorithm>
#include <exception>
#include <variant>

#include "alert/maintenance/zone.hpp"
#include "schedule/cron.hpp"

namespace lk::alert::maintenance {

using namespace std::chrono;

namespace {

constexpr Duration kTick{1};  ///< the smallest step of TimePoint
/// problems() looks this far past `start_date` for a first occurrence (every leap day is in it).
constexpr days kMustOccurWithin{8 * 366};

bool is_one_off(const Window& w) {
  return w.from || w.to;
}

bool usable_one_off(const Window& w) {
  return w.from && w.to && *w.from < *w.to && !w.rule && !w.cron;
}

/// Calls `visit(start)` for each start of a recurring window in [begin, end), in order, until
/// it returns false; with `ahead`, only up to that long after `begin` or the start date,
/// whichever is later. Does nothing for a window that is not a usable recurring one.
template <class Visit>
void for_each_start(const Window& w, TimePoint begin, TimePoint end, Visit visit,
                    std::optional<days> ahead = std::nullopt) {
  if (is_one_off(w) || w.rule.has_value() == w.cron.has_value() || w.duration <= Duration::zero())
    return;
  const date::time_zone* zone = find_zone(w.zone);
  if (!zone || w.start_time < minutes{0} || w.start_time >= days{1}) return;
  if (w.start_date ? !w.start_date->ok() : w.rule.has_value()) return;
  // No occurrence starts before the first instant of the start date's local day.
  if (w.start_date) begin = std::max(begin, start_on(zone, sys_days{*w.start_date}, minutes{0}));
  if (ahead) end = begin + *ahead;
  if (begin >= end) return;

  if (w.cron) {
    auto parsed = schedule::CronSchedule::parse(*w.cron, w.zone);
    auto* cron = std::get_if<schedule::CronSchedule>(&parsed);
    if (!cron) return;
    for (auto at = cron->next_after(begin - kTick); at && *at < end; at = cron->next_after(*at))
      if (!visit(*at)) return;
    return;
  }

  if (!problems(*w.rule).empty()) return;
  // A day either side of the local dates covers every offset and a start moved by a gap.
  RecurrenceDates dates(*w.rule, sys_days{*w.start_date}, local_date(zone, begin) - days{1},
                        local_date(zone, end - kTick) + days{1});
  while (auto day = dates.next()) {
    const TimePoint at = start_on(zone, *day, w.start_time);
    if (at >= end || (w.rule->until && at > *w.rule->until)) return;
    if (at >= begin && !visit(at)) return;
  }
}

}  // namespace

std::vector<std::string> problems(const Window& w) {
  std::vector<std::string> out;
  const bool recurring = w.rule || w.cron;
  if (is_one_off(w) && recurring)
    out.push_back("both one-off (from, to) and recurring (rule or cron); use one");
  if (!is_one_off(w) && !recurring)
    out.push_back("neither one-off (from and to) nor recurring (rule or cron)");
  const date::time_zone* zone = find_zone(w.zone);
  if (!zone)
    out.push_back("unknown time zone \"" + w.zone +
                  "\"; use an IANA name such as UTC, Europe/London or America/New_York");

  if (is_one_off(w)) {
    if (!w.from || !w.to)
      out.push_back("a one-off window needs both from and to");
    else if (*w.from >= *w.to)
      out.push_back("a one-off window must end after it starts");
    if (w.duration != Duration::zero())
      out.push_back("a one-off window ends at `to`; leave duration unset");
  }
  if (!recurring) return out;

  if (w.rule && w.cron) out.push_back("both rule and cron; use one");
  if (w.duration <= Duration::zero()) out.push_back("duration must be positive");
  if (w.start_date && !w.start_date->ok())
    out.push_back("invalid start date");
  else if (w.rule && !w.start_date)
    out.push_back("a rule needs a start date (the local date its occurrences count from)");
  if (w.start_time < minutes{0} || w.start_time >= days{1})
    out.push_back("start time must be within the day (00:00 to 23:59)");
  if (w.cron && w.start_time != minutes{0})
    out.push_back("start time is not used with cron; put the time in the expression");
  bool rule_ok = true;
  if (w.rule) {
    for (const std::string& p : problems(*w.rule)) out.push_back("rule: " + p);
    rule_ok = problems(*w.rule).empty();
  }
  if (w.cron && zone) {
    auto parsed = schedule::CronSchedule::parse(*w.cron, w.zone);
    if (auto* e = std::get_if<std::string>(&parsed)) out.push_back("cron: " + *e);
  }
  // A rule can be well-formed and still never occur: BYMONTH=2;BYMONTHDAY=30, or UNTIL before
  // the start date.
  if (out.empty() && w.rule && rule_ok) {
    bool occurs = false;
    for_each_start(
        w, TimePoint::min(), TimePoint::max(), [&](TimePoint) { return !(occurs = true); },
        kMustOccurWithin);
    if (!occurs) out.push_back("rule: no occurrence within 8 years of the start date");
  }
  return out;
}

std::optional<Occurrence> active_at(const Window& w, TimePoint t) {
  if (usable_one_off(w)) {
    if (t >= *w.from && t < *w.to) return Occurrence{*w.from, *w.to};
    return std::nullopt;
  }
  // Every occurrence containing t starts in (t - duration, t]; the latest ends last.
  std::optional<Occurrence> found;
  for_each_start(w, t - w.duration + kTick, t + kTick, [&](TimePoint start) {
    found = Occurrence{start, start + w.duration};
    return true;
  });
  return found;
}

std::optional<Occurrence> next_after(const Window& w, TimePoint t) {
  if (usable_one_off(w)) {
    if (*w.from > t) return Occurrence{*w.from, *w.to};
    return std::nullopt;
  }
  std::optional<Occurrence> found;
  for_each_start(
      w, t + kTick, TimePoint::max(),
      [&](TimePoint start) {
        found = Occurrence{start, start + w.duration};
        return false;
      },
      search_ahead);
  return found;
}

std::vector<Occurrence> occurrences(const Window& w, TimePoint from, TimePoint to,
                                    std::size_t limit) {
  std::vector<Occurrence> out;
  if (limit == 0 || from >= to) return out;
  if (usable_one_off(w)) {
    if ((*w.from < to) && (*w.to > from)) out.push_back({*w.from, *w.to});
    return out;
  }
  // An occurrence overlaps [from, to) when it starts in (from - duration, to).
  for_each_start(w, from - w.duration + kTick, to, [&](TimePoint start) {
    out.push_back({start, start + w.duration});
    return out.size() < limit;
  });
  return out;
}

}  // namespace lk::alert::maintenance
