#pragma once
// Heartbeats on simulated time: pings in, results out. Pure: no I/O, no clock reads.
//
// A heartbeat expects its next ping by a due time: the last ping plus the period, or the first
// scheduled time after the last ping. It is late `grace` after that (or `grace` after a /start
// ping that no success or failure ping followed). A late heartbeat yields a fail result at that
// deadline, and one more at each further deadline it misses, so failure_threshold counts missed
// runs. Results take the same path as probe results (state engine, incidents, store, page).

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "schedule/cron.hpp"

namespace lk::state::heartbeat {

enum class PingKind { success, start, fail };

/// One heartbeat check as the monitor needs it (built from config by app/).
struct Expectation {
  std::string check;
  Duration period{};                                       ///< zero with a schedule
  std::shared_ptr<const schedule::CronSchedule> schedule;  ///< null with a period
  Duration grace{};
};

/// What is remembered of a heartbeat across restarts (recovered from its stored results).
struct Memory {
  std::optional<TimePoint> last_ping;  ///< latest success or failure ping
  /// The instant the next expectation counts from: the last ping, the due time of the latest
  /// missed run, or when the check was first seen.
  TimePoint reference{};
};

/// The name of the metric that marks results produced by lateness rather than by a ping.
inline constexpr std::string_view kLateMetric = "late";
/// Pings' bodies are kept in the result message up to this many bytes.
inline constexpr std::size_t kBodyExcerptBytes = 500;

/// Recovers a heartbeat's memory from its latest stored results (oldest first): the last ping
/// is the latest result not marked late; a late result moves the reference to its due time.
/// `first_seen` stands in when there are none.
Memory recall(std::span<const Result> results, Duration grace, TimePoint first_seen);

class Monitor {
 public:
  /// `location` is put on every result (the control node's).
  explicit Monitor(std::string location);

  /// Sets the heartbeats. Ones already tracked keep what they know; new ones get the memory
  /// `recall_memory` returns for them. Removed ones are forgotten.
  void configure(std::vector<Expectation> expectations,
                 const std::function<Memory(const Expectation&)>& recall_memory);

  /// A ping for `check` at `now`; nullopt for an unknown check and for /start (which only
  /// marks the run as started). `body` is excerpted into the message.
  std::optional<Result> ping(std::string_view check, PingKind kind, std::string_view body,
                             TimePoint now);

  /// Fail results for every deadline passed at `now`, in time order.
  std::vector<Result> tick(TimePoint now);

  /// The earliest deadline of any heartbeat (to arm a timer); nullopt when none is pending.
  std::optional<TimePoint> next_deadline() const;

  bool tracks(std::string_view check) const;

 private:
  struct Track {
    Expectation expectation;
    Memory memory;
    std::optional<TimePoint> run_started;
    std::optional<TimePoint> due;  ///< nullopt: a schedule that never fires again
    TimePoint deadline{};          ///< TimePoint::max() when there is none
    bool run_deadline = false;     ///< the deadline is the end of a started run
  };
  Track* find(std::string_view check);
  const Track* find(std::string_view check) const;
  static void plan(Track& track);
  Result late_result(const Track& track) const;
  Result ping_result(const Track& track, Status status, std::optional<Duration> run_time,
                     std::string_view body, TimePoint now) const;

  std::string location_;
  std::vector<Track> tracks_;  ///< sorted by check name
};

/// The body of a ping as it goes into a message: control characters as spaces, trimmed, cut
/// at kBodyExcerptBytes on a UTF-8 boundary with "..." when longer.
std::string excerpt(std::string_view body);

}  // namespace lk::state::heartbeat
