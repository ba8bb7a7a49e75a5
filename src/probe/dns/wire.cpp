// Names, type and rcode tables, and building a query.

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <charconv>

#include "probe/dns/wire.hpp"

namespace lk::probe::dns {

namespace {

struct NamedType {
  std::string_view name;
  std::uint16_t number;
};

// The types a check may ask for, plus those commonly met in answers (shown by name).
constexpr std::array<NamedType, 16> kTypes{{
    {"A", rrtype::a},
    {"NS", rrtype::ns},
    {"CNAME", rrtype::cname},
    {"SOA", rrtype::soa},
    {"PTR", rrtype::ptr},
    {"MX", rrtype::mx},
    {"TXT", rrtype::txt},
    {"AAAA", rrtype::aaaa},
    {"SRV", 33},
    {"DNAME", 39},
    {"OPT", rrtype::opt},
    {"DS", 43},
    {"RRSIG", 46},
    {"NSEC", 47},
    {"DNSKEY", 48},
    {"CAA", 257},
}};

constexpr std::array<std::string_view, 11> kRcodes{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                                   "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                                   "NXRRSET", "NOTAUTH", "NOTZONE"};

constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxWireName = 255;

void put16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xff));
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string type_name(std::uint16_t type) {
  for (const auto& t : kTypes)
    if (t.number == type) return std::string(t.name);
  return "TYPE" + std::to_string(type);
}

std::optional<std::uint16_t> type_number(std::string_view name) {
  std::string wanted = upper(name);
  for (const auto& t : kTypes)
    if (t.name == wanted) return t.number;
  if (wanted.starts_with("TYPE") && wanted.size() > 4) {
    unsigned value = 0;
    const char* first = wanted.data() + 4;
    const char* last = wanted.data() + wanted.size();
    auto [end, ec] = std::from_chars(first, last, value);
    if (ec == std::errc{} && end == last && value <= 65535)
      return static_cast<std::uint16_t>(value);
  }
  return std::nullopt;
}

std::string rcode_name(int rcode) {
  if (rcode >= 0 && static_cast<std::size_t>(rcode) < kRcodes.size())
    return std::string(kRcodes[static_cast<std::size_t>(rcode)]);
  if (rcode == 16) return "BADVERS";
  return "RCODE" + std::to_string(rcode);
}

std::variant<std::string, std::string> normalize_name(std::string_view name) {
  using Result = std::variant<std::string, std::string>;
  if (name.empty()) return Result(std::in_place_index<1>, "the name is empty");
  if (name == ".") return Result(std::in_place_index<0>, ".");
  std::string_view rest = name;
  if (rest.back() == '.') rest.remove_suffix(1);
  std::size_t wire_length = 1;  // the root label
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t dot = rest.find('.', start);
    if (dot == std::string_view::npos) dot = rest.size();
    std::string_view label = rest.substr(start, dot - start);
    if (label.empty())
      return Result(std::in_place_index<1>, "\"" + std::string(name) + "\" has an empty label");
    if (label.size() > kMaxLabel)
      return Result(std::in_place_index<1>, "label \"" + std::string(label) + "\" is longer than " +
                                                std::to_string(kMaxLabel) + " characters");
    for (char c : label) {
      auto u = static_cast<unsigned char>(c);
      if (c == '\\')
        return Result(std::in_place_index<1>, "escapes (\\) in names are not supported");
      if (u <= 0x20 || u >= 0x7f)
        return Result(std::in_place_index<1>,
                      "\"" + std::string(name) + "\" contains a space or a non-ASCII character");
    }
    wire_length += label.size() + 1;
    start = dot + 1;
  }
  if (wire_length > kMaxWireName)
    return Result(std::in_place_index<1>, "\"" + std::string(name) + "\" is longer than " +
                                              std::to_string(kMaxWireName) + " bytes on the wire");
  return Result(std::in_place_index<0>, std::string(rest) + ".");
}

std::optional<std::string> reverse_name(std::string_view text) {
  std::string address(text);
  unsigned char bytes[16];
  if (inet_pton(AF_INET, address.c_str(), bytes) == 1) {
    std::string out;
    for (int i = 3; i >= 0; --i) out += std::to_string(bytes[i]) + ".";
    return out + "in-addr.arpa.";
  }
  if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
    constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 15; i >= 0; --i) {
      out += kHex[bytes[i] & 0xf];
      out += '.';
      out += kHex[bytes[i] >> 4];
      out += '.';
    }
    return out + "ip6.arpa.";
  }
  return std::nullopt;
}

std::variant<std::vector<std::uint8_t>, std::string> build_query(std::string_view name,
                                                                 std::uint16_t type,
                                                                 QueryFlags flags) {
  using Result = std::variant<std::vector<std::uint8_t>, std::string>;
  auto normalized = normalize_name(name);
  if (auto* error = std::get_if<1>(&normalized)) return Result(std::in_place_index<1>, *error);
  const std::string& fqdn = std::get<0>(normalized);

  std::vector<std::uint8_t> out;
  out.reserve(12 + fqdn.size() + 1 + 4 + (flags.edns ? 11 : 0));
  put16(out, 0);                                          // id: set by c-ares
  put16(out, flags.recursion_desired ? 0x0100 : 0x0000);  // QUERY, RD
  put16(out, 1);                                          // QDCOUNT
  put16(out, 0);                                          // ANCOUNT
  put16(out, 0);                                          // NSCOUNT
  put16(out, flags.edns ? 1 : 0);                         // ARCOUNT
  if (fqdn != ".") {
    std::size_t start = 0;
    while (start < fqdn.size()) {
      std::size_t dot = fqdn.find('.', start);
      out.push_back(static_cast<std::uint8_t>(dot - start));
      out.insert(out.end(), fqdn.begin() + static_cast<std::ptrdiff_t>(start),
                 fqdn.begin() + static_cast<std::ptrdiff_t>(dot));
      start = dot + 1;
    }
  }
  out.push_back(0);
  put16(out, type);
  put16(out, 1);  // IN
  if (flags.edns) {
    out.push_back(0);  // root owner
    put16(out, rrtype::opt);
    put16(out, kEdnsUdpSize);
    put16(out, 0);  // extended rcode, version
    put16(out, 0);  // flags (no DO)
    put16(out, 0);  // no options
  }
  return Result(std::in_place_index<0>, std::move(out));
}

}  // namespace lk::probe::dns
