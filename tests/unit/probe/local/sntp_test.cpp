// SNTP (RFC 4330): timestamps across the NTP and Unix epochs and eras, the request's bytes,
// what a reply must be to be trusted, and the offset and round-trip arithmetic.

#include "probe/local/sntp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lk::probe::local::sntp {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TimePoint unix_time(std::chrono::nanoseconds since_epoch) {
  return TimePoint{std::chrono::duration_cast<TimePoint::duration>(since_epoch)};
}

std::array<std::uint8_t, kPacketSize> reply_bytes(Timestamp originate, Timestamp receive,
                                                  Timestamp transmit, int leap = 0, int mode = 4,
                                                  int stratum = 2) {
  std::array<std::uint8_t, kPacketSize> p{};
  p[0] = static_cast<std::uint8_t>((leap << 6) | (4 << 3) | mode);
  p[1] = static_cast<std::uint8_t>(stratum);
  auto put = [&](std::size_t at, Timestamp ts) {
    for (int i = 0; i < 4; ++i) {
      p[at + i] = static_cast<std::uint8_t>(ts.seconds >> (24 - 8 * i));
      p[at + 4 + i] = static_cast<std::uint8_t>(ts.fraction >> (24 - 8 * i));
    }
  };
  put(24, originate);
  put(32, receive);
  put(40, transmit);
  return p;
}

TEST(SntpTimestamp, TheUnixEpochIsSecond2208988800OfTheNtpEra) {
  EXPECT_EQ(to_ntp(unix_time(0s)), (Timestamp{2'208'988'800u, 0}));
  EXPECT_EQ(to_ntp(unix_time(1500ms)), (Timestamp{2'208'988'801u, 0x80000000u}));
  EXPECT_EQ(from_ntp(Timestamp{2'208'988'800u, 0x40000000u}), unix_time(250ms));
}

TEST(SntpTimestamp, RoundTripsToTheNanosecond) {
  for (auto t : {unix_time(1'800'000'000'123'456'789ns), unix_time(1'763'714'100'999'999'999ns),
                 unix_time(1ns)}) {
    auto back = from_ntp(to_ntp(t));
    EXPECT_LE(std::chrono::abs(back - t), 1ns) << t.time_since_epoch().count();
  }
}

TEST(SntpTimestamp, SecondsWithTheTopBitClearAreInTheNextEraFrom2036) {
  // 2036-02-07T06:28:16Z is where the 32-bit NTP seconds wrap to 0.
  const auto wrap = unix_time(std::chrono::seconds{4'294'967'296LL - 2'208'988'800LL});
  EXPECT_EQ(to_ntp(wrap), (Timestamp{0, 0}));
  EXPECT_EQ(from_ntp(Timestamp{0, 0}), wrap);
  EXPECT_EQ(from_ntp(Timestamp{10, 0}), wrap + 10s);
  const auto year_2040 = unix_time(2'208'988'800s);  // 2039-12-31 or so: era 1
  EXPECT_EQ(from_ntp(to_ntp(year_2040)), year_2040);
}

TEST(SntpRequest, IsAVersion4ClientPacketCarryingTheTransmitTime) {
  auto p = encode_request(Timestamp{0x01020304u, 0x05060708u});
  EXPECT_EQ(p.size(), 48u);
  EXPECT_EQ(p[0], 0x23);  // LI 0, VN 4, mode 3
  for (std::size_t i = 1; i < 40; ++i) EXPECT_EQ(p[i], 0) << i;
  EXPECT_EQ(p[40], 1);
  EXPECT_EQ(p[43], 4);
  EXPECT_EQ(p[44], 5);
  EXPECT_EQ(p[47], 8);
}

TEST(SntpReply, DecodesFieldsAndTimestamps) {
  auto bytes = reply_bytes({1, 2}, {3, 4}, {5, 6}, 0, 4, 3);
  auto decoded = decode_reply(bytes);
  ASSERT_TRUE(std::holds_alternative<Reply>(decoded));
  const auto& r = std::get<Reply>(decoded);
  EXPECT_EQ(r.version, 4);
  EXPECT_EQ(r.mode, 4);
  EXPECT_EQ(r.stratum, 3);
  EXPECT_EQ(r.originate, (Timestamp{1, 2}));
  EXPECT_EQ(r.receive, (Timestamp{3, 4}));
  EXPECT_EQ(r.transmit, (Timestamp{5, 6}));
  EXPECT_EQ(unusable(r, Timestamp{1, 2}), "");
}

TEST(SntpReply, GarbageIsNotAReply) {
  std::array<std::uint8_t, 12> short_one{};
  EXPECT_THAT(std::get<std::string>(decode_reply(short_one)), HasSubstr("got 12 bytes"));
  auto bytes = reply_bytes({1, 2}, {3, 4}, {5, 6});
  bytes[0] = 0x07;  // version 0
  EXPECT_THAT(std::get<std::string>(decode_reply(bytes)), HasSubstr("version 0"));
}

TEST(SntpReply, NamesWhyAReplyCannotBeTrusted) {
  const Timestamp sent{100, 200};
  auto why = [&](std::array<std::uint8_t, kPacketSize> bytes) {
    return unusable(std::get<Reply>(decode_reply(bytes)), sent);
  };
  EXPECT_THAT(why(reply_bytes(sent, {3, 4}, {5, 6}, 0, 3)), HasSubstr("mode 3"));
  EXPECT_THAT(why(reply_bytes({100, 201}, {3, 4}, {5, 6})), HasSubstr("not for our request"));
  EXPECT_THAT(why(reply_bytes(sent, {3, 4}, {5, 6}, 3)), HasSubstr("not synchronized"));
  EXPECT_THAT(why(reply_bytes(sent, {3, 4}, {0, 0})), HasSubstr("no transmit time"));
  auto kiss = reply_bytes(sent, {3, 4}, {5, 6}, 0, 4, 0);
  kiss[12] = 'R', kiss[13] = 'A', kiss[14] = 'T', kiss[15] = 'E';
  EXPECT_EQ(why(kiss), "the server sent a kiss-o'-death (RATE)");
}

TEST(SntpMeasure, OffsetAndRoundTripFollowRfc4330) {
  // The local clock is 1 s behind; 10 ms each way; the server takes 1 ms.
  const auto t1 = unix_time(1'800'000'000s);
  Reply r;
  r.receive = to_ntp(t1 + 1s + 10ms);
  r.transmit = to_ntp(t1 + 1s + 11ms);
  const auto t4 = t1 + 21ms;
  auto m = measure(t1, r, t4);
  EXPECT_LE(std::chrono::abs(m.offset - Duration{1s}), 2ns);
  EXPECT_LE(std::chrono::abs(m.round_trip - Duration{20ms}), 2ns);

  // Ahead by 250 ms: a negative offset.
  r.receive = to_ntp(t1 - 250ms + 5ms);
  r.transmit = to_ntp(t1 - 250ms + 5ms);
  m = measure(t1, r, t1 + 10ms);
  EXPECT_LE(std::chrono::abs(m.offset - Duration{-250ms}), 2ns);
  EXPECT_LE(std::chrono::abs(m.round_trip - Duration{10ms}), 2ns);
}

}  // namespace
}  // namespace lk::probe::local::sntp
