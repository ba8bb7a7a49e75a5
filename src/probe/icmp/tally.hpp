#pragma once
// From the replies a run collected to the observation: loss and round-trip metrics, the ok
// summary, or the failure when nothing came back.

#include <string>
#include <vector>

#include "core/result.hpp"

namespace lk::probe::icmp {

struct EchoTally {
  std::string host;             ///< the address pinged, for messages
  int requested = 0;            ///< requests the run meant to send
  int sent = 0;                 ///< requests the kernel accepted
  std::vector<Duration> rtts;   ///< one per reply
  std::string icmp_error;       ///< the last ICMP error about our requests ("host unreachable")
  std::string icmp_error_from;  ///< who sent it
  std::string send_error;       ///< the last sendto error ("Network is unreachable")
};

/// Metrics sent, received, loss (%) and, with replies, rtt_min, rtt_avg, rtt_max (ms). No reply
/// at all fails: at connect when the requests could not be sent or an ICMP error came back,
/// else at timeout.
Observation echo_observation(const EchoTally& t, Duration reply_timeout);

}  // namespace lk::probe::icmp
