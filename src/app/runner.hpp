#pragma once
// Runs one configured check once: probe, then judge with its conditions.

#include <boost/asio/awaitable.hpp>

#include "config/config.hpp"
#include "core/result.hpp"
#include "expect/expect.hpp"
#include "probe/probe.hpp"

namespace lk::app {

struct CheckRun {
  Observation observation;
  Result result;
};

/// The judgement of the conditions merged with the target's own verdict (obs.verdict), if any:
/// its fail or unknown stands, its warn stands unless a condition failed, its ok message replaces
/// the summary.
expect::Judgement merge_own_verdict(expect::Judgement judged, const Observation& obs);

/// Probes `check` with a deadline of its timeout and judges what was seen.
boost::asio::awaitable<CheckRun> run_check(probe::Probe& probe, const config::Check& check,
                                           std::string_view location, const Clock& clock);

}  // namespace lk::app
