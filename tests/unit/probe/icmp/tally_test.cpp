// From replies to metrics and verdicts: loss and rtt statistics, and why a run without replies
// failed.

#include "probe/icmp/tally.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lk::probe::icmp {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

double metric(const Observation& o, std::string_view name) {
  for (const auto& m : o.metrics)
    if (m.name == name) return m.value;
  ADD_FAILURE() << "no metric " << name;
  return -1;
}

TEST(EchoTally, RepliesGiveLossAndRoundTripStatistics) {
  EchoTally t{"192.0.2.1", 4, 4, {1ms, 3ms, 2ms}, "", "", ""};
  auto o = echo_observation(t, 1s);
  EXPECT_EQ(o.failed_at, Layer::none);
  EXPECT_DOUBLE_EQ(metric(o, "sent"), 4);
  EXPECT_DOUBLE_EQ(metric(o, "received"), 3);
  EXPECT_DOUBLE_EQ(metric(o, "loss"), 25);
  EXPECT_DOUBLE_EQ(metric(o, "rtt_min"), 1);
  EXPECT_DOUBLE_EQ(metric(o, "rtt_avg"), 2);
  EXPECT_DOUBLE_EQ(metric(o, "rtt_max"), 3);
  ASSERT_TRUE(o.verdict);
  EXPECT_EQ(o.verdict->status, Status::ok);
  EXPECT_EQ(o.verdict->message,
            "3/4 echo replies from 192.0.2.1, 25% loss, rtt min/avg/max 1.000/2.000/3.000 ms");
}

TEST(EchoTally, NoReplyIsATimeoutWithFullLossStillMeasured) {
  EchoTally t{"192.0.2.1", 3, 3, {}, "", "", ""};
  auto o = echo_observation(t, 1s);
  EXPECT_EQ(o.failed_at, Layer::timeout);
  EXPECT_EQ(o.error,
            "no echo reply from 192.0.2.1 within 1s of the last request (3 requests, 100% loss)");
  EXPECT_DOUBLE_EQ(metric(o, "loss"), 100);
}

TEST(EchoTally, AnIcmpErrorOrASendFailureIsAConnectFailure) {
  EchoTally unreachable{"10.9.9.9", 3, 3, {}, "destination host unreachable", "10.0.0.1", ""};
  auto o = echo_observation(unreachable, 1s);
  EXPECT_EQ(o.failed_at, Layer::connect);
  EXPECT_THAT(o.error, HasSubstr("destination host unreachable (reported by 10.0.0.1)"));

  EchoTally unsendable{"10.9.9.9", 3, 0, {}, "", "", "Network is unreachable"};
  o = echo_observation(unsendable, 1s);
  EXPECT_EQ(o.failed_at, Layer::connect);
  EXPECT_EQ(o.error, "cannot send ICMP echo requests to 10.9.9.9: Network is unreachable");
}

}  // namespace
}  // namespace lk::probe::icmp
