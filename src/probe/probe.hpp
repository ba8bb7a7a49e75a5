#pragma once
// The Probe interface: one instance per kind per shard, running many checks concurrently on
// that shard's io_context.

#include <boost/asio/awaitable.hpp>

#include "core/check.hpp"
#include "core/result.hpp"

namespace lk::probe {

class Probe {
 public:
  virtual ~Probe() = default;
  /// Runs one check. Never throws for a failing target (a refused connection is an Observation
  /// with failed_at = connect and a message) and completes by `deadline`.
  virtual boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) = 0;
};

/// The message for a timeout, naming how long and what was awaited.
std::string timeout_message(Duration after, std::string_view waiting_for);

}  // namespace lk::probe
