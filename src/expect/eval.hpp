#pragma once
// Evaluation of compiled conditions, sharing one lazily parsed JSON body between the
// conditions of one judgement.

#include <optional>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "expect/expect.hpp"

namespace lk::expect {

/// What the conditions of one judgement look at. Lives on the caller's stack, so the cached
/// JSON document is never shared between threads.
class EvalContext {
 public:
  EvalContext(const Observation& observation, TimePoint now)
      : observation_(observation), now_(now) {}

  const Observation& observation() const { return observation_; }
  TimePoint now() const { return now_; }
  /// The body as JSON, parsed on first use only; nullptr when the body is not JSON.
  const nlohmann::json* json();

 private:
  const Observation& observation_;
  TimePoint now_;
  std::optional<nlohmann::json> json_;  ///< set once parsed; discarded when not JSON
};

Verdict evaluate_in(const Condition& condition, EvalContext& context);

}  // namespace lk::expect
