#pragma once
// Builds DNS messages byte by byte for the tests, including ones no server should send.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace lk::probe::dns::testing {

class PacketBuilder {
 public:
  /// A header: id, flags (QR, AA ... as on the wire), then the four section counts.
  PacketBuilder(std::uint16_t flags, std::uint16_t questions, std::uint16_t answers,
                std::uint16_t authority = 0, std::uint16_t additional = 0) {
    u16(0x1234);
    u16(flags);
    u16(questions);
    u16(answers);
    u16(authority);
    u16(additional);
  }

  PacketBuilder& u8(std::uint8_t v) {
    bytes.push_back(v);
    return *this;
  }
  PacketBuilder& u16(std::uint16_t v) {
    bytes.push_back(static_cast<std::uint8_t>(v >> 8));
    bytes.push_back(static_cast<std::uint8_t>(v));
    return *this;
  }
  PacketBuilder& u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v >> 16));
    return u16(static_cast<std::uint16_t>(v));
  }
  PacketBuilder& raw(std::initializer_list<std::uint8_t> list) {
    bytes.insert(bytes.end(), list.begin(), list.end());
    return *this;
  }
  PacketBuilder& text(std::string_view s) {
    bytes.insert(bytes.end(), s.begin(), s.end());
    return *this;
  }
  /// An uncompressed name: "www.example." -> 3www7example0.
  PacketBuilder& name(std::string_view dotted) {
    std::size_t start = 0;
    while (start < dotted.size()) {
      std::size_t dot = dotted.find('.', start);
      if (dot == std::string_view::npos) dot = dotted.size();
      u8(static_cast<std::uint8_t>(dot - start));
      text(dotted.substr(start, dot - start));
      start = dot + 1;
    }
    return u8(0);
  }
  /// A compression pointer to `offset`.
  PacketBuilder& pointer(std::uint16_t offset) {
    return u16(static_cast<std::uint16_t>(0xc000 | offset));
  }
  PacketBuilder& question(std::string_view qname, std::uint16_t type) {
    name(qname);
    u16(type);
    return u16(1);
  }
  /// Starts a record: owner, type, class IN, TTL; the data follows through begin_data/end_data.
  PacketBuilder& record(std::string_view owner, std::uint16_t type, std::uint32_t ttl) {
    name(owner);
    u16(type);
    u16(1);
    return u32(ttl);
  }
  PacketBuilder& begin_data() {
    length_at_ = bytes.size();
    return u16(0);
  }
  PacketBuilder& end_data() {
    std::size_t length = bytes.size() - length_at_ - 2;
    bytes[length_at_] = static_cast<std::uint8_t>(length >> 8);
    bytes[length_at_ + 1] = static_cast<std::uint8_t>(length);
    return *this;
  }

  std::vector<std::uint8_t> bytes;

 private:
  std::size_t length_at_ = 0;
};

/// QR + AA, as an authoritative server answers.
inline constexpr std::uint16_t kAuthoritativeAnswer = 0x8400;

}  // namespace lk::probe::dns::testing
