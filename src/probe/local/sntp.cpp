#include "probe/local/sntp.hpp"

namespace lk::probe::local::sntp {

namespace {

// Seconds from 1900-01-01 (the NTP epoch) to 1970-01-01 (the Unix epoch).
constexpr std::int64_t kNtpToUnix = 2'208'988'800;
constexpr std::int64_t kEra = std::int64_t{1} << 32;

std::uint32_t read32(std::span<const std::uint8_t> p, std::size_t at) {
  return (std::uint32_t{p[at]} << 24) | (std::uint32_t{p[at + 1]} << 16) |
         (std::uint32_t{p[at + 2]} << 8) | std::uint32_t{p[at + 3]};
}

void write32(std::span<std::uint8_t> p, std::size_t at, std::uint32_t v) {
  p[at] = static_cast<std::uint8_t>(v >> 24);
  p[at + 1] = static_cast<std::uint8_t>(v >> 16);
  p[at + 2] = static_cast<std::uint8_t>(v >> 8);
  p[at + 3] = static_cast<std::uint8_t>(v);
}

Timestamp read_timestamp(std::span<const std::uint8_t> p, std::size_t at) {
  return {read32(p, at), read32(p, at + 4)};
}

}  // namespace

Timestamp to_ntp(TimePoint t) {
  auto since_unix = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
  auto whole = std::chrono::floor<std::chrono::seconds>(since_unix);
  auto nanos = static_cast<std::uint64_t>((since_unix - whole).count());  // 0 .. 999'999'999
  std::int64_t ntp_seconds = whole.count() + kNtpToUnix;
  Timestamp ts;
  ts.seconds = static_cast<std::uint32_t>(static_cast<std::uint64_t>(ntp_seconds) & 0xffffffffu);
  // Round to the nearest 2^-32 s, so that to_ntp(from_ntp(x)) == x.
  ts.fraction = static_cast<std::uint32_t>(((nanos << 32) + 500'000'000) / 1'000'000'000);
  return ts;
}

TimePoint from_ntp(Timestamp ts) {
  std::int64_t seconds = ts.seconds;
  if ((ts.seconds & 0x80000000u) == 0) seconds += kEra;  // era 1: 2036-02-07 onwards
  std::int64_t unix_seconds = seconds - kNtpToUnix;
  auto nanos = static_cast<std::int64_t>(
      (std::uint64_t{ts.fraction} * 1'000'000'000 + (std::uint64_t{1} << 31)) >> 32);
  auto d = std::chrono::seconds{unix_seconds} + std::chrono::nanoseconds{nanos};
  return TimePoint{std::chrono::duration_cast<TimePoint::duration>(d)};
}

std::array<std::uint8_t, kPacketSize> encode_request(Timestamp transmit) {
  std::array<std::uint8_t, kPacketSize> p{};
  p[0] = (0 << 6) | (4 << 3) | 3;  // no leap warning, version 4, client
  write32(p, 40, transmit.seconds);
  write32(p, 44, transmit.fraction);
  return p;
}

std::variant<Reply, std::string> decode_reply(std::span<const std::uint8_t> d) {
  if (d.size() < kPacketSize)
    return "got " + std::to_string(d.size()) + " bytes, an SNTP reply has at least 48";
  Reply r;
  r.leap = d[0] >> 6;
  r.version = (d[0] >> 3) & 7;
  r.mode = d[0] & 7;
  r.stratum = d[1];
  if (r.version < 1 || r.version > 4)
    return "version " + std::to_string(r.version) + " is not an NTP version (1-4)";
  if (r.stratum == 0) {
    for (std::size_t i = 12; i < 16 && d[i] >= 0x20 && d[i] < 0x7f; ++i)
      r.reference += static_cast<char>(d[i]);
  }
  r.originate = read_timestamp(d, 24);
  r.receive = read_timestamp(d, 32);
  r.transmit = read_timestamp(d, 40);
  return r;
}

std::string unusable(const Reply& r, Timestamp sent) {
  if (r.mode != 4 && r.mode != 5)
    return "mode " + std::to_string(r.mode) + " is not a server reply (4)";
  if (!(r.originate == sent)) return "the reply is not for our request (originate time differs)";
  if (r.stratum == 0)
    return "the server sent a kiss-o'-death" +
           (r.reference.empty() ? std::string() : " (" + r.reference + ")");
  if (r.leap == 3) return "the server's clock is not synchronized (leap indicator 3)";
  if (r.transmit.seconds == 0 && r.transmit.fraction == 0) return "the reply has no transmit time";
  return {};
}

Measurement measure(TimePoint t1, const Reply& reply, TimePoint t4) {
  const TimePoint t2 = from_ntp(reply.receive);
  const TimePoint t3 = from_ntp(reply.transmit);
  Measurement m;
  m.offset = std::chrono::duration_cast<Duration>(((t2 - t1) + (t3 - t4)) / 2);
  m.round_trip = std::chrono::duration_cast<Duration>((t4 - t1) - (t3 - t2));
  return m;
}

}  // namespace lk::probe::local::sntp
