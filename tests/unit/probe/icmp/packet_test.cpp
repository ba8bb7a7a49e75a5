// ICMP echo packets: the bytes of a request, replies as datagram and raw sockets deliver them,
// errors that quote our request, and everything else ignored.

#include "probe/icmp/packet.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lk::probe::icmp {
namespace {

constexpr std::uint64_t kCookie = 0x0102030405060708ull;

/// What the peer sends back: the request with the reply type (and, for v4, a fresh checksum).
std::vector<std::uint8_t> reply_to(std::vector<std::uint8_t> request, Family family) {
  request[0] = family == Family::v4 ? 0 : 129;
  request[2] = request[3] = 0;
  if (family == Family::v4) {
    auto sum = checksum(request);
    request[2] = static_cast<std::uint8_t>(sum >> 8);
    request[3] = static_cast<std::uint8_t>(sum);
  }
  return request;
}

std::vector<std::uint8_t> ipv4_header(std::size_t payload, std::uint8_t ihl_words = 5) {
  std::vector<std::uint8_t> h(ihl_words * 4u);
  h[0] = static_cast<std::uint8_t>(0x40 | ihl_words);
  h[2] = static_cast<std::uint8_t>((h.size() + payload) >> 8);
  h[3] = static_cast<std::uint8_t>(h.size() + payload);
  h[8] = 64;
  h[9] = 1;  // ICMP
  return h;
}

std::vector<std::uint8_t> concat(std::initializer_list<std::vector<std::uint8_t>> parts) {
  std::vector<std::uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(IcmpChecksum, MatchesRfc1071Examples) {
  // RFC 1071 section 3: the sum of 00 01 f2 03 f4 f5 f6 f7 is ddf2, so the checksum is 220d.
  std::vector<std::uint8_t> data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum(data), 0x220d);
  std::vector<std::uint8_t> odd{0x01};
  EXPECT_EQ(checksum(odd), static_cast<std::uint16_t>(~0x0100));
}

TEST(IcmpRequest, V4HeaderPayloadAndAValidChecksum) {
  auto p = echo_request(Family::v4, 0xbeef, 7, 56, kCookie);
  ASSERT_EQ(p.size(), 64u);
  EXPECT_EQ(p[0], 8);
  EXPECT_EQ(p[1], 0);
  EXPECT_EQ(p[4], 0xbe);
  EXPECT_EQ(p[5], 0xef);
  EXPECT_EQ(p[6], 0);
  EXPECT_EQ(p[7], 7);
  EXPECT_EQ(p[8], 0x01);  // the cookie, big-endian
  EXPECT_EQ(p[15], 0x08);
  EXPECT_EQ(p[16], 8);        // then a counting pattern
  EXPECT_EQ(checksum(p), 0);  // a correct checksum sums to zero
}

TEST(IcmpRequest, V6LeavesTheChecksumToTheKernel) {
  auto p = echo_request(Family::v6, 1, 2, 0, kCookie);
  ASSERT_EQ(p.size(), 8u);
  EXPECT_EQ(p[0], 128);
  EXPECT_EQ(p[2], 0);
  EXPECT_EQ(p[3], 0);
}

TEST(IcmpParse, ADatagramSocketReplyIsMatchedByCookie) {
  auto reply = reply_to(echo_request(Family::v4, 0x1234, 3, 56, kCookie), Family::v4);
  auto got = parse(Family::v4, false, reply, kCookie, 56);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->kind, Received::Kind::echo_reply);
  EXPECT_EQ(got->id, 0x1234);
  EXPECT_EQ(got->seq, 3);
  EXPECT_FALSE(parse(Family::v4, false, reply, kCookie + 1, 56)) << "another run's reply";
}

TEST(IcmpParse, ARawV4ReplyComesAfterItsIpHeaderWhateverItsLength) {
  auto icmp = reply_to(echo_request(Family::v4, 9, 1, 56, kCookie), Family::v4);
  for (std::uint8_t words : {5, 6, 15}) {
    auto got =
        parse(Family::v4, true, concat({ipv4_header(icmp.size(), words), icmp}), kCookie, 56);
    ASSERT_TRUE(got) << int{words};
    EXPECT_EQ(got->seq, 1);
  }
}

TEST(IcmpParse, V6RepliesAndTinyPayloads) {
  auto reply = reply_to(echo_request(Family::v6, 5, 9, 4, kCookie), Family::v6);
  auto got = parse(Family::v6, false, reply, kCookie, 4);  // only 4 cookie bytes fit
  ASSERT_TRUE(got);
  EXPECT_EQ(got->seq, 9);
  auto empty = reply_to(echo_request(Family::v6, 5, 10, 0, kCookie), Family::v6);
  EXPECT_TRUE(parse(Family::v6, false, empty, kCookie, 0));
}

TEST(IcmpParse, OurOwnRequestsOtherTrafficAndCorruptPacketsAreIgnored) {
  auto request = echo_request(Family::v4, 1, 1, 56, kCookie);
  EXPECT_FALSE(parse(Family::v4, false, request, kCookie, 56)) << "our request seen on loopback";
  auto reply = reply_to(request, Family::v4);
  auto corrupt = reply;
  corrupt[20] ^= 0xff;
  EXPECT_FALSE(parse(Family::v4, false, corrupt, kCookie, 56)) << "bad checksum";
  EXPECT_FALSE(parse(Family::v4, false, std::vector<std::uint8_t>(reply.begin(), reply.begin() + 6),
                     kCookie, 56));
  EXPECT_FALSE(parse(Family::v4, true, std::vector<std::uint8_t>{0x45, 0, 0}, kCookie, 56));
  std::vector<std::uint8_t> timestamp_request(20);
  timestamp_request[0] = 13;
  EXPECT_FALSE(parse(Family::v6, false, timestamp_request, kCookie, 56));
}

TEST(IcmpParse, AnUnreachableErrorQuotingOurRequestNamesItsCause) {
  auto request = echo_request(Family::v4, 0x4242, 2, 56, kCookie);
  std::vector<std::uint8_t> quoted(request.begin(), request.begin() + 8);
  auto body = concat({ipv4_header(64), quoted});
  std::vector<std::uint8_t> error{3, 1, 0, 0, 0, 0, 0, 0};  // host unreachable
  error = concat({error, body});
  auto sum = checksum(error);
  error[2] = static_cast<std::uint8_t>(sum >> 8);
  error[3] = static_cast<std::uint8_t>(sum);
  auto got = parse(Family::v4, true, concat({ipv4_header(error.size()), error}), kCookie, 56);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->kind, Received::Kind::error);
  EXPECT_EQ(got->id, 0x4242);
  EXPECT_EQ(got->seq, 2);
  EXPECT_EQ(got->error, "destination host unreachable");
}

TEST(IcmpParse, AV6TimeExceededQuotingOurRequest) {
  auto request = echo_request(Family::v6, 0x0102, 5, 8, kCookie);
  std::vector<std::uint8_t> ipv6(40);
  ipv6[0] = 0x60;
  ipv6[6] = 58;  // next header: ICMPv6
  auto error = concat({{3, 0, 0, 0, 0, 0, 0, 0}, ipv6, request});
  auto got = parse(Family::v6, false, error, kCookie, 8);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->kind, Received::Kind::error);
  EXPECT_EQ(got->seq, 5);
  EXPECT_EQ(got->error, "hop limit exceeded in transit");
}

}  // namespace
}  // namespace lk::probe::icmp
