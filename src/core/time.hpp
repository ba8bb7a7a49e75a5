#pragma once
// Time types and the injected clock. Nothing outside app/ reads the system clock directly.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace lk {

using Duration = std::chrono::nanoseconds;
/// Wall-clock instant (UTC). Results, incidents and the store use this.
using TimePoint = std::chrono::system_clock::time_point;
/// Monotonic instant. Deadlines and timers use this.
using MonoTime = std::chrono::steady_clock::time_point;
using Deadline = MonoTime;

/// The one way to read the time, so that tests run on simulated time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  virtual MonoTime mono_now() const = 0;
};

/// The real clock.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
  MonoTime mono_now() const override { return std::chrono::steady_clock::now(); }
};

/// A clock that only moves when told to (tests).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{std::chrono::seconds{1'800'000'000}})
      : now_(start), mono_(MonoTime{std::chrono::hours{1}}) {}
  TimePoint now() const override { return now_; }
  MonoTime mono_now() const override { return mono_; }
  void advance(Duration d) {
    now_ += std::chrono::duration_cast<TimePoint::duration>(d);
    mono_ += d;
  }

 private:
  TimePoint now_;
  MonoTime mono_;
};

/// Parses "800ms", "30s", "5m", "1h30m", "14d", "1w" (also "250us"). No sign, at least one unit.
std::optional<Duration> parse_duration(std::string_view text);
/// Formats a duration compactly: "800ms", "30s", "5m", "1h30m", "14d".
std::string format_duration(Duration d);
/// Formats an instant as RFC 3339 UTC with milliseconds: "2026-11-21T08:35:00.123Z".
std::string format_time(TimePoint t);
/// Parses RFC 3339 ("2026-11-21T08:35:00Z", fractional seconds and offsets allowed) or
/// unix seconds ("1763714100").
std::optional<TimePoint> parse_time(std::string_view text);

/// Milliseconds as a double, for display and JSON.
inline double to_ms(Duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace lk
