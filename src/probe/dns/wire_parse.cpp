// Reading a DNS message from untrusted bytes. Every read goes through Reader, which checks the
// bounds; a problem is reported as a WireError naming the section and record where it was met.

#include <arpa/inet.h>

#include <cstdio>

#include "probe/dns/wire.hpp"

namespace lk::probe::dns {

namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr std::size_t kMaxWireName = 255;
constexpr int kMaxJumps = 128;

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> message) : message_(message) {}

  /// False once a read failed; every later read then returns zeros and empty values.
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  void fail(std::string what) {
    if (ok()) error_ = std::move(what);
    position_ = message_.size();
  }

  std::size_t position() const { return position_; }
  std::size_t remaining() const { return message_.size() - position_; }

  std::uint8_t u8() {
    if (!need(1)) return 0;
    return message_[position_++];
  }
  std::uint16_t u16() {
    if (!need(2)) return 0;
    auto value = static_cast<std::uint16_t>((message_[position_] << 8) | message_[position_ + 1]);
    position_ += 2;
    return value;
  }
  std::uint32_t u32() {
    std::uint32_t high = u16();
    return (high << 16) | u16();
  }
  std::span<const std::uint8_t> bytes(std::size_t count) {
    if (!need(count)) return {};
    auto out = message_.subspan(position_, count);
    position_ += count;
    return out;
  }

  /// A possibly compressed name, as presentation text with the trailing dot. Pointers must point
  /// strictly before the place they are read from, so following them always ends.
  std::string name() {
    if (!ok()) return {};
    std::string out;
    std::size_t wire_length = 1;
    std::size_t at = position_;
    std::optional<std::size_t> resume;  // where reading continues after the first pointer
    int jumps = 0;
    for (;;) {
      if (at >= message_.size()) return failed_name("name runs past the end of the message");
      std::uint8_t length = message_[at];
      if ((length & 0xc0) == 0xc0) {
        if (at + 1 >= message_.size()) return failed_name("name runs past the end of the message");
        std::size_t target = (static_cast<std::size_t>(length & 0x3f) << 8) | message_[at + 1];
        if (target >= at)
          return failed_name("name has a compression pointer that does not point back");
        // A name has at most 127 labels; more jumps only burn time on a hostile message.
        if (++jumps > kMaxJumps) return failed_name("name has too many compression pointers");
        if (!resume) resume = at + 2;
        at = target;
        continue;
      }
      if ((length & 0xc0) != 0) return failed_name("name has an unknown label type");
      if (length == 0) {
        ++at;
        break;
      }
      if (at + 1 + length > message_.size())
        return failed_name("name runs past the end of the message");
      wire_length += length + 1u;
      if (wire_length > kMaxWireName) return failed_name("name is longer than 255 bytes");
      append_label(out, message_.subspan(at + 1, length));
      at += 1u + length;
    }
    position_ = resume.value_or(at);
    return out.empty() ? "." : out;
  }

 private:
  bool need(std::size_t count) {
    if (ok() && count <= remaining()) return true;
    fail("truncated");
    return false;
  }

  std::string failed_name(std::string what) {
    fail(std::move(what));
    return {};
  }

  static void append_label(std::string& out, std::span<const std::uint8_t> label) {
    for (std::uint8_t c : label) {
      if (c == '.' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c <= 0x20 || c >= 0x7f) {
        char escaped[5];
        std::snprintf(escaped, sizeof escaped, "\\%03u", static_cast<unsigned>(c));
        out += escaped;
      } else {
        out += static_cast<char>(c);
      }
    }
    out += '.';
  }

  std::span<const std::uint8_t> message_;
  std::size_t position_ = 0;
  std::string error_;
};

/// Text of a character-string's bytes: printable ASCII and UTF-8 as they are, control bytes
/// as \DDD (so the text is safe to show and to put in JSON).
void append_text(std::string& out, std::span<const std::uint8_t> bytes) {
  for (std::uint8_t c : bytes) {
    if (c < 0x20 || c == 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\%03u", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
}

std::string address_text(int family, std::span<const std::uint8_t> bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (!inet_ntop(family, bytes.data(), text, sizeof text)) return "?";
  return text;
}

/// RFC 3597's generic form: "\# 4 c0000201".
std::string generic_text(std::span<const std::uint8_t> bytes) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\# " + std::to_string(bytes.size());
  if (!bytes.empty()) out += ' ';
  for (std::uint8_t b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

/// The record's data as text. `reader` stands at the start of the data; names in it may point
/// anywhere earlier in the message, but everything read must end exactly at the data's end.
std::string record_data(Reader& reader, std::uint16_t type, std::size_t length) {
  if (length > reader.remaining()) {
    reader.fail("truncated (its data)");
    return {};
  }
  const std::size_t end = reader.position() + length;
  auto finish = [&](std::string text) {
    if (reader.ok() && reader.position() != end)
      reader.fail("data length does not match its content");
    return text;
  };
  switch (type) {
    case rrtype::a:
      if (length != 4) break;
      return address_text(AF_INET, reader.bytes(4));
    case rrtype::aaaa:
      if (length != 16) break;
      return address_text(AF_INET6, reader.bytes(16));
    case rrtype::ns:
    case rrtype::cname:
    case rrtype::ptr:
      return finish(reader.name());
    case rrtype::mx: {
      std::uint16_t preference = reader.u16();
      return finish(std::to_string(preference) + " " + reader.name());
    }
    case rrtype::soa: {
      std::string mname = reader.name();
      std::string rname = reader.name();
      std::string out = mname + " " + rname;
      for (int i = 0; i < 5; ++i) out += " " + std::to_string(reader.u32());  // serial ... minimum
      return finish(std::move(out));
    }
    case rrtype::txt: {
      // Strings of one record are joined: SPF, DKIM and friends read them as one text.
      if (length == 0) {
        reader.fail("TXT data is empty");
        return {};
      }
      std::string out;
      while (reader.ok() && reader.position() < end) {
        std::uint8_t count = reader.u8();
        if (reader.position() + count > end) {
          reader.fail("TXT string runs past its data");
          return {};
        }
        append_text(out, reader.bytes(count));
      }
      return out;
    }
    default:
      return generic_text(reader.bytes(length));
  }
  reader.fail(type_name(type) + " data is " + std::to_string(length) + " bytes, not " +
              (type == rrtype::a ? "4" : "16"));
  return {};
}

Record read_record(Reader& reader) {
  Record r;
  r.name = reader.name();
  r.type = reader.u16();
  r.klass = reader.u16();
  r.ttl = reader.u32();
  std::uint16_t length = reader.u16();
  if (!reader.ok()) return r;
  if (r.type == rrtype::opt) {
    reader.bytes(length);  // options are not shown; the caller reads class and TTL
    return r;
  }
  r.data = record_data(reader, r.type, length);
  return r;
}

}  // namespace

std::variant<Message, WireError> parse_message(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kHeaderSize)
    return WireError{"not a DNS message: " + std::to_string(bytes.size()) +
                     " bytes, shorter than the 12-byte header"};
  Message m;
  Reader reader(bytes);
  auto malformed = [&](const std::string& place) {
    return WireError{"malformed DNS message: " + reader.error() + " in " + place};
  };
  m.id = reader.u16();
  std::uint16_t flags = reader.u16();
  m.response = (flags & 0x8000) != 0;
  m.opcode = (flags >> 11) & 0xf;
  m.authoritative = (flags & 0x0400) != 0;
  m.truncated = (flags & 0x0200) != 0;
  m.recursion_desired = (flags & 0x0100) != 0;
  m.recursion_available = (flags & 0x0080) != 0;
  m.authenticated_data = (flags & 0x0020) != 0;
  m.rcode = flags & 0xf;
  std::uint16_t counts[4];
  for (auto& count : counts) count = reader.u16();

  for (std::uint16_t i = 0; i < counts[0]; ++i) {
    Question q;
    q.name = reader.name();
    q.type = reader.u16();
    q.klass = reader.u16();
    if (!reader.ok()) return malformed("question " + std::to_string(i + 1));
    m.questions.push_back(std::move(q));
  }
  constexpr const char* kSections[] = {"answer", "authority", "additional"};
  std::vector<Record>* targets[] = {&m.answers, &m.authority, &m.additional};
  for (int section = 0; section < 3; ++section) {
    for (std::uint16_t i = 0; i < counts[section + 1]; ++i) {
      Record r = read_record(reader);
      if (!reader.ok())
        return malformed(std::string(kSections[section]) + " record " + std::to_string(i + 1));
      if (r.type == rrtype::opt && section == 2) {
        // EDNS: the class is the sender's UDP size, the TTL's top byte the rcode's high bits.
        m.edns_udp_size = r.klass;
        m.rcode |= static_cast<int>((r.ttl >> 24) << 4);
        continue;
      }
      targets[section]->push_back(std::move(r));
    }
  }
  // Bytes after the last record are ignored, as resolvers do.
  return m;
}

}  // namespace lk::probe::dns
