#pragma once
// Small text helpers shared by the page, the SVG and the metrics renderers.

#include <string>
#include <string_view>

#include "core/time.hpp"

namespace lk::web {

/// Escapes & < > " ' so that user-provided text (check names, messages) cannot inject markup.
std::string html_escape(std::string_view text);
/// Appends the escaped text to `out` (the renderers build one big string).
void append_html_escaped(std::string& out, std::string_view text);

/// Escapes like html_escape and drops the control characters XML 1.0 does not allow (all below
/// U+0020 but tab, line feed and carriage return), so that user text keeps a feed well-formed.
void append_xml_escaped(std::string& out, std::string_view text);

/// Percent-encodes every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~), for one path
/// segment or query value: "web site/a" -> "web%20site%2Fa".
std::string url_encode(std::string_view text);

/// A fraction 0..1 as a percentage truncated (never rounded up) to two decimals: 0.99996 is
/// "99.99%", not "100%", because a status page must not round an outage away.
std::string format_percent(double fraction);

/// A latency for people: "0.4 ms", "12.3 ms", "230 ms", "1.25 s".
std::string format_latency_ms(double ms);

/// The UTC calendar day of an instant: "2026-11-20".
std::string format_day(TimePoint t);

/// The UTC calendar day of an instant, short, for the bars' tooltips: "Nov 20".
std::string format_short_day(TimePoint t);

/// An instant for people, to the minute: "2026-11-21 08:35 UTC".
std::string format_minute(TimePoint t);

/// A duration for people, to the second: "3m12s", "2d4h".
std::string format_duration_seconds(Duration d);

}  // namespace lk::web
