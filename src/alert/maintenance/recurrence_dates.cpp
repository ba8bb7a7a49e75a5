// RecurrenceDates: the calendar arithmetic of a rule, one period (day, week, month, year) at a
// time, so that a query costs a few periods however far from DTSTART it is.

#include <algorithm>

#include "alert/maintenance/recurrence.hpp"

namespace lk::alert::maintenance {

using namespace std::chrono;

namespace {

long long floor_div(long long a, long long b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

sys_days week_start_of(sys_days d, weekday week_start) {
  return d - (weekday{d} - week_start);  // weekday difference is 0 to 6 days
}

/// Months since year 0: consecutive months have consecutive indexes.
long long month_index(const year_month_day& ymd) {
  return int(ymd.year()) * 12LL + unsigned(ymd.month()) - 1;
}

/// Years the calendar types handle without surprises.
bool sane_year(long long y) {
  return y >= 1 && y <= 9999;
}

bool contains(const std::vector<unsigned>& months, month m) {
  return std::find(months.begin(), months.end(), static_cast<unsigned>(m)) != months.end();
}

/// Whether `d` is one of BYDAY's days; ordinals count from `first` or back from `last` (the
/// month or the year `d` is in).
bool by_day_matches(const Recurrence& rule, sys_days d, sys_days first, sys_days last) {
  const weekday wd{d};
  return std::any_of(rule.by_day.begin(), rule.by_day.end(), [&](const WeekdayRule& r) {
    if (r.day != wd) return false;
    if (r.nth > 0) return (d - first).count() / 7 + 1 == r.nth;
    if (r.nth < 0) return (last - d).count() / 7 + 1 == -r.nth;
    return true;
  });
}

/// Day number `n` of a month of `length` days (negative: from the end), or 0 if there is none.
int resolve_month_day(int n, int length) {
  const int day = n > 0 ? n : length + 1 + n;
  return day >= 1 && day <= length ? day : 0;
}

}  // namespace

RecurrenceDates::RecurrenceDates(const Recurrence& rule, sys_days start, sys_days from,
                                 sys_days last)
    : rule_(rule), start_(start), start_ymd_(start), from_(from), last_(last) {
  if (rule_.count || from_ <= start_) return;  // COUNT needs every occurrence from the start
  const year_month_day f{from_};
  long long units = 0;
  switch (rule_.frequency) {
    case Frequency::daily:
      units = (from_ - start_).count();
      break;
    case Frequency::weekly:
      units = (week_start_of(from_, rule_.week_start) - week_start_of(start_, rule_.week_start))
                  .count() /
              7;
      break;
    case Frequency::monthly:
      units = month_index(f) - month_index(start_ymd_);
      break;
    case Frequency::yearly:
      units = int(f.year()) - int(start_ymd_.year());
      break;
  }
  period_ = std::max(0LL, floor_div(units, rule_.interval));
}

sys_days RecurrenceDates::period_first_day() const {
  const long long step = period_ * rule_.interval;
  switch (rule_.frequency) {
    case Frequency::daily:
      return start_ + days{step};
    case Frequency::weekly:
      return week_start_of(start_, rule_.week_start) + days{7 * step};
    case Frequency::monthly: {
      const long long index = month_index(start_ymd_) + step;
      if (!sane_year(index / 12)) return sys_days::max();
      return sys_days{year{int(index / 12)} / month{unsigned(index % 12) + 1} / 1};
    }
    case Frequency::yearly: {
      const long long y = int(start_ymd_.year()) + step;
      if (!sane_year(y)) return sys_days::max();
      return sys_days{year{int(y)} / January / 1};
    }
  }
  return sys_days::max();
}

void RecurrenceDates::expand_period() {
  pending_.clear();
  next_pending_ = 0;
  const sys_days first = period_first_day();
  const Recurrence& r = rule_;

  // The days of one month: BYMONTHDAY (then BYDAY filters), else BYDAY, else DTSTART's day.
  auto month_days = [&](year_month ym, sys_days scope_first, sys_days scope_last) {
    const sys_days month_first{ym / 1};
    const sys_days month_last{ym / last};
    const int length = static_cast<int>((month_last - month_first).count()) + 1;
    if (!r.by_month_day.empty()) {
      for (int n : r.by_month_day) {
        const int day = resolve_month_day(n, length);
        const sys_days d = month_first + days{day - 1};
        if (day && (r.by_day.empty() || by_day_matches(r, d, scope_first, scope_last)))
          pending_.push_back(d);
      }
    } else if (!r.by_day.empty()) {
      for (sys_days d = month_first; d <= month_last; d += days{1})
        if (by_day_matches(r, d, scope_first, scope_last)) pending_.push_back(d);
    } else if (const year_month_day ymd = ym / start_ymd_.day(); ymd.ok()) {
      pending_.push_back(sys_days{ymd});
    }
  };

  switch (r.frequency) {
    case Frequency::daily: {
      const year_month_day ymd{first};
      const int length = static_cast<int>(unsigned((ymd.year() / ymd.month() / last).day()));
      const bool month_ok = r.by_month.empty() || contains(r.by_month, ymd.month());
      const bool day_ok =
          r.by_month_day.empty() ||
          std::any_of(r.by_month_day.begin(), r.by_month_day.end(), [&](int n) {
            return resolve_month_day(n, length) == static_cast<int>(unsigned(ymd.day()));
          });
      const bool weekday_ok = r.by_day.empty() || by_day_matches(r, first, first, first);
      if (month_ok && day_ok && weekday_ok) pending_.push_back(first);
      break;
    }
    case Frequency::weekly:
      for (int i = 0; i < 7; ++i) {
        const sys_days d = first + days{i};
        const bool weekday_ok =
            r.by_day.empty() ? weekday{d} == weekday{start_} : by_day_matches(r, d, d, d);
        if (weekday_ok && (r.by_month.empty() || contains(r.by_month, year_month_day{d}.month())))
          pending_.push_back(d);
      }
      break;
    case Frequency::monthly: {
      const year_month_day ymd{first};
      if (r.by_month.empty() || contains(r.by_month, ymd.month()))
        month_days(ymd.year() / ymd.month(), first, sys_days{ymd.year() / ymd.month() / last});
      break;
    }
    case Frequency::yearly: {
      const year y = year_month_day{first}.year();
      // Without BYMONTH, BYDAY ordinals count within the year (20MO: the 20th Monday).
      const bool year_scope = r.by_month.empty();
      const sys_days year_first{y / January / 1};
      const sys_days year_last{y / December / 31};
      // The months: BYMONTH; else all of them when BYDAY or BYMONTHDAY pick the days; else
      // DTSTART's.
      const bool every_month = !r.by_day.empty() || !r.by_month_day.empty();
      for (unsigned m = 1; m <= 12; ++m) {
        const bool wanted = r.by_month.empty() ? every_month || month{m} == start_ymd_.month()
                                               : contains(r.by_month, month{m});
        if (!wanted) continue;
        const sys_days month_first{y / month{m} / 1};
        const sys_days month_last{y / month{m} / last};
        month_days(y / month{m}, year_scope ? year_first : month_first,
                   year_scope ? year_last : month_last);
      }
      break;
    }
  }
  std::sort(pending_.begin(), pending_.end());
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
}

std::optional<sys_days> RecurrenceDates::next() {
  while (!done_) {
    if (next_pending_ == pending_.size()) {
      if (period_first_day() > last_) break;
      expand_period();
      ++period_;
      continue;
    }
    const sys_days d = pending_[next_pending_++];
    if (d < start_) continue;  // DTSTART bounds the rule; earlier days do not count
    if (d > last_ || (rule_.until_date && d > sys_days{*rule_.until_date})) break;
    if (rule_.count && ++emitted_ > *rule_.count) break;
    if (d < from_) continue;
    return d;
  }
  done_ = true;
  return std::nullopt;
}

}  // namespace lk::alert::maintenance
