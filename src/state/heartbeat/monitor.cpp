#include "state/heartbeat/monitor.hpp"

#include <algorithm>

namespace lk::state::heartbeat {

namespace {

using namespace std::chrono;

/// After a long outage of the monitor itself, at most this many missed deadlines of one
/// heartbeat are reported one by one; the rest are skipped over.
constexpr int kMaxCatchUp = 10;

bool is_late(const Result& r) {
  return std::any_of(r.metrics.begin(), r.metrics.end(),
                     [](const Metric& m) { return m.name == kLateMetric; });
}

}  // namespace

std::string excerpt(std::string_view body) {
  std::string out;
  out.reserve(std::min(body.size(), kBodyExcerptBytes + 3));
  bool space = false;
  for (char c : body) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() > kBodyExcerptBytes) break;
  }
  if (out.size() > kBodyExcerptBytes) {
    std::size_t cut = kBodyExcerptBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

Memory recall(std::span<const Result> results, Duration grace, TimePoint first_seen) {
  Memory memory;
  memory.reference = first_seen;
  bool any = false;
  for (const Result& r : results) {
    // A late result was written `grace` after the due time it reports.
    const TimePoint reference = is_late(r) ? r.started_at - grace : r.started_at;
    if (!is_late(r)) memory.last_ping = r.started_at;
    memory.reference = any ? std::max(memory.reference, reference) : reference;
    any = true;
  }
  return memory;
}

Monitor::Monitor(std::string location) : location_(std::move(location)) {}

void Monitor::configure(std::vector<Expectation> expectations,
                        const std::function<Memory(const Expectation&)>& recall_memory) {
  std::sort(expectations.begin(), expectations.end(),
            [](const auto& a, const auto& b) { return a.check < b.check; });
  std::vector<Track> next;
  next.reserve(expectations.size());
  for (auto& expectation : expectations) {
    if (!next.empty() && next.back().expectation.check == expectation.check) continue;
    Track track;
    if (const Track* known = find(expectation.check)) {
      track = *known;
    } else {
      track.memory = recall_memory(expectation);
    }
    track.expectation = std::move(expectation);
    plan(track);
    next.push_back(std::move(track));
  }
  tracks_ = std::move(next);
}

void Monitor::plan(Track& track) {
  const Expectation& e = track.expectation;
  if (e.schedule) {
    track.due = e.schedule->next_after(track.memory.reference);
  } else {
    track.due = track.memory.reference + e.period;
  }
  track.deadline = track.due ? *track.due + e.grace : TimePoint::max();
  track.run_deadline = false;
  if (track.run_started && *track.run_started + e.grace < track.deadline) {
    track.deadline = *track.run_started + e.grace;
    track.run_deadline = true;
  }
}

std::optional<Result> Monitor::ping(std::string_view check, PingKind kind, std::string_view body,
                                    TimePoint now) {
  Track* track = find(check);
  if (track == nullptr) return std::nullopt;
  if (kind == PingKind::start) {
    track->run_started = now;
    plan(*track);
    return std::nullopt;
  }
  std::optional<Duration> run_time;
  if (track->run_started && *track->run_started <= now) run_time = now - *track->run_started;
  track->run_started.reset();
  track->memory.last_ping = now;
  track->memory.reference = now;
  plan(*track);
  return ping_result(*track, kind == PingKind::success ? Status::ok : Status::fail, run_time, body,
                     now);
}

std::vector<Result> Monitor::tick(TimePoint now) {
  std::vector<Result> out;
  for (Track& track : tracks_) {
    int reported = 0;
    while (track.deadline <= now) {
      if (reported == kMaxCatchUp) {
        // Skip to the present: the next deadline is the first one after `now`.
        const Expectation& e = track.expectation;
        const TimePoint horizon = now - e.grace;
        track.memory.reference =
            e.schedule ? e.schedule->previous_at_or_before(horizon).value_or(horizon) : horizon;
        track.run_started.reset();
        plan(track);
        break;
      }
      out.push_back(late_result(track));
      ++reported;
      if (track.run_deadline) {
        track.memory.reference = std::max(track.memory.reference, *track.run_started);
        track.run_started.reset();
      } else {
        track.memory.reference = *track.due;
      }
      plan(track);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Result& a, const Result& b) { return a.started_at < b.started_at; });
  return out;
}

std::optional<TimePoint> Monitor::next_deadline() const {
  std::optional<TimePoint> earliest;
  for (const Track& track : tracks_) {
    if (track.deadline == TimePoint::max()) continue;
    if (!earliest || track.deadline < *earliest) earliest = track.deadline;
  }
  return earliest;
}

bool Monitor::tracks(std::string_view check) const {
  return find(check) != nullptr;
}

Result Monitor::late_result(const Track& track) const {
  Result r;
  r.check = track.expectation.check;
  r.location = location_;
  r.started_at = track.deadline;
  r.status = Status::fail;
  const std::string by = " (expected by " + format_time(track.deadline) + ")";
  if (track.run_deadline) {
    r.message = "run started at " + format_time(*track.run_started) + " has not finished" + by;
  } else if (track.memory.last_ping) {
    r.message = "no ping since " + format_time(*track.memory.last_ping) + by;
  } else {
    r.message = "no ping yet" + by;
  }
  r.metrics.push_back({std::string(kLateMetric), 1, ""});
  return r;
}

Result Monitor::ping_result(const Track& track, Status status, std::optional<Duration> run_time,
                            std::string_view body, TimePoint now) const {
  Result r;
  r.check = track.expectation.check;
  r.location = location_;
  r.started_at = now;
  r.status = status;
  if (run_time) {
    // Milliseconds are plenty for a job's run time and keep the message short.
    const Duration rounded = duration_cast<milliseconds>(*run_time);
    r.duration = rounded;
    r.timings.total = rounded;
    r.metrics.push_back({"run_time", duration<double>(rounded).count(), "s"});
  }
  if (status == Status::ok) {
    r.message = run_time ? "run took " + format_duration(r.duration) : "ping";
  } else {
    r.message = "job reported failure";
    if (run_time) r.message += " after " + format_duration(r.duration);
  }
  if (auto text = excerpt(body); !text.empty()) r.message += ": " + text;
  return r;
}

Monitor::Track* Monitor::find(std::string_view check) {
  auto it = std::lower_bound(
      tracks_.begin(), tracks_.end(), check,
      [](const Track& t, std::string_view name) { return t.expectation.check < name; });
  return it != tracks_.end() && it->expectation.check == check ? &*it : nullptr;
}

const Monitor::Track* Monitor::find(std::string_view check) const {
  return const_cast<Monitor*>(this)->find(check);
}

}  // namespace lk::state::heartbeat
