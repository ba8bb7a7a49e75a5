#include "probe/icmp/tally.hpp"

#include <algorithm>
#include <cstdio>

namespace lk::probe::icmp {

namespace {

std::string ms3(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms);
  return buf;
}

}  // namespace

Observation echo_observation(const EchoTally& t, Duration reply_timeout) {
  Observation obs;
  const int received = static_cast<int>(t.rtts.size());
  const double loss =
      t.requested > 0 ? 100.0 * (t.requested - received) / static_cast<double>(t.requested) : 100;
  obs.metrics = {
      {"sent", static_cast<double>(t.sent), ""},
      {"received", static_cast<double>(received), ""},
      {"loss", loss, "%"},
  };
  if (received == 0) {
    const std::string counted = " (" + std::to_string(t.requested) + " requests, 100% loss)";
    if (t.sent == 0) {
      obs.failed_at = Layer::connect;
      obs.error = "cannot send ICMP echo requests to " + t.host + ": " + t.send_error;
    } else if (!t.icmp_error.empty()) {
      obs.failed_at = Layer::connect;
      obs.error = "no echo reply from " + t.host + ": " + t.icmp_error +
                  (t.icmp_error_from.empty() ? "" : " (reported by " + t.icmp_error_from + ")") +
                  counted;
    } else {
      obs.failed_at = Layer::timeout;
      obs.error = "no echo reply from " + t.host + " within " + format_duration(reply_timeout) +
                  " of the last request" + counted;
    }
    return obs;
  }
  double min = to_ms(t.rtts.front()), max = min, sum = 0;
  for (Duration d : t.rtts) {
    double ms = to_ms(d);
    min = std::min(min, ms);
    max = std::max(max, ms);
    sum += ms;
  }
  const double avg = sum / received;
  obs.metrics.push_back({"rtt_min", min, "ms"});
  obs.metrics.push_back({"rtt_avg", avg, "ms"});
  obs.metrics.push_back({"rtt_max", max, "ms"});
  char loss_text[32];
  std::snprintf(loss_text, sizeof loss_text, "%.0f%%", loss);
  std::string summary = std::to_string(received) + "/" + std::to_string(t.requested) +
                        " echo replies from " + t.host + ", " + loss_text +
                        " loss, rtt min/avg/max " + ms3(min) + "/" + ms3(avg) + "/" + ms3(max) +
                        " ms";
  obs.verdict = OwnVerdict{Status::ok, std::move(summary)};
  return obs;
}

}  // namespace lk::probe::icmp
