#pragma once
// Helpers shared by the expect tests.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "expect/expect.hpp"

namespace lk::expect::testing {

inline const TimePoint kNow{std::chrono::seconds{1'800'000'000}};

/// Parses a condition the test expects to be valid; records a failure otherwise.
inline Condition must_parse(std::string_view text) {
  auto parsed = parse(text);
  if (auto* error = std::get_if<ParseError>(&parsed)) {
    ADD_FAILURE() << "'" << text << "' did not parse: " << error->message << " at offset "
                  << error->offset;
    return {};
  }
  return std::get<Condition>(parsed);
}

/// An HTTP answer that took `latency` in total.
inline Observation http_answer(int status_code, std::string body = {},
                               Duration latency = std::chrono::milliseconds{12}) {
  Observation o;
  o.started_at = kNow;
  o.status_code = status_code;
  o.body = std::move(body);
  o.timings.total = latency;
  return o;
}

}  // namespace lk::expect::testing
