// Answers no honest server sends: truncated, looping, lying about lengths, random. Each must be
// refused with a reason, never crash or read outside the bytes (run under ASan to be sure).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "packet_builder.hpp"
#include "probe/dns/wire.hpp"

namespace lk::probe::dns {
namespace {

using ::testing::HasSubstr;
using testing::kAuthoritativeAnswer;
using testing::PacketBuilder;

std::string error_of(const std::vector<std::uint8_t>& bytes) {
  auto parsed = parse_message(bytes);
  if (auto* error = std::get_if<WireError>(&parsed)) return error->message;
  return "<parsed>";
}

/// An answer with every section and every record type, compressed names included.
std::vector<std::uint8_t> rich_answer() {
  PacketBuilder p(kAuthoritativeAnswer, 1, 8, 1, 1);
  p.question("www.example", rrtype::a);
  p.pointer(12).u16(rrtype::a).u16(1).u32(300).begin_data().raw({192, 0, 2, 1}).end_data();
  p.record("www.example", rrtype::aaaa, 300).begin_data();
  p.raw({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}).end_data();
  p.record("alias.example", rrtype::cname, 60).begin_data().pointer(12).end_data();
  p.record("example", rrtype::mx, 60)
      .begin_data()
      .u16(10)
      .u8(4)
      .text("mail")
      .pointer(16)
      .end_data();
  p.record("example", rrtype::ns, 60).begin_data().name("ns1.example").end_data();
  p.record("example", rrtype::txt, 60).begin_data().u8(5).text("hello").u8(0).end_data();
  p.record("1.2.0.192.in-addr.arpa", rrtype::ptr, 60).begin_data().pointer(12).end_data();
  p.record("example", rrtype::soa, 60).begin_data().name("ns1.example").name("h.example");
  p.u32(1).u32(2).u32(3).u32(4).u32(5).end_data();
  p.record("example", rrtype::ns, 60).begin_data().name("ns2.example").end_data();
  p.u8(0).u16(rrtype::opt).u16(1232).u32(0).u16(0);
  return p.bytes;
}

TEST(DnsMalformed, TheRichAnswerParses) {
  EXPECT_EQ(error_of(rich_answer()), "<parsed>");
}

TEST(DnsMalformed, LessThanAHeaderIsNotDns) {
  EXPECT_THAT(error_of({}), HasSubstr("0 bytes, shorter than the 12-byte header"));
  EXPECT_THAT(error_of({'h', 'e', 'l', 'l', 'o'}), HasSubstr("not a DNS message"));
}

TEST(DnsMalformed, EveryTruncationOfAnAnswerIsRefused) {
  const auto full = rich_answer();
  for (std::size_t size = 0; size < full.size(); ++size) {
    std::vector<std::uint8_t> prefix(full.begin(),
                                     full.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_NE(error_of(prefix), "<parsed>") << "cut at " << size;
  }
}

TEST(DnsMalformed, TheErrorNamesTheSectionAndRecord) {
  PacketBuilder p(kAuthoritativeAnswer, 1, 2);
  p.question("www.example", rrtype::a);
  p.record("www.example", rrtype::a, 1).begin_data().raw({1, 2, 3, 4}).end_data();
  p.record("www.example", rrtype::a, 1).begin_data().raw({1, 2, 3, 4, 5}).end_data();
  EXPECT_EQ(error_of(p.bytes),
            "malformed DNS message: A data is 5 bytes, not 4 in answer record 2");
}

TEST(DnsMalformed, CompressionPointersMustPointBack) {
  PacketBuilder self(kAuthoritativeAnswer, 1, 0);
  self.pointer(12).u16(1).u16(1);  // points at itself
  EXPECT_THAT(error_of(self.bytes), HasSubstr("does not point back"));

  PacketBuilder forward(kAuthoritativeAnswer, 1, 0);
  forward.pointer(20).u16(1).u16(1).raw({1, 'a', 0});
  EXPECT_THAT(error_of(forward.bytes), HasSubstr("does not point back"));

  PacketBuilder past_end(kAuthoritativeAnswer, 1, 0);
  past_end.raw({0xc0});
  EXPECT_THAT(error_of(past_end.bytes), HasSubstr("past the end"));
}

TEST(DnsMalformed, LongPointerChainsAreCutShort) {
  // 300 pointers, each pointing at the one before: legal one by one, hostile together. They sit
  // in the data of a record of an unknown type; the next record's owner points at the last one.
  PacketBuilder p(kAuthoritativeAnswer, 1, 2);
  p.u8(0).u16(rrtype::a).u16(1);  // question: the root (offset 12)
  p.record("x", 99, 1).begin_data();
  const std::size_t first = p.bytes.size();
  for (std::size_t i = 0; i < 300; ++i)
    p.pointer(static_cast<std::uint16_t>(i == 0 ? 12 : first + 2 * (i - 1)));
  p.end_data();
  p.pointer(static_cast<std::uint16_t>(first + 2 * 299)).u16(rrtype::a).u16(1).u32(1);
  p.begin_data().raw({1, 2, 3, 4}).end_data();
  EXPECT_THAT(error_of(p.bytes), HasSubstr("too many compression pointers"));
}

TEST(DnsMalformed, NamesLongerThan255BytesAreRefused) {
  PacketBuilder p(kAuthoritativeAnswer, 1, 0);
  for (int i = 0; i < 5; ++i) p.u8(60).text(std::string(60, 'a'));
  p.u8(0).u16(1).u16(1);
  EXPECT_THAT(error_of(p.bytes), HasSubstr("longer than 255"));
}

TEST(DnsMalformed, UnknownLabelTypesAreRefused) {
  PacketBuilder p(kAuthoritativeAnswer, 1, 0);
  p.raw({0x41, 0}).u16(1).u16(1);
  EXPECT_THAT(error_of(p.bytes), HasSubstr("unknown label type"));
}

TEST(DnsMalformed, RecordDataMustMatchItsLength) {
  PacketBuilder overshoot(kAuthoritativeAnswer, 0, 1);  // the data claims more than is there
  overshoot.record("a", rrtype::a, 1).u16(400).raw({1, 2, 3, 4});
  EXPECT_THAT(error_of(overshoot.bytes), HasSubstr("truncated (its data)"));

  PacketBuilder longer_name(kAuthoritativeAnswer, 0, 1);  // a name running past the data
  longer_name.record("a", rrtype::cname, 1).u16(2).name("www.example");
  EXPECT_THAT(error_of(longer_name.bytes), HasSubstr("does not match"));

  PacketBuilder txt(kAuthoritativeAnswer, 0, 1);  // a string running past the data
  txt.record("a", rrtype::txt, 1).u16(3).u8(9).text("ab");
  EXPECT_THAT(error_of(txt.bytes), HasSubstr("TXT string runs past"));

  PacketBuilder empty_txt(kAuthoritativeAnswer, 0, 1);
  empty_txt.record("a", rrtype::txt, 1).u16(0);
  EXPECT_THAT(error_of(empty_txt.bytes), HasSubstr("TXT data is empty"));

  PacketBuilder short_soa(kAuthoritativeAnswer, 0, 1);
  short_soa.record("a", rrtype::soa, 1).begin_data().name("n").name("h").u32(1).end_data();
  EXPECT_NE(error_of(short_soa.bytes), "<parsed>");
}

TEST(DnsMalformed, HugeCountsOnATinyMessageStopAtTheFirstMissingRecord) {
  PacketBuilder p(kAuthoritativeAnswer, 0xffff, 0xffff, 0xffff, 0xffff);
  EXPECT_THAT(error_of(p.bytes), HasSubstr("question 1"));
}

TEST(DnsMalformed, RandomAndMutatedBytesNeverCrash) {
  std::mt19937 random(20240101);  // fixed: a failure must be reproducible
  const auto base = rich_answer();
  std::size_t parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::vector<std::uint8_t> bytes;
    if (round % 2 == 0) {
      bytes.resize(random() % 600);
      for (auto& b : bytes) b = static_cast<std::uint8_t>(random());
    } else {
      bytes = base;
      int flips = 1 + static_cast<int>(random() % 6);
      for (int i = 0; i < flips; ++i)
        bytes[random() % bytes.size()] = static_cast<std::uint8_t>(random());
      if (random() % 4 == 0) bytes.resize(random() % bytes.size());
    }
    auto result = parse_message(bytes);
    if (result.index() == 0) ++parsed;
  }
  EXPECT_GT(parsed, 0u);  // some mutations stay valid: the parser is not just refusing everything
}

}  // namespace
}  // namespace lk::probe::dns
