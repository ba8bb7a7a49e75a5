// The lean client's answer reader on its own: bytes in, Observation out.

#include "probe/http/answer_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lk::probe::http {
namespace {

struct Parsed {
  Observation obs;
  bool finished = false;
  bool failed = false;
  int status = 0;
  std::string error;
  std::string redirect;
};

/// Feeds `bytes` in pieces of `step` bytes (keeping unconsumed header bytes, as the client does),
/// then the end of the stream when `close` is set.
Parsed parse(std::string_view bytes, AnswerParser::Request request = {.max_body = 1 << 20},
             std::size_t step = 1 << 20, bool close = true) {
  Parsed p;
  AnswerParser parser;
  parser.start(request, p.obs);
  std::string pending;
  for (std::size_t at = 0; at < bytes.size() && !parser.finished(); at += step) {
    pending += bytes.substr(at, step);
    auto used = parser.feed(pending);
    pending.erase(0, used);
  }
  if (close && !parser.finished()) parser.end_of_stream();
  p.finished = parser.finished();
  p.failed = parser.failed();
  p.status = parser.status();
  p.error = parser.error();
  p.redirect = parser.redirect_location();
  return p;
}

TEST(AnswerParser, ReadsABodyDelimitedByContentLength) {
  auto p = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhelloEXTRA",
                 {.max_body = 100}, 1 << 20, false);
  ASSERT_TRUE(p.finished);
  EXPECT_FALSE(p.failed);
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(p.obs.body, "hello");
  ASSERT_EQ(p.obs.headers.size(), 2u);
  EXPECT_EQ(p.obs.headers[0], (std::pair<std::string, std::string>{"content-length", "5"}));
  EXPECT_EQ(p.obs.headers[1], (std::pair<std::string, std::string>{"server", "x"}));
}

TEST(AnswerParser, ReadsAChunkedBodyAndKeepsTrailersAsHeaders) {
  auto p = parse(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nX-Trailer: t\r\n\r\n",
      {.max_body = 100}, 1 << 20, false);
  ASSERT_TRUE(p.finished);
  EXPECT_FALSE(p.failed) << p.error;
  EXPECT_EQ(p.obs.body, "hello!");
  EXPECT_EQ(p.obs.headers.back(), (std::pair<std::string, std::string>{"x-trailer", "t"}));
}

TEST(AnswerParser, ReadsABodyUntilTheConnectionClosesWhenNoLengthIsGiven) {
  auto p = parse("HTTP/1.0 200 OK\r\n\r\nall of it", {.max_body = 100});
  EXPECT_FALSE(p.failed);
  EXPECT_EQ(p.obs.body, "all of it");
}

TEST(AnswerParser, ReadsTheSameAnswerWhenItArrivesOneByteAtATime) {
  const std::string bytes =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nA: b\r\n\r\n"
      "3\r\nabc\r\n0\r\n\r\n";
  auto whole = parse(bytes, {.max_body = 100});
  auto bytewise = parse(bytes, {.max_body = 100}, 1);
  EXPECT_FALSE(bytewise.failed) << bytewise.error;
  EXPECT_EQ(bytewise.obs.body, whole.obs.body);
  EXPECT_EQ(bytewise.obs.headers, whole.obs.headers);
  EXPECT_EQ(bytewise.obs.body, "abc");
}

TEST(AnswerParser, SkipsInterimAnswersAndKeepsOnlyTheFinalHeaders) {
  auto p = parse(
      "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_EQ(p.status, 201);
  EXPECT_EQ(p.obs.body, "ok");
  ASSERT_EQ(p.obs.headers.size(), 1u);
  EXPECT_EQ(p.obs.headers[0].first, "content-length");
}

TEST(AnswerParser, ExpectsNoBodyAfterHeadOr204Or304) {
  auto head =
      parse("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", {.head = true}, 1 << 20, false);
  EXPECT_TRUE(head.finished);
  EXPECT_FALSE(head.failed);
  for (int status : {204, 304}) {
    auto p = parse("HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 9\r\n\r\n", {},
                   1 << 20, false);
    EXPECT_TRUE(p.finished) << status;
    EXPECT_FALSE(p.failed) << status;
    EXPECT_EQ(p.status, status);
  }
}

TEST(AnswerParser, StopsAtMaxBodyAndMarksTheBodyTruncated) {
  auto p = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", {.max_body = 4});
  EXPECT_FALSE(p.failed);
  EXPECT_EQ(p.obs.body, "0123");
  EXPECT_TRUE(p.obs.body_truncated);

  auto exact = parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n0123", {.max_body = 4});
  EXPECT_FALSE(exact.obs.body_truncated);
}

TEST(AnswerParser, StopsAfterTheHeadersOfARedirectToFollow) {
  const std::string bytes =
      "HTTP/1.1 302 Found\r\nLocation:  /next \r\nContent-Length: 5\r\n\r\nnever";
  auto followed = parse(bytes, {.stop_at_redirect = true, .max_body = 100}, 1 << 20, false);
  EXPECT_TRUE(followed.finished);
  EXPECT_EQ(followed.redirect, "/next");
  EXPECT_EQ(followed.obs.body, "");

  auto judged = parse(bytes, {.stop_at_redirect = false, .max_body = 100});
  EXPECT_EQ(judged.redirect, "");
  EXPECT_EQ(judged.status, 302);
  EXPECT_EQ(judged.obs.body, "never");
}

TEST(AnswerParser, AcceptsTheStatusLinesCurlAccepts) {
  for (std::string line : {"HTTP/1.1 200 OK", "HTTP/1.0 200", "HTTP/1.1  200 OK", "HTTP/1.1 200x",
                           "HTTP/2 200", "HTTP/2.0 200 OK", "HTTP/1.1 999 Odd"}) {
    auto p = parse(line + "\r\nContent-Length: 0\r\n\r\n");
    EXPECT_FALSE(p.failed) << line << ": " << p.error;
  }
  auto lf_only = parse("HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
  EXPECT_EQ(lf_only.obs.body, "ok");
}

TEST(AnswerParser, RejectsStatusLinesWithCurlsWords) {
  struct Case {
    std::string bytes;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"garbage\r\n\r\n", "Received HTTP/0.9 when not allowed"},
      {"garb", "Received HTTP/0.9 when not allowed"},
      {" HTTP/1.1 200 OK\r\n\r\n", "Received HTTP/0.9 when not allowed"},
      {"HTTP/1.2 200 OK\r\n\r\n", "Unsupported HTTP version (1.2) in response"},
      {"HTTP/3 200\r\n\r\n", "Unsupported HTTP version (3.0) in response"},
      {"HTTP/1.1 abc\r\n\r\n", "Unsupported HTTP version in response"},
      {"HTTP/1.10 200\r\n\r\n", "Unsupported HTTP version in response"},
      {"HTTP/1.1 2000 OK\r\n\r\n", "Unsupported response code in HTTP response"},
      {"HTTP/1.1 20 OK\r\n\r\n", "Unsupported response code in HTTP response"},
      {"HTTP/1.1200 OK\r\n\r\n", "Unsupported response code in HTTP response"},
      {"", "Empty reply from server"},
      {"HTTP/1.1 2", "Empty reply from server"},
  };
  for (const auto& c : cases) {
    auto p = parse(c.bytes);
    EXPECT_TRUE(p.failed) << c.bytes;
    EXPECT_EQ(p.error, c.error) << c.bytes;
  }
}

TEST(AnswerParser, ReadsAStatusLineInAnyCaseUnlikeCurl) {
  // curl 7.88 reports "http/1.1 404" as a 200; the lean client reports what the server said.
  auto p = parse("http/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  EXPECT_FALSE(p.failed);
  EXPECT_EQ(p.status, 404);
}

TEST(AnswerParser, RejectsBadChunkFraming) {
  struct Case {
    std::string chunks;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"zz\r\nab\r\n0\r\n\r\n", "Illegal or missing hexadecimal sequence in chunked-encoding"},
      {"11111111111111111\r\nab\r\n", "Too long hexadecimal number in chunked-encoding"},
      {"ffffffffffffffff\r\nab\r\n", "Illegal or missing hexadecimal sequence in chunked-encoding"},
      {"2\r\nokXX0\r\n\r\n", "Malformed encoding found in chunked-encoding"},
      {"2\r\nok\r\n0\r\nno colon\r\n\r\n", "Failed reading the chunked-encoded stream"},
      {"5\r\nab", "transfer closed with outstanding read data remaining"},
  };
  for (const auto& c : cases) {
    auto p = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + c.chunks);
    EXPECT_TRUE(p.failed) << c.chunks;
    EXPECT_EQ(p.error, c.error) << c.chunks;
  }
}

TEST(AnswerParser, RejectsAnInvalidContentLengthButReadsAnOverflowingOneUntilClose) {
  for (std::string value : {"-5", "abc", ""}) {
    auto p = parse("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\nabc");
    EXPECT_TRUE(p.failed) << value;
    EXPECT_EQ(p.error, "Invalid Content-Length: value") << value;
  }
  auto huge = parse("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nabc");
  EXPECT_FALSE(huge.failed);
  EXPECT_EQ(huge.obs.body, "abc");
  for (std::string value : {"+3", " 3 ", "3x"}) {
    auto p = parse("HTTP/1.1 200 OK\r\nContent-Length:" + value + "\r\n\r\nabcdef", {.max_body = 9},
                   1 << 20, false);
    EXPECT_EQ(p.obs.body, "abc") << value;
  }
}

TEST(AnswerParser, ReportsAnAnswerCutShort) {
  auto mid_body = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_EQ(mid_body.error, "transfer closed with 7 bytes remaining to read");
  // Like curl, a close inside the headers ends them and judges what they announced.
  auto announced = parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n");
  EXPECT_EQ(announced.error, "transfer closed with 5 bytes remaining to read");
  auto unannounced = parse("HTTP/1.1 200 OK\r\nContent-Le");
  EXPECT_FALSE(unannounced.failed);
  EXPECT_EQ(unannounced.status, 200);
}

TEST(AnswerParser, RejectsAHeaderLineWithoutColonButKeepsFoldedLines) {
  auto p = parse("HTTP/1.1 200 OK\r\nfoo bar\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(p.error, "Header without colon");
  auto folded =
      parse("HTTP/1.1 200 OK\r\nX-A: 1\r\n\tcontinued\r\n Folded: x\r\nContent-Length: 0\r\n\r\n");
  EXPECT_FALSE(folded.failed);
  EXPECT_EQ(folded.obs.headers.size(), 3u);  // " folded" kept as curl hands it over
}

TEST(AnswerParser, FailsWhenHeadersPassTheCapWithoutWaitingForTheLineToEnd) {
  std::string many = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 400; ++i)
    many += "X-H" + std::to_string(i) + ": " + std::string(1000, 'v') + "\r\n";
  auto p = parse(many + "\r\n");
  EXPECT_TRUE(p.failed);
  EXPECT_EQ(p.error.rfind("Too large response headers: ", 0), 0u) << p.error;
  EXPECT_LE(p.obs.headers.size(), 200u);

  // One endless line: the parser gives up once the pending bytes pass the cap.
  AnswerParser parser;
  Observation obs;
  parser.start({}, obs);
  std::string pending = "HTTP/1.1 200 OK\r\nX-Endless: ";
  while (!parser.finished() && pending.size() < 2 * kMaxHeaderBytes) {
    pending += std::string(4096, 'a');
    pending.erase(0, parser.feed(pending));
  }
  EXPECT_TRUE(parser.failed());
  EXPECT_LE(pending.size(), kMaxHeaderBytes + 4096);
}

TEST(AnswerParser, KeepsAtMost200Headers) {
  std::string many = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 300; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  auto p = parse(many + "Content-Length: 0\r\n\r\n", {}, 1 << 20, false);
  EXPECT_FALSE(p.failed);
  EXPECT_EQ(p.obs.headers.size(), 200u);
}

}  // namespace
}  // namespace lk::probe::http
