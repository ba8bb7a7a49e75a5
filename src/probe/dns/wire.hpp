#pragma once
// The DNS wire format, as far as a monitor needs it: building one query and reading an answer
// from its raw bytes. Pure functions with every read bounds-checked: an answer is whatever a
// server (or anything pretending to be one) sent, so no input may crash or read out of bounds.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lk::probe::dns {

/// Record types by their number on the wire.
namespace rrtype {
inline constexpr std::uint16_t a = 1;
inline constexpr std::uint16_t ns = 2;
inline constexpr std::uint16_t cname = 5;
inline constexpr std::uint16_t soa = 6;
inline constexpr std::uint16_t ptr = 12;
inline constexpr std::uint16_t mx = 15;
inline constexpr std::uint16_t txt = 16;
inline constexpr std::uint16_t aaaa = 28;
inline constexpr std::uint16_t opt = 41;
}  // namespace rrtype

/// Response codes (with EDNS, 12 bits: the header's 4 plus 8 from the OPT record).
namespace rcode {
inline constexpr int noerror = 0;
inline constexpr int servfail = 2;
inline constexpr int nxdomain = 3;
inline constexpr int refused = 5;
}  // namespace rcode

/// "A", "MX" ...; "TYPE<n>" for a type without a name here (RFC 3597).
std::string type_name(std::uint16_t type);
/// The number of a type name ("mx" or "MX" -> 15, "TYPE99" -> 99); nullopt when unknown.
std::optional<std::uint16_t> type_number(std::string_view name);
/// "NOERROR", "NXDOMAIN" ...; "RCODE<n>" for others.
std::string rcode_name(int rcode);

/// What goes into a query besides the name and type.
struct QueryFlags {
  bool recursion_desired = true;
  bool edns = true;  ///< add an EDNS0 OPT record advertising kEdnsUdpSize-byte UDP answers
};
/// The UDP answer size a query with EDNS advertises (the DNS flag day 2020 value).
inline constexpr std::uint16_t kEdnsUdpSize = 1232;

/// Turns a name as written ("www.example.com", "www.example.com.", ".") into its canonical
/// text (lower-case kept as written, with the trailing dot) or an error saying what is wrong.
std::variant<std::string, std::string> normalize_name(std::string_view name);
/// The reverse-lookup name of an IPv4 or IPv6 address ("192.0.2.1" -> "1.2.0.192.in-addr.arpa.");
/// nullopt when `text` is not an address.
std::optional<std::string> reverse_name(std::string_view text);

/// A query for `name` (normalized or not) of `type`, class IN, with message id 0 (c-ares sets its
/// own). The error variant says why the name cannot be sent.
std::variant<std::vector<std::uint8_t>, std::string> build_query(std::string_view name,
                                                                 std::uint16_t type,
                                                                 QueryFlags flags);

/// One resource record, its data as presentation text (see record_text).
struct Record {
  std::string name;  ///< owner, fully qualified with the trailing dot
  std::uint16_t type = 0;
  std::uint16_t klass = 0;
  std::uint32_t ttl = 0;
  std::string data;  ///< A "192.0.2.1", MX "10 mail.example.", TXT its text, SOA "ns host 1 ..."
};

struct Question {
  std::string name;
  std::uint16_t type = 0;
  std::uint16_t klass = 0;
};

/// A parsed DNS message.
struct Message {
  std::uint16_t id = 0;
  bool response = false;             ///< QR
  int opcode = 0;                    ///<
  bool authoritative = false;        ///< AA
  bool truncated = false;            ///< TC
  bool recursion_desired = false;    ///< RD
  bool recursion_available = false;  ///< RA
  bool authenticated_data = false;   ///< AD
  int rcode = 0;                     ///< with the EDNS extended bits when an OPT record is present
  std::optional<std::uint16_t> edns_udp_size;  ///< from the OPT record, when present
  std::vector<Question> questions;
  std::vector<Record> answers;
  std::vector<Record> authority;
  std::vector<Record> additional;  ///< without the OPT record
};

/// Why bytes are not a DNS message, e.g. "truncated in answer record 2 (its data)".
struct WireError {
  std::string message;
};

/// Reads a whole DNS message. Never throws, never reads outside `bytes`; compression pointers
/// must point backwards (so they cannot loop) and names stay within 255 bytes.
std::variant<Message, WireError> parse_message(std::span<const std::uint8_t> bytes);

}  // namespace lk::probe::dns
