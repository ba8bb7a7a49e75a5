#pragma once
// The Probe interface: one instance per kind per shard, running many checks concurrently on
// that shard's io_context.

#include <boost/asio/awaitable.hpp>
#include <string>
#include <utility>
#include <vector>

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

/// The config fields `lightkeeper check URL` fills for a kind whose URL does not map to one
/// field (dns://server/name?type=MX): each kind reads its own URL form.
struct UrlFields {
  std::vector<std::pair<std::string, std::string>> scalars;             ///< key: value
  std::vector<std::pair<std::string, std::vector<std::string>>> lists;  ///< key: [values]
  std::string error;  ///< set when the URL is not one of this kind's forms
};

/// The message for a timeout, naming how long and what was awaited.
std::string timeout_message(Duration after, std::string_view waiting_for);

}  // namespace lk::probe
