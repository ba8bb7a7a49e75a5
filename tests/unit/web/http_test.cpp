#include "web/http.hpp"

#include <gtest/gtest.h>

#include "decompress.hpp"

using namespace lk::web;
using lk::web::testing::gunzip;
using lk::web::testing::unbrotli;

namespace {

Response large_html() {
  Response response;
  response.content_type = "text/html; charset=utf-8";
  for (int i = 0; i < 500; ++i) response.body += "<rect x=\"1\" width=\"3\"/>";
  return response;
}

}  // namespace

TEST(PercentDecode, DecodesEscapesAndPlusOnlyInQueries) {
  EXPECT_EQ(percent_decode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
}

TEST(PercentDecode, RefusesTruncatedOrNonHexEscapes) {
  for (const char* bad : {"%", "%2", "abc%", "%zz", "%g1"})
    EXPECT_FALSE(percent_decode(bad, false)) << bad;
}

TEST(ParseTarget, SplitsPathAndDecodedQuery) {
  Request r = make_request("GET", "/api/v1/checks/web%20site/results?from=1700000000&limit=5&x");
  EXPECT_EQ(r.path, "/api/v1/checks/web site/results");
  EXPECT_EQ(r.raw_path, "/api/v1/checks/web%20site/results");
  EXPECT_EQ(r.param("from"), "1700000000");
  EXPECT_EQ(r.param("limit"), "5");
  EXPECT_EQ(r.param("x"), "");
  EXPECT_FALSE(r.param("to"));
}

TEST(ParseTarget, KeepsTheFirstOfRepeatedParameters) {
  Request r = make_request("GET", "/?a=1&a=2");
  EXPECT_EQ(r.param("a"), "1");
}

TEST(ParseTarget, RefusesAbsoluteFormAsteriskAndBadEscapes) {
  Request r;
  EXPECT_FALSE(parse_target("http://example.com/", r));
  EXPECT_FALSE(parse_target("*", r));
  EXPECT_FALSE(parse_target("", r));
  EXPECT_FALSE(parse_target("/a%zz", r));
  EXPECT_FALSE(parse_target("/a?b=%", r));
  EXPECT_TRUE(make_request("GET", "/a%zz").path.empty());
}

TEST(CompressIfAccepted, GzipsLargeTextWhenTheClientAcceptsIt) {
  Request request = make_request("GET", "/");
  request.headers["accept-encoding"] = "gzip, deflate";
  Response response = large_html();
  const std::string original = response.body;

  compress_if_accepted(request, response);

  EXPECT_EQ(response.header("content-encoding"), "gzip");
  EXPECT_EQ(response.header("vary"), "Accept-Encoding");
  EXPECT_LT(response.body.size(), original.size() / 5);
  EXPECT_EQ(gunzip(response.body), original);
}

TEST(CompressIfAccepted, PrefersBrotliWhenTheClientAcceptsItAsMuch) {
  Request request = make_request("GET", "/");
  request.headers["accept-encoding"] = "gzip, deflate, br";
  Response response = large_html();
  const std::string original = response.body;
  compress_if_accepted(request, response);
  EXPECT_EQ(response.header("content-encoding"), "br");
  EXPECT_EQ(unbrotli(response.body), original);
}

TEST(CompressIfAccepted, LeavesAnAnswerThatNegotiatedItsOwnEncodingAlone) {
  Request request = make_request("GET", "/");
  request.headers["accept-encoding"] = "gzip";
  Response encoded = large_html();
  encoded.headers.emplace_back("Content-Encoding", "br");
  const std::string bytes = encoded.body;
  compress_if_accepted(request, encoded);
  EXPECT_EQ(encoded.body, bytes);
  EXPECT_EQ(encoded.header("vary"), "") << "nothing added";

  Response plain = large_html();  // the client got identity from a handler that knew better
  plain.headers.emplace_back("Vary", "Accept-Encoding");
  compress_if_accepted(request, plain);
  EXPECT_EQ(plain.header("content-encoding"), "");
}

TEST(PreferredCoding, FollowsTheClientsQValues) {
  struct Case {
    const char* accept;
    ContentCoding want;
  } cases[] = {
      {"", ContentCoding::identity},
      {"identity", ContentCoding::identity},
      {"deflate", ContentCoding::identity},
      {"gzip", ContentCoding::gzip},
      {"GZIP", ContentCoding::gzip},
      {"gzip, br", ContentCoding::br},
      {"br;q=0.5, gzip", ContentCoding::gzip},
      {"br, gzip;q=0.8", ContentCoding::br},
      {"br;q=0, gzip", ContentCoding::gzip},
      {"gzip;q=0", ContentCoding::identity},
      {"gzip;q=0.000", ContentCoding::identity},
      {"*", ContentCoding::br},
      {"gzip, *;q=0", ContentCoding::gzip},
      {"br;q=0.0, gzip;q=0.0, *", ContentCoding::identity},
  };
  for (const auto& c : cases) EXPECT_EQ(preferred_coding(c.accept), c.want) << c.accept;
}

TEST(SplitPath, DecodesEachSegmentAfterSplitting) {
  EXPECT_EQ(split_path(make_request("GET", "/")), (std::vector<std::string>{""}));
  EXPECT_EQ(split_path(make_request("GET", "/status/main/")),
            (std::vector<std::string>{"status", "main"}));
  EXPECT_EQ(split_path(make_request("GET", "/a/web%20site%2Fa")),
            (std::vector<std::string>{"a", "web site/a"}));
}

TEST(CompressIfAccepted, LeavesTheBodyAloneWhenGzipIsRefusedOrNotOffered) {
  for (const char* accept : {"", "identity", "gzip;q=0", "deflate", "br;q=0"}) {
    Request request = make_request("GET", "/");
    if (*accept) request.headers["accept-encoding"] = accept;
    Response response;
    response.body = std::string(4096, 'a');
    compress_if_accepted(request, response);
    EXPECT_EQ(response.body, std::string(4096, 'a')) << accept;
    EXPECT_EQ(response.header("content-encoding"), "") << accept;
  }
}

TEST(CompressIfAccepted, SkipsSmallBodies) {
  Request request = make_request("GET", "/healthz");
  request.headers["accept-encoding"] = "gzip";
  Response response;
  response.body = "ok\n";
  compress_if_accepted(request, response);
  EXPECT_EQ(response.body, "ok\n");
}
