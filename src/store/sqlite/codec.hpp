#pragma once
// How values are laid out in the database: instants as integer milliseconds since the Unix
// epoch, durations as integer microseconds, metrics as a JSON text, resolutions as small
// integers. Kept in one place so writer and reader cannot disagree.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace lk::store::sqlite {

/// Milliseconds since the epoch, rounded down (also before 1970).
inline std::int64_t to_epoch_ms(TimePoint t) {
  return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint from_epoch_ms(std::int64_t ms) {
  return TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds{ms})};
}
inline std::optional<std::int64_t> to_epoch_ms(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return to_epoch_ms(*t);
}
inline std::optional<TimePoint> from_epoch_ms(const std::optional<std::int64_t>& ms) {
  if (!ms) return std::nullopt;
  return from_epoch_ms(*ms);
}

inline std::int64_t to_us(Duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}
inline Duration from_us(std::int64_t us) {
  return std::chrono::microseconds{us};
}
inline std::optional<std::int64_t> to_us(const std::optional<Duration>& d) {
  if (!d) return std::nullopt;
  return to_us(*d);
}
inline std::optional<Duration> from_us(const std::optional<std::int64_t>& us) {
  if (!us) return std::nullopt;
  return from_us(*us);
}

/// The stored code of a resolution. Spelled out (not a cast) so that reordering the enum
/// cannot silently reinterpret existing rows.
constexpr int resolution_code(Resolution r) {
  switch (r) {
    case Resolution::minute:
      return 0;
    case Resolution::hour:
      return 1;
    case Resolution::day:
      return 2;
  }
  return 0;
}

/// Stored status code: the Nagios exit code. Unknown codes read back as Status::unknown.
inline std::int64_t status_code(Status s) {
  return exit_code(s);
}
Status status_from_code(std::int64_t code);

/// State names as text ("ok", "fail", ...), readable with the sqlite3 shell.
State state_from_text(std::string_view text);

/// Metrics as a JSON array of {"name", "value", "unit"}; std::nullopt when there are none.
std::optional<std::string> encode_metrics(const std::vector<Metric>& metrics);
/// The inverse; a malformed text yields no metrics rather than failing the whole read.
std::vector<Metric> decode_metrics(std::string_view json);

}  // namespace lk::store::sqlite
