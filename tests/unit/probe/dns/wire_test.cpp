// The DNS wire format: queries as built, and answers of every record type read as text.

#include "probe/dns/wire.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "packet_builder.hpp"

namespace lk::probe::dns {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kAuthoritativeAnswer;
using testing::PacketBuilder;

Message parse_ok(const std::vector<std::uint8_t>& bytes) {
  auto parsed = parse_message(bytes);
  if (auto* error = std::get_if<WireError>(&parsed)) {
    ADD_FAILURE() << error->message;
    return {};
  }
  return std::get<Message>(parsed);
}

std::vector<std::uint8_t> query_bytes(std::string_view name, std::uint16_t type, QueryFlags flags) {
  auto built = build_query(name, type, flags);
  EXPECT_EQ(built.index(), 0u) << (built.index() == 1 ? std::get<1>(built) : "");
  return built.index() == 0 ? std::get<0>(built) : std::vector<std::uint8_t>{};
}

TEST(DnsQuery, AsksForOneNameWithRecursionAndEdns) {
  auto q = query_bytes("www.example", rrtype::mx, {});
  const std::vector<std::uint8_t> expected{
      0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1,                   // header: RD, 1 question, 1
                                                                  // additional
      3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,  // name
      0, 15, 0, 1,                                                // MX IN
      0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0};                    // OPT, 1232 bytes
  EXPECT_EQ(q, expected);
}

TEST(DnsQuery, WithoutRecursionOrEdnsIsAPlainQuery) {
  auto q = query_bytes("example.", rrtype::a, {.recursion_desired = false, .edns = false});
  ASSERT_EQ(q.size(), 12u + 9u + 4u);
  EXPECT_EQ(q[2], 0);
  EXPECT_EQ(q[3], 0);
  EXPECT_EQ(q[11], 0);  // no additional record
}

TEST(DnsQuery, ReadsBackAsTheQuestionAsked) {
  Message m = parse_ok(query_bytes("Mail.Example.COM", rrtype::aaaa, {}));
  EXPECT_FALSE(m.response);
  EXPECT_TRUE(m.recursion_desired);
  ASSERT_EQ(m.questions.size(), 1u);
  EXPECT_EQ(m.questions[0].name, "Mail.Example.COM.");
  EXPECT_EQ(m.questions[0].type, rrtype::aaaa);
  EXPECT_EQ(m.edns_udp_size, kEdnsUdpSize);
}

TEST(DnsQuery, TheRootIsOneZeroByte) {
  auto q = query_bytes(".", rrtype::ns, {.edns = false});
  ASSERT_EQ(q.size(), 12u + 1u + 4u);
  EXPECT_EQ(q[12], 0);
}

TEST(DnsName, NamesThatCannotBeSentSayWhy) {
  struct Case {
    std::string name;
    std::string error;
  } cases[] = {
      {"", "empty"},
      {"a..example", "empty label"},
      {".example", "empty label"},
      {std::string(64, 'a') + ".example", "longer than 63"},
      {std::string(60, 'a') + "." + std::string(60, 'b') + "." + std::string(60, 'c') + "." +
           std::string(60, 'd') + "." + std::string(60, 'e'),
       "longer than 255"},
      {"www example", "space"},
      {"caf\xc3\xa9.example", "non-ASCII"},
      {"a\\.b", "escapes"},
  };
  for (const auto& c : cases) {
    auto normalized = normalize_name(c.name);
    ASSERT_EQ(normalized.index(), 1u) << c.name;
    EXPECT_THAT(std::get<1>(normalized), HasSubstr(c.error)) << c.name;
  }
  EXPECT_EQ(std::get<0>(normalize_name("_dmarc.example.com")), "_dmarc.example.com.");
  EXPECT_EQ(std::get<0>(normalize_name(std::string(63, 'a') + ".example.")),
            std::string(63, 'a') + ".example.");
}

TEST(DnsName, ReverseNamesOfAddresses) {
  EXPECT_EQ(reverse_name("192.0.2.1"), "1.2.0.192.in-addr.arpa.");
  EXPECT_EQ(reverse_name("2001:db8::1"),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
  EXPECT_EQ(reverse_name("www.example"), std::nullopt);
}

TEST(DnsTables, TypeAndRcodeNames) {
  EXPECT_EQ(type_name(rrtype::mx), "MX");
  EXPECT_EQ(type_name(65280), "TYPE65280");
  EXPECT_EQ(type_number("aaaa"), rrtype::aaaa);
  EXPECT_EQ(type_number("TYPE99"), 99);
  EXPECT_EQ(type_number("TYPE"), std::nullopt);
  EXPECT_EQ(type_number("TYPE70000"), std::nullopt);
  EXPECT_EQ(type_number("bogus"), std::nullopt);
  EXPECT_EQ(rcode_name(0), "NOERROR");
  EXPECT_EQ(rcode_name(2), "SERVFAIL");
  EXPECT_EQ(rcode_name(3), "NXDOMAIN");
  EXPECT_EQ(rcode_name(5), "REFUSED");
  EXPECT_EQ(rcode_name(16), "BADVERS");
  EXPECT_EQ(rcode_name(23), "RCODE23");
}

// One answer record of each type, its data written by `data`, read back as text.
struct RecordCase {
  std::string description;
  std::uint16_t type;
  std::function<void(PacketBuilder&)> data;
  std::string text;
};

TEST(DnsAnswer, EveryRecordTypeReadsAsText) {
  const RecordCase cases[] = {
      {"A", rrtype::a,
       [](PacketBuilder& p) {
         p.raw({192, 0, 2, 1});
       },
       "192.0.2.1"},
      {"AAAA", rrtype::aaaa,
       [](PacketBuilder& p) {
         p.raw({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
       },
       "2001:db8::1"},
      {"CNAME", rrtype::cname, [](PacketBuilder& p) { p.name("www.example"); }, "www.example."},
      {"NS", rrtype::ns, [](PacketBuilder& p) { p.name("ns1.example"); }, "ns1.example."},
      {"PTR", rrtype::ptr, [](PacketBuilder& p) { p.name("host.example"); }, "host.example."},
      {"MX", rrtype::mx, [](PacketBuilder& p) { p.u16(10).name("mail.example"); },
       "10 mail.example."},
      {"MX with a compressed exchange", rrtype::mx,
       [](PacketBuilder& p) { p.u16(20).u8(4).text("mail").pointer(12); }, "20 mail.q.example."},
      {"TXT", rrtype::txt, [](PacketBuilder& p) { p.u8(11).text("v=spf1 -all"); }, "v=spf1 -all"},
      {"TXT of several strings, joined", rrtype::txt,
       [](PacketBuilder& p) { p.u8(3).text("abc").u8(0).u8(3).text("def"); }, "abcdef"},
      {"TXT with control bytes, escaped", rrtype::txt,
       [](PacketBuilder& p) { p.u8(3).text("a").u8(7).text("\""); }, "a\\007\""},
      {"SOA", rrtype::soa,
       [](PacketBuilder& p) {
         p.name("ns1.example").name("hostmaster.example").u32(2024010101).u32(3600).u32(900);
         p.u32(604800).u32(60);
       },
       "ns1.example. hostmaster.example. 2024010101 3600 900 604800 60"},
      {"an unknown type, in the generic form", 99,
       [](PacketBuilder& p) {
         p.raw({0xde, 0xad});
       },
       "\\# 2 dead"},
      {"an empty unknown type", 99, [](PacketBuilder&) {}, "\\# 0"},
  };
  for (const auto& c : cases) {
    PacketBuilder p(kAuthoritativeAnswer, 1, 1);
    p.question("q.example", c.type);
    p.record("q.example", c.type, 300).begin_data();
    c.data(p);
    p.end_data();
    Message m = parse_ok(p.bytes);
    ASSERT_EQ(m.answers.size(), 1u) << c.description;
    EXPECT_EQ(m.answers[0].data, c.text) << c.description;
    EXPECT_EQ(m.answers[0].type, c.type) << c.description;
    EXPECT_EQ(m.answers[0].ttl, 300u) << c.description;
    EXPECT_EQ(m.answers[0].name, "q.example.") << c.description;
  }
}

TEST(DnsAnswer, HeaderFlagsAndSectionsAreRead) {
  // QR AA TC RD RA AD, rcode NXDOMAIN.
  PacketBuilder p(0x8000 | 0x0400 | 0x0200 | 0x0100 | 0x0080 | 0x0020 | 3, 1, 0, 1, 2);
  p.question("nope.example", rrtype::a);
  p.record("example", rrtype::soa, 60).begin_data();
  p.name("ns1.example").name("hostmaster.example").u32(1).u32(2).u32(3).u32(4).u32(5).end_data();
  p.record("ns1.example", rrtype::a, 60).begin_data().raw({192, 0, 2, 53}).end_data();
  p.u8(0).u16(rrtype::opt).u16(4096).u32(0).u16(0);  // OPT
  Message m = parse_ok(p.bytes);
  EXPECT_TRUE(m.response);
  EXPECT_TRUE(m.authoritative);
  EXPECT_TRUE(m.truncated);
  EXPECT_TRUE(m.recursion_desired);
  EXPECT_TRUE(m.recursion_available);
  EXPECT_TRUE(m.authenticated_data);
  EXPECT_EQ(m.rcode, rcode::nxdomain);
  EXPECT_EQ(m.edns_udp_size, 4096);
  ASSERT_EQ(m.authority.size(), 1u);
  EXPECT_EQ(m.authority[0].data, "ns1.example. hostmaster.example. 1 2 3 4 5");
  ASSERT_EQ(m.additional.size(), 1u);  // the OPT record is not a record to show
  EXPECT_EQ(m.additional[0].data, "192.0.2.53");
}

TEST(DnsAnswer, TheOptRecordCarriesTheHighBitsOfTheRcode) {
  PacketBuilder p(0x8000, 0, 0, 0, 1);
  p.u8(0).u16(rrtype::opt).u16(1232).u32(0x01000000).u16(0);  // extended rcode 1 -> 16
  EXPECT_EQ(rcode_name(parse_ok(p.bytes).rcode), "BADVERS");
}

TEST(DnsAnswer, CompressedOwnerNamesPointAtTheQuestion) {
  PacketBuilder p(kAuthoritativeAnswer, 1, 2);
  p.question("www.example", rrtype::a);
  p.pointer(12).u16(rrtype::a).u16(1).u32(300).begin_data().raw({192, 0, 2, 1}).end_data();
  p.pointer(12).u16(rrtype::a).u16(1).u32(200).begin_data().raw({192, 0, 2, 2}).end_data();
  Message m = parse_ok(p.bytes);
  ASSERT_EQ(m.answers.size(), 2u);
  EXPECT_EQ(m.answers[1].name, "www.example.");
  EXPECT_EQ(m.answers[1].data, "192.0.2.2");
}

TEST(DnsAnswer, OddLabelBytesAreEscapedInNames) {
  PacketBuilder p(kAuthoritativeAnswer, 1, 0);
  p.raw({3, 'a', '.', 0x01, 0}).u16(rrtype::a).u16(1);
  Message m = parse_ok(p.bytes);
  ASSERT_EQ(m.questions.size(), 1u);
  EXPECT_EQ(m.questions[0].name, "a\\.\\001.");
}

TEST(DnsAnswer, BytesAfterTheLastRecordAreIgnored) {
  PacketBuilder p(kAuthoritativeAnswer, 1, 0);
  p.question("www.example", rrtype::a).raw({0xff, 0xff});
  EXPECT_EQ(parse_ok(p.bytes).questions.size(), 1u);
}

}  // namespace
}  // namespace lk::probe::dns
