#include "probe/icmp/packet.hpp"

namespace lk::probe::icmp {

namespace {

constexpr std::uint8_t kEchoRequest4 = 8, kEchoReply4 = 0, kUnreachable4 = 3, kTimeExceeded4 = 11;
constexpr std::uint8_t kEchoRequest6 = 128, kEchoReply6 = 129, kUnreachable6 = 1,
                       kTimeExceeded6 = 3;
constexpr std::size_t kHeader = 8;  // type, code, checksum, id, seq
constexpr std::size_t kIpv6Header = 40;

std::uint16_t read16(std::span<const std::uint8_t> p, std::size_t at) {
  return static_cast<std::uint16_t>((p[at] << 8) | p[at + 1]);
}

std::uint8_t cookie_byte(std::uint64_t cookie, std::size_t i) {
  return static_cast<std::uint8_t>(cookie >> (56 - 8 * i));
}

bool carries_cookie(std::span<const std::uint8_t> payload, std::uint64_t cookie,
                    std::size_t payload_size) {
  std::size_t n = std::min<std::size_t>(8, payload_size);
  if (payload.size() < n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (payload[i] != cookie_byte(cookie, i)) return false;
  return true;
}

std::string unreachable_text4(std::uint8_t code) {
  switch (code) {
    case 0:
      return "destination network unreachable";
    case 1:
      return "destination host unreachable";
    case 2:
      return "destination protocol unreachable";
    case 3:
      return "destination port unreachable";
    case 4:
      return "fragmentation needed";
    case 9:
    case 10:
    case 13:
      return "communication administratively prohibited";
    default:
      return "destination unreachable (code " + std::to_string(code) + ")";
  }
}

std::string unreachable_text6(std::uint8_t code) {
  switch (code) {
    case 0:
      return "no route to destination";
    case 1:
      return "communication administratively prohibited";
    case 3:
      return "destination address unreachable";
    case 4:
      return "destination port unreachable";
    default:
      return "destination unreachable (code " + std::to_string(code) + ")";
  }
}

/// The ICMP part of an IPv4 packet, or empty when the IP header is malformed.
std::span<const std::uint8_t> after_ipv4_header(std::span<const std::uint8_t> p) {
  if (p.size() < 20 || (p[0] >> 4) != 4) return {};
  std::size_t length = std::size_t{p[0] & 0x0fu} * 4;
  if (length < 20 || p.size() < length) return {};
  return p.subspan(length);
}

}  // namespace

std::uint16_t checksum(std::span<const std::uint8_t> data) {
  std::uint32_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2)
    sum += static_cast<std::uint32_t>((data[i] << 8) | data[i + 1]);
  if (i < data.size()) sum += static_cast<std::uint32_t>(data[i] << 8);
  while (sum >> 16) sum = (sum & 0xffffu) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffffu);
}

std::vector<std::uint8_t> echo_request(Family family, std::uint16_t id, std::uint16_t seq,
                                       std::size_t payload_size, std::uint64_t cookie) {
  std::vector<std::uint8_t> p(kHeader + payload_size);
  p[0] = family == Family::v4 ? kEchoRequest4 : kEchoRequest6;
  p[1] = 0;
  p[4] = static_cast<std::uint8_t>(id >> 8);
  p[5] = static_cast<std::uint8_t>(id);
  p[6] = static_cast<std::uint8_t>(seq >> 8);
  p[7] = static_cast<std::uint8_t>(seq);
  for (std::size_t i = 0; i < payload_size; ++i)
    p[kHeader + i] = i < 8 ? cookie_byte(cookie, i) : static_cast<std::uint8_t>(i);
  if (family == Family::v4) {
    std::uint16_t sum = checksum(p);
    p[2] = static_cast<std::uint8_t>(sum >> 8);
    p[3] = static_cast<std::uint8_t>(sum);
  }
  return p;
}

std::optional<Received> parse(Family family, bool with_ip_header,
                              std::span<const std::uint8_t> datagram, std::uint64_t cookie,
                              std::size_t payload_size) {
  std::span<const std::uint8_t> icmp = datagram;
  if (family == Family::v4 && with_ip_header) icmp = after_ipv4_header(datagram);
  if (icmp.size() < kHeader) return std::nullopt;
  if (family == Family::v4 && checksum(icmp) != 0) return std::nullopt;
  const std::uint8_t type = icmp[0], code = icmp[1];
  Received r;

  const std::uint8_t reply = family == Family::v4 ? kEchoReply4 : kEchoReply6;
  if (type == reply && code == 0) {
    if (!carries_cookie(icmp.subspan(kHeader), cookie, payload_size)) return std::nullopt;
    r.kind = Received::Kind::echo_reply;
    r.id = read16(icmp, 4);
    r.seq = read16(icmp, 6);
    return r;
  }

  // An error quotes the start of the packet it is about: for v4 its IP header and 8 bytes of
  // ICMP, for v6 (after 4 unused bytes) its IPv6 header and as much as fits.
  std::span<const std::uint8_t> quoted;
  if (family == Family::v4 && (type == kUnreachable4 || type == kTimeExceeded4)) {
    quoted = after_ipv4_header(icmp.subspan(kHeader));
    r.error = type == kUnreachable4 ? unreachable_text4(code) : "time to live exceeded in transit";
  } else if (family == Family::v6 && (type == kUnreachable6 || type == kTimeExceeded6)) {
    if (icmp.size() < kHeader + kIpv6Header) return std::nullopt;
    if (icmp[kHeader + 6] != 58) return std::nullopt;  // next header must be ICMPv6
    quoted = icmp.subspan(kHeader + kIpv6Header);
    r.error = type == kUnreachable6 ? unreachable_text6(code) : "hop limit exceeded in transit";
  } else {
    return std::nullopt;
  }
  const std::uint8_t request = family == Family::v4 ? kEchoRequest4 : kEchoRequest6;
  if (quoted.size() < kHeader || quoted[0] != request) return std::nullopt;
  r.kind = Received::Kind::error;
  r.id = read16(quoted, 4);
  r.seq = read16(quoted, 6);
  return r;
}

}  // namespace lk::probe::icmp
