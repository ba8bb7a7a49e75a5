#pragma once
// Nagios / Monitoring Plugins checks: run the plugin (process.hpp), judge by its exit code,
// read its message and performance data (plugin_output.hpp).

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "probe/command/process.hpp"
#include "probe/command/settings.hpp"
#include "probe/probe.hpp"

namespace lk::probe::command {

/// What a finished (or timed out) plugin run means: the observation's verdict or failure,
/// body and metrics. `program` names the plugin in messages; `timeout` is the check's.
Observation observe(const ProcessEnd& end, std::string_view program, Duration timeout,
                    Duration kill_grace);

class CommandProbe final : public Probe {
 public:
  /// `base_env` ("NAME=value") is what every plugin gets before its check's own `env`.
  CommandProbe(boost::asio::io_context& io, const Clock& clock, std::vector<std::string> base_env)
      : io_(io), clock_(clock), base_env_(std::move(base_env)) {}
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override;

 private:
  boost::asio::io_context& io_;
  const Clock& clock_;
  std::vector<std::string> base_env_;
};

/// PATH, HOME, TZ and TMPDIR from this process's environment (PATH defaulted), LC_NUMERIC=C.
std::vector<std::string> base_environment();

std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::command
