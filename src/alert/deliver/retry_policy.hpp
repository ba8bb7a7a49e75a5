#pragma once
// When to send a notification again. Pure: every function takes the time it needs, and
// randomness comes from an injected source, so the whole policy is tested as a table.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "alert/deliver/attempt.hpp"
#include "core/time.hpp"

namespace lk::alert::deliver {

/// What an attempt means for the notification.
enum class Verdict : std::uint8_t { sent, retry, permanent };

std::string_view to_string(Verdict v);

/// A channel's own reading of an answer (e.g. a service that signals rate limiting with a 400
/// and a particular body); nullopt falls back to the generic rules.
using ClassifyOverride = std::function<std::optional<Verdict>(const Attempt&)>;

/// The generic rules: 2xx sent; 408, 425, 429, 5xx and transport failures (DNS, connect, TLS,
/// broken connection, timeout, shutdown) retry; a redirect, an unusable request and every
/// other status are permanent.
Verdict classify(const Attempt& attempt);

/// A uniform number in [0, 1). Injected so that jitter is deterministic in tests.
using UniformRandom = std::function<double()>;

/// Retry-After as a delay from `now`: delta-seconds ("120") or an HTTP-date in any of the three
/// forms of RFC 9110 ("Sun, 06 Nov 1994 08:49:37 GMT", the RFC 850 and asctime forms). A date
/// in the past is a zero delay. Garbage, negatives and empty text are nullopt.
std::optional<Duration> parse_retry_after(std::string_view value, TimePoint now);

struct RetryOptions {
  Duration initial_backoff = std::chrono::seconds{10};
  Duration max_backoff = std::chrono::hours{1};
  /// The shortest wait, so that a jitter draw near zero or "Retry-After: 0" cannot spin.
  Duration min_backoff = std::chrono::seconds{1};
  /// A receiver asking for longer than this is waited for this long, then asked again.
  Duration max_retry_after = std::chrono::hours{1};
  /// Give up (permanent) once the next try would start later than this after the first...
  Duration give_up_after = std::chrono::hours{24};
  /// ...or once this many attempts have failed.
  int max_attempts = 50;
  ClassifyOverride override_classify;  ///< optional, per channel
};

/// The exponential ceiling for the wait after the `failed_attempts`-th failure (1-based):
/// initial, 2x, 4x, ... capped at max_backoff.
Duration backoff_ceiling(const RetryOptions& options, int failed_attempts);

/// Full jitter: uniform in [0, ceiling], floored at min_backoff.
Duration backoff_delay(const RetryOptions& options, int failed_attempts,
                       const UniformRandom& random);

struct Decision {
  Verdict verdict = Verdict::sent;
  TimePoint next_attempt_at{};  ///< meaningful for Verdict::retry
  std::string reason;           ///< for the attempt log: why this verdict
};

/// Judges the attempt that just ended at `now`. `failed_attempts` counts this attempt if it
/// failed; `first_attempt_at` is when the notification was first tried.
Decision decide(const RetryOptions& options, const Attempt& attempt, int failed_attempts,
                TimePoint first_attempt_at, TimePoint now, const UniformRandom& random);

}  // namespace lk::alert::deliver
