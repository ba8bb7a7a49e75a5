#include "alert/oncall/schedule.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cstdint>
#include <exception>

namespace lk::alert::oncall {

using namespace std::chrono;

namespace {

TimePoint to_time_point(date::sys_seconds s) {
  return time_point_cast<TimePoint::duration>(s);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

bool counts_days(Duration length) {
  return length > Duration::zero() && length % days{1} == Duration::zero();
}

date::local_days local_day(const year_month_day& ymd) {
  return date::local_days{date::days{sys_days{ymd}.time_since_epoch().count()}};
}

/// A rotation bound to its resolved zone: the arithmetic of shifts.
class RotationClock {
 public:
  explicit RotationClock(const Rotation& rotation)
      : rotation_(rotation),
        zone_(date::locate_zone(rotation.zone)),
        start_(local_day(rotation.start_date)) {}

  /// The shift in progress at `t` (negative before the first).
  std::int64_t shift_at(TimePoint t) const {
    if (counts_days(rotation_.length)) {
      date::local_days day = floor<date::days>(zone_->to_local(floor<seconds>(t)));
      if (t < handoff_on(day)) day -= date::days{1};
      return floor_div((day - start_).count(), days_per_shift());
    }
    return floor_div((t - handoff_on(start_)).count(), rotation_.length.count());
  }

  /// When shift `k` begins.
  TimePoint shift_start(std::int64_t k) const {
    if (counts_days(rotation_.length)) return handoff_on(start_ + date::days{k * days_per_shift()});
    return handoff_on(start_) + k * rotation_.length;
  }

  /// Member on shift `k` (k >= 0), shifted by `ahead` places.
  const std::string& member(std::int64_t k, std::int64_t ahead = 0) const {
    const auto n = static_cast<std::int64_t>(rotation_.members.size());
    return rotation_.members[static_cast<std::size_t>((k + ahead) % n)];
  }

 private:
  std::int64_t days_per_shift() const { return duration_cast<days>(rotation_.length).count(); }

  TimePoint handoff_on(date::local_days day) const {
    const date::local_seconds local = day + duration_cast<seconds>(rotation_.handoff_time);
    return to_time_point(zone_->to_sys(local, date::choose::earliest));
  }

  const Rotation& rotation_;
  const date::time_zone* zone_;
  date::local_days start_;
};

bool in_windows(const Layer& layer, TimePoint t) {
  if (layer.windows.empty()) return true;
  const auto local = date::locate_zone(layer.rotation.zone)->to_local(floor<seconds>(t));
  const auto day = floor<date::days>(local);
  const auto time_of_day = local - day;
  const unsigned weekday = date::weekday{day}.c_encoding();
  return std::any_of(layer.windows.begin(), layer.windows.end(), [&](const TimeWindow& w) {
    return w.days[weekday] && time_of_day >= w.from && time_of_day < w.to;
  });
}

/// The first window edge of `layer` strictly after `t`, if it has windows.
std::optional<TimePoint> next_window_edge(const Layer& layer, TimePoint t) {
  if (layer.windows.empty()) return std::nullopt;
  const date::time_zone* zone = date::locate_zone(layer.rotation.zone);
  const auto today = floor<date::days>(zone->to_local(floor<seconds>(t)));
  std::optional<TimePoint> best;
  // A day either side covers every offset; both readings of a repeated local hour count.
  for (int i = -1; i <= 8; ++i) {
    const date::local_days day = today + date::days{i};
    const unsigned weekday = date::weekday{day}.c_encoding();
    for (const TimeWindow& w : layer.windows) {
      if (!w.days[weekday]) continue;
      for (minutes edge : {w.from, w.to}) {
        for (auto choice : {date::choose::earliest, date::choose::latest}) {
          const TimePoint at = to_time_point(zone->to_sys(day + edge, choice));
          if (at > t && (!best || at < *best)) best = at;
        }
      }
    }
  }
  return best;
}

void consider(std::optional<TimePoint>& best, TimePoint candidate, TimePoint after) {
  if (candidate > after && (!best || candidate < *best)) best = candidate;
}

/// The first instant after `t` at which anything that decides who is on may change.
std::optional<TimePoint> next_boundary(const Schedule& schedule, TimePoint t) {
  std::optional<TimePoint> best;
  for (const Layer& layer : schedule.layers) {
    if (layer.rotation.members.empty()) continue;
    const RotationClock clock(layer.rotation);
    consider(best, clock.shift_start(std::max<std::int64_t>(clock.shift_at(t) + 1, 0)), t);
    if (auto edge = next_window_edge(layer, t)) consider(best, *edge, t);
  }
  for (const Override& o : schedule.overrides) {
    consider(best, o.from, t);
    consider(best, o.to, t);
  }
  return best;
}

}  // namespace

const Person* Schedule::person(std::string_view wanted) const {
  auto it =
      std::find_if(people.begin(), people.end(), [&](const Person& p) { return p.name == wanted; });
  return it == people.end() ? nullptr : &*it;
}

std::vector<std::string> problems(const Schedule& schedule) {
  std::vector<std::string> out;
  auto known = [&](const std::string& name, const std::string& where) {
    if (!schedule.person(name)) out.push_back(where + ": unknown person \"" + name + "\"");
  };
  for (const Layer& layer : schedule.layers) {
    const std::string where = "layer \"" + layer.name + "\"";
    const Rotation& r = layer.rotation;
    try {
      date::locate_zone(r.zone);
    } catch (const std::exception&) {
      out.push_back(where + ": unknown time zone \"" + r.zone + "\"");
    }
    if (r.length <= Duration::zero()) out.push_back(where + ": rotation length must be positive");
    if (!r.start_date.ok()) out.push_back(where + ": invalid start date");
    if (r.handoff_time < minutes{0} || r.handoff_time >= hours{24})
      out.push_back(where + ": hand-off time must be within the day");
    for (const std::string& member : r.members) known(member, where);
    for (const TimeWindow& w : layer.windows) {
      if (w.from < minutes{0} || w.to > hours{24} || w.from >= w.to || w.days.none())
        out.push_back(where + ": a window must have days and 00:00 <= from < to <= 24:00");
    }
  }
  for (const Override& o : schedule.overrides) {
    known(o.person, "override");
    if (o.to <= o.from) out.push_back("override of \"" + o.person + "\": must end after it starts");
  }
  return out;
}

OnCall who_is_on(const Schedule& schedule, TimePoint t) {
  OnCall on;
  for (auto layer = schedule.layers.rbegin(); layer != schedule.layers.rend(); ++layer) {
    const auto& members = layer->rotation.members;
    if (members.empty() || !in_windows(*layer, t)) continue;
    const RotationClock clock(layer->rotation);
    const std::int64_t shift = clock.shift_at(t);
    if (shift < 0) continue;  // not started yet: a lower layer may cover
    on.primary = clock.member(shift);
    if (layer->paired && members.size() > 1) on.secondary = clock.member(shift, 1);
    on.decided_by = layer->name;
    break;
  }
  for (auto o = schedule.overrides.rbegin(); o != schedule.overrides.rend(); ++o) {
    if (t < o->from || t >= o->to) continue;
    if (on.secondary == o->person) on.secondary.reset();
    on.primary = o->person;
    on.decided_by = "override";
    break;
  }
  return on;
}

std::vector<Handoff> next_handoffs(const Schedule& schedule, TimePoint t, std::size_t n) {
  std::vector<Handoff> out;
  const TimePoint horizon = t + days{366 * 2};
  OnCall current = who_is_on(schedule, t);
  TimePoint at = t;
  while (out.size() < n) {
    const auto boundary = next_boundary(schedule, at);
    if (!boundary || *boundary > horizon) break;
    at = *boundary;
    OnCall next = who_is_on(schedule, at);
    if (!next.same_people(current)) out.push_back({at, current, next});
    current = std::move(next);
  }
  return out;
}

}  // namespace lk::alert::oncall
