#include "app/runner.hpp"

namespace lk::app {

expect::Judgement merge_own_verdict(expect::Judgement judged, const Observation& obs) {
  if (!obs.verdict || obs.failed_at != Layer::none) return judged;
  const OwnVerdict& own = *obs.verdict;
  // A critical or unknown verdict stands whatever the conditions say (they would only read a
  // failed measurement); a warning stands unless a condition fails; ok replaces the summary.
  if (own.status == Status::fail || own.status == Status::unknown ||
      (own.status == Status::warn && judged.status != Status::fail) || judged.status == Status::ok)
    return {own.status, own.message};
  return judged;
}

boost::asio::awaitable<CheckRun> run_check(probe::Probe& probe, const config::Check& check,
                                           std::string_view location, const Clock& clock) {
  const auto started = clock.mono_now();
  CheckRun run;
  run.observation = co_await probe.run(check.spec, started + check.spec.timeout);
  const auto& obs = run.observation;
  auto verdict = merge_own_verdict(expect::judge(obs, check.expect, check.warn, clock.now()), obs);
  Result& r = run.result;
  r.check = check.spec.name;
  r.location = std::string(location);
  r.started_at = obs.started_at;
  r.duration = obs.timings.total.value_or(clock.mono_now() - started);
  r.status = verdict.status;
  r.message = std::move(verdict.message);
  r.timings = obs.timings;
  r.metrics = obs.metrics;
  r.cert_not_after = obs.cert_not_after;
  co_return run;
}

}  // namespace lk::app
