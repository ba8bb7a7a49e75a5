// RESP replies as a server sends them: whole, in pieces, and hostile.

#include "probe/redis/resp.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lk::probe::redis {
namespace {

using State = Parsed::State;

TEST(RespParse, ReadsEachReplyTypeAndWhatItConsumed) {
  auto simple = parse_reply("+PONG\r\nleftover");
  ASSERT_EQ(simple.state, State::complete);
  EXPECT_EQ(simple.reply.type, Reply::Type::simple);
  EXPECT_EQ(simple.reply.text, "PONG");
  EXPECT_EQ(simple.consumed, 7u);

  auto error = parse_reply("-WRONGPASS invalid username-password pair\r\n");
  ASSERT_EQ(error.state, State::complete);
  EXPECT_EQ(error.reply.type, Reply::Type::error);
  EXPECT_EQ(error.reply.text, "WRONGPASS invalid username-password pair");

  auto integer = parse_reply(":-42\r\n");
  ASSERT_EQ(integer.state, State::complete);
  EXPECT_EQ(integer.reply.integer, -42);

  auto bulk = parse_reply("$11\r\nrole:master\r\n");
  ASSERT_EQ(bulk.state, State::complete);
  EXPECT_EQ(bulk.reply.type, Reply::Type::bulk);
  EXPECT_EQ(bulk.reply.text, "role:master");
  EXPECT_EQ(bulk.consumed, 18u);

  auto empty = parse_reply("$0\r\n\r\n");
  ASSERT_EQ(empty.state, State::complete);
  EXPECT_EQ(empty.reply.text, "");

  EXPECT_EQ(parse_reply("$-1\r\n").reply.type, Reply::Type::null);
  EXPECT_EQ(parse_reply("*-1\r\n").reply.type, Reply::Type::null);

  auto array = parse_reply("*3\r\n:1\r\n$3\r\nfoo\r\n*1\r\n+x\r\n");
  ASSERT_EQ(array.state, State::complete);
  ASSERT_EQ(array.reply.items.size(), 3u);
  EXPECT_EQ(array.reply.items[1].text, "foo");
  EXPECT_EQ(array.reply.items[2].items[0].text, "x");
}

TEST(RespParse, ABulkStringMayContainCrlfAndBinary) {
  std::string payload("a\r\nb\0c", 6);
  auto parsed = parse_reply("$6\r\n" + payload + "\r\n");
  ASSERT_EQ(parsed.state, State::complete);
  EXPECT_EQ(parsed.reply.text, payload);
}

TEST(RespParse, EveryPrefixOfAValidReplyIsIncompleteNeverMalformed) {
  const std::string whole = "*2\r\n$21\r\n# Replication\r\nrole:x\r\n:7\r\n";
  for (std::size_t n = 0; n < whole.size(); ++n) {
    auto parsed = parse_reply(std::string_view(whole).substr(0, n));
    EXPECT_EQ(parsed.state, State::incomplete) << "prefix of " << n << " bytes: " << parsed.error;
  }
  EXPECT_EQ(parse_reply(whole).state, State::complete);
}

TEST(RespParse, GarbageIsMalformedAtOnceAndQuotedSafely) {
  auto http = parse_reply("HTTP/1.1 400 Bad Request\r\n");
  ASSERT_EQ(http.state, State::malformed);
  EXPECT_EQ(http.error, "something that is not RESP: \"HTTP/1.1 400 Bad Request\\r\\n\"");

  // One byte is enough to know, without waiting for a line end.
  EXPECT_EQ(parse_reply("\x16").state, State::malformed);
  auto binary = parse_reply(std::string("\x00\xff\x80zz", 5));
  ASSERT_EQ(binary.state, State::malformed);
  EXPECT_EQ(binary.error, "something that is not RESP: \"\\x00\\xff\\x80zz\"");
}

TEST(RespParse, HugeOrNonsenseLengthsAreRefusedWithoutWaitingForTheBytes) {
  auto huge = parse_reply("$99999999999\r\n");
  ASSERT_EQ(huge.state, State::malformed);
  EXPECT_NE(huge.error.find("99999999999 bytes"), std::string::npos) << huge.error;

  EXPECT_EQ(parse_reply("$999999999999999999999999\r\n").state, State::malformed);  // overflow
  EXPECT_EQ(parse_reply("$-2\r\n").state, State::malformed);
  EXPECT_EQ(parse_reply("$abc\r\n").state, State::malformed);
  EXPECT_EQ(parse_reply("$\r\n").state, State::malformed);
  EXPECT_EQ(parse_reply("*100000000\r\n").state, State::malformed);
  EXPECT_EQ(parse_reply(":12x\r\n").state, State::malformed);
  EXPECT_EQ(parse_reply("$3\r\nabcXY").state, State::malformed);  // no CRLF after the bulk
}

TEST(RespParse, AnEndlessLineIsMalformedOnceItPassesTheLimit) {
  Limits limits;
  limits.max_line = 16;
  EXPECT_EQ(parse_reply("+0123456789abcdef", limits).state, State::incomplete);
  EXPECT_EQ(parse_reply("+0123456789abcdefg", limits).state, State::malformed);
  EXPECT_EQ(parse_reply("+0123456789abcdefgh\r\n", limits).state, State::malformed);
}

TEST(RespParse, DeepNestingIsRefused) {
  EXPECT_EQ(parse_reply("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n").state, State::malformed);
  EXPECT_EQ(parse_reply("*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n").state, State::complete);
}

TEST(RespParse, AMalformedElementMakesTheArrayMalformed) {
  EXPECT_EQ(parse_reply("*2\r\n:1\r\n?\r\n").state, State::malformed);
}

TEST(RespEncode, CommandsAreArraysOfBulkStrings) {
  EXPECT_EQ(encode_command({"PING"}), "*1\r\n$4\r\nPING\r\n");
  EXPECT_EQ(encode_command({"AUTH", "u", "p w\r\n"}),
            "*3\r\n$4\r\nAUTH\r\n$1\r\nu\r\n$5\r\np w\r\n\r\n");
}

TEST(RespQuote, CutsLongTextAndEscapesNonAscii) {
  EXPECT_EQ(quote_bytes("abcdef", 3), "\"abc\"...");
  EXPECT_EQ(quote_bytes("caf\xc3\xa9"), "\"caf\\xc3\\xa9\"");
  EXPECT_EQ(escape_bytes("ERR \"x\""), "ERR \\\"x\\\"");
}

}  // namespace
}  // namespace lk::probe::redis
