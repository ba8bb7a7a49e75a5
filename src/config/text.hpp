#pragma once
// Small text helpers of the config reader: scalar conversions and "did you mean" suggestions.
// Private to config/.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lk::config {

/// "true"/"false" (also yes/no, on/off, any case), as YAML users write booleans.
std::optional<bool> parse_bool(std::string_view text);
/// A decimal integer with an optional sign; nullopt on anything else (including overflow).
std::optional<std::int64_t> parse_integer(std::string_view text);
/// Byte size: "65536", "64KiB", "1MiB", "10MB", "2GB" (decimal and binary units, optional "B").
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

/// Levenshtein distance between two strings.
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate closest to `word` when it is close enough to be a likely typo.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

/// Double-quotes text for messages, escaping quotes, backslashes and control characters.
std::string in_quotes(std::string_view text);

struct SourcePos;
/// "file:line:col", to point from one error at an earlier definition.
std::string where(const SourcePos& pos);

}  // namespace lk::config
