// judge(): from what a probe saw to ok, warn or fail, with the message people will read.

#include "expect/eval.hpp"
#include "expect/format.hpp"

namespace lk::expect {

namespace {

// With no `expect:` conditions, an HTTP answer must at least be a success: a 503 with a
// friendly error page is still an outage.
bool is_success(int status_code) {
  return status_code >= 200 && status_code <= 299;
}

std::string summary(const Observation& o) {
  std::string took = format_readable(o.latency());
  if (o.status_code) return "HTTP " + std::to_string(*o.status_code) + " in " + took;
  return "ok in " + took;
}

}  // namespace

Judgement judge(const Observation& o, std::span<const Condition> expect,
                std::span<const Condition> warn, TimePoint now) {
  if (o.failed_at != Layer::none) {
    std::string message =
        o.error.empty() ? std::string(to_string(o.failed_at)) + " failed" : o.error;
    return {Status::fail, std::move(message)};
  }
  if (expect.empty() && o.status_code && !is_success(*o.status_code))
    return {Status::fail, "status was " + std::to_string(*o.status_code) + " (expected 2xx)"};

  // One context for all conditions, so the body is parsed as JSON at most once.
  EvalContext context(o, now);
  for (const auto& condition : expect) {
    Verdict verdict = evaluate_in(condition, context);
    if (!verdict.passed) return {Status::fail, std::move(verdict.explanation)};
  }
  for (const auto& condition : warn) {
    Verdict verdict = evaluate_in(condition, context);
    if (!verdict.passed) return {Status::warn, std::move(verdict.explanation)};
  }
  return {Status::ok, summary(o)};
}

}  // namespace lk::expect
