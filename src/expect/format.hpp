#pragma once
// How actual values are shown in verdicts: short, and in the units people write them in.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace lk::expect {

/// Longest part of an actual value that is quoted in a verdict.
inline constexpr std::size_t kMaxQuoted = 60;

/// "text" with inner quotes escaped (backslashes are left alone, so a regex reads as written), cut
/// to kMaxQuoted bytes (at a UTF-8 boundary) and marked with "..." when cut.
std::string quote(std::string_view text, std::size_t max = kMaxQuoted);

/// 200, 0.25, 1e+20.
std::string format_number(double value);

/// Readable at a glance: 412us, 12ms, 1.2s, 5m3s, 3d4h (at most two units past a minute).
std::string format_readable(Duration d);

/// "70000 bytes".
std::string format_bytes(std::size_t bytes);

}  // namespace lk::expect
