#include "app/runner.hpp"

namespace lk::app {

boost::asio::awaitable<CheckRun> run_check(probe::Probe& probe, const config::Check& check,
                                           std::string_view location, const Clock& clock) {
  const auto started = clock.mono_now();
  CheckRun run;
  run.observation = co_await probe.run(check.spec, started + check.spec.timeout);
  const auto& obs = run.observation;
  auto verdict = expect::judge(obs, check.expect, check.warn, clock.now());
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
