// The same checks through libcurl and through the lean client must report the same thing: the
// server must see the same requests (but for the lean client's `Connection: close`), and the
// Observation must carry the same status, headers, body, layer and error text.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "loopback_server.hpp"
#include "run_check.hpp"

namespace lk::test {
namespace {

using namespace std::chrono_literals;
using Connection = LoopbackServer::Connection;
using Settings = probe::http::Settings;

struct Case {
  std::string name;
  std::function<void(Connection&)> script;
  std::function<void(Settings&)> adjust = [](Settings&) {};
  std::string path = "/";
  Duration timeout = 2s;
};

LoopbackServer::Script replies(std::string bytes) {
  return [bytes](Connection& c) { c.send(bytes); };
}

std::string without_connection_close(std::string request) {
  const std::string line = "Connection: close\r\n";
  if (auto at = request.find(line); at != std::string::npos) request.erase(at, line.size());
  return request;
}

void expect_same(const Observation& curl, const Observation& lean, const std::string& name) {
  SCOPED_TRACE(name);
  EXPECT_EQ(lean.failed_at, curl.failed_at);
  EXPECT_EQ(lean.error, curl.error);
  EXPECT_EQ(lean.status_code, curl.status_code);
  EXPECT_EQ(lean.peer, curl.peer);
  EXPECT_EQ(lean.body, curl.body);
  EXPECT_EQ(lean.body_truncated, curl.body_truncated);
  auto without_date = [](std::vector<std::pair<std::string, std::string>> headers) {
    std::erase_if(headers, [](const auto& h) { return h.first == "date"; });
    return headers;
  };
  EXPECT_EQ(without_date(lean.headers), without_date(curl.headers));
  EXPECT_EQ(lean.timings.dns.has_value(), curl.timings.dns.has_value());
  EXPECT_EQ(lean.timings.connect.has_value(), curl.timings.connect.has_value());
  EXPECT_EQ(lean.timings.first_byte.has_value(), curl.timings.first_byte.has_value());
  EXPECT_EQ(lean.timings.tls.has_value(), curl.timings.tls.has_value());
  EXPECT_TRUE(lean.timings.total.has_value());
  ASSERT_EQ(lean.metrics.size(), curl.metrics.size());
  for (std::size_t i = 0; i < lean.metrics.size(); ++i) {
    EXPECT_EQ(lean.metrics[i].name, curl.metrics[i].name);
    EXPECT_EQ(lean.metrics[i].unit, curl.metrics[i].unit);
    if (lean.metrics[i].name == "body_bytes") {
      EXPECT_EQ(lean.metrics[i].value, curl.metrics[i].value);
    }
  }
}

/// Runs the case through both engines against one server and compares.
void check_parity(const Case& c) {
  LoopbackServer server(c.script);
  auto settings = http_settings(server.url(c.path));
  c.adjust(settings);
  ASSERT_NE(probe::http::plan_lean(settings), nullptr) << c.name << ": not a lean check";
  auto curl = run_curl(settings, c.timeout);
  auto curl_requests = server.requests();
  auto lean = run_lean(settings, c.timeout);
  auto all = server.requests();
  std::vector<std::string> lean_requests(all.begin() + static_cast<long>(curl_requests.size()),
                                         all.end());
  expect_same(curl, lean, c.name);
  ASSERT_EQ(lean_requests.size(), curl_requests.size()) << c.name;
  for (std::size_t i = 0; i < lean_requests.size(); ++i)
    EXPECT_EQ(without_connection_close(lean_requests[i]), curl_requests[i]) << c.name;
}

std::string headers_of(int count) {
  std::string h;
  for (int i = 0; i < count; ++i)
    h += "X-H" + std::to_string(i) + ": " + std::string(1000, 'v') + "\r\n";
  return h;
}

TEST(EngineParity, GoodAnswersReadTheSameThroughBothEngines) {
  const std::vector<Case> cases = {
      {"content length", replies(answer(200, "hello", "Server: t\r\nX-Odd :  spaced \r\n"))},
      {"chunked with trailer", replies("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                       "4;x=y\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Trailer: t\r\n\r\n")},
      {"until close", replies("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nall until close")},
      {"head", replies("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"),
       [](Settings& s) { s.method = "HEAD"; }},
      {"no content", replies("HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n")},
      {"not modified", replies("HTTP/1.1 304 Not Modified\r\n\r\n")},
      {"interim answers", replies("HTTP/1.1 100 Continue\r\nX-A: 1\r\n\r\nHTTP/1.1 103 Early\r\n"
                                  "Link: x\r\n\r\n" +
                                  answer(200, "ok"))},
      {"lf line endings", replies("HTTP/1.1 200 OK\nContent-Length: 2\n\nok")},
      {"no reason phrase", replies("HTTP/1.1 404\r\nContent-Length: 2\r\n\r\nno")},
      {"short http/2 status line", replies("HTTP/2 201\r\nContent-Length: 0\r\n\r\n")},
      {"folded header line", replies("HTTP/1.1 200 OK\r\nX-A: 1\r\n Folded: x\r\n\tmore\r\n"
                                     "Content-Length: 0\r\n\r\n")},
      {"more headers than kept", replies(answer(200, "", headers_of(250)))},
      {"overflowing length", replies("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999"
                                     "\r\n\r\nabc")},
      {"lenient length", replies("HTTP/1.1 200 OK\r\nContent-Length: +3x\r\n\r\nabcdef")},
      {"truncated at max body", replies(answer(200, std::string(5000, 'b'))),
       [](Settings& s) { s.max_body = 1000; }},
      {"truncated chunked",
       replies("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
               "a\r\n0123456789\r\n0\r\n\r\n"),
       [](Settings& s) { s.max_body = 4; }},
      {"close inside headers", replies("HTTP/1.1 200 OK\r\nServer: x\r\nContent-Le")},
  };
  for (const auto& c : cases) check_parity(c);
}

TEST(EngineParity, RequestsLookTheSameToTheServer) {
  const std::vector<Case> cases = {
      {"post with headers", replies(answer(200, "ok")),
       [](Settings& s) {
         s.method = "POST";
         s.edit_extras().body = "a=1&b=2";
         s.edit_extras().headers = {
             {"X-Token", "t"}, {"Accept", "application/json"}, {"X-Blank", ""}};
       }},
      {"put with own content type", replies(answer(200, "ok")),
       [](Settings& s) {
         s.method = "PUT";
         s.edit_extras().body = "{}";
         s.edit_extras().headers = {{"Content-Type", "application/json"}, {"User-Agent", "probe"}};
       }},
      {"custom host, no default accept", replies(answer(200, "ok")),
       [](Settings& s) {
         s.edit_extras().headers = {{"Host", "example.org"}, {"accept", ""}};
       }},
      {"delete with query", replies(answer(200, "ok")), [](Settings& s) { s.method = "DELETE"; },
       "/items/7?force=1"},
      {"options", replies(answer(200, "ok")), [](Settings& s) { s.method = "OPTIONS"; }},
  };
  for (const auto& c : cases) check_parity(c);
}

TEST(EngineParity, RedirectsAreFollowedTheSameWay) {
  auto redirector = [](Connection& c) {
    auto path = c.path();
    if (path == "/found") return (void)c.send(answer(302, "moved", "Location: there\r\n"));
    if (path == "/temporary") return (void)c.send(answer(307, "", "Location: /there\r\n"));
    if (path == "/see-other") return (void)c.send(answer(303, "", "Location: /there?x=1\r\n"));
    if (path == "/loop") return (void)c.send(answer(301, "", "Location: /loop\r\n"));
    if (path == "/file") return (void)c.send(answer(302, "", "Location: file:///etc/hostname\r\n"));
    if (path == "/bad") return (void)c.send(answer(302, "", "Location: http://[::1/\r\n"));
    c.send(answer(200, "arrived", "X-Path: " + path + "\r\n"));
  };
  auto post = [](Settings& s) {
    s.method = "POST";
    s.edit_extras().body = "k=v";
    s.edit_extras().headers = {{"Authorization", "Bearer t"}};
  };
  const std::vector<Case> cases = {
      {"relative", redirector, [](Settings&) {}, "/found"},
      {"not followed", redirector, [](Settings& s) { s.follow_redirects = false; }, "/found"},
      {"post after 302", redirector, post, "/found"},
      {"post after 307", redirector, post, "/temporary"},
      {"post after 303", redirector, post, "/see-other"},
      {"head after 303", redirector, [](Settings& s) { s.method = "HEAD"; }, "/see-other"},
      {"too many", redirector, [](Settings& s) { s.max_redirects = 3; }, "/loop"},
      {"none allowed", redirector, [](Settings& s) { s.max_redirects = 0; }, "/loop"},
      {"to a file", redirector, [](Settings&) {}, "/file"},
      {"unparsable location", redirector, [](Settings&) {}, "/bad"},
  };
  for (const auto& c : cases) check_parity(c);
}

TEST(EngineParity, CredentialsStayWithTheFirstHostAcrossRedirects) {
  LoopbackServer other(replies(answer(200, "other")));
  const std::vector<Case> cases = {
      {"absolute to another port",
       replies(answer(302, "", "Location: " + other.url("/landing") + "\r\n")),
       [](Settings& s) {
         s.edit_extras().headers = {{"Authorization", "Basic x"},
                                    {"Cookie", "a=b"},
                                    {"Host", "site.example"},
                                    {"X-Keep", "1"}};
       }},
  };
  for (const auto& c : cases) {
    auto before = other.requests().size();
    check_parity(c);
    auto all = other.requests();
    ASSERT_EQ(all.size(), before + 2);
    EXPECT_EQ(without_connection_close(all[before + 1]), all[before]);
    EXPECT_EQ(all[before].find("Authorization"), std::string::npos);
    EXPECT_NE(all[before].find("X-Keep: 1"), std::string::npos);
  }
}

TEST(EngineParity, BrokenAnswersFailTheSameWay) {
  const std::vector<Case> cases = {
      {"garbage", replies("garbage\r\n\r\n")},
      {"unsupported version", replies("HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n")},
      {"http/3 status line", replies("HTTP/3 200\r\nContent-Length: 0\r\n\r\n")},
      {"two digit status", replies("HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n")},
      {"four digit status", replies("HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n")},
      {"letters for status", replies("HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n")},
      {"header without colon", replies("HTTP/1.1 200 OK\r\nfoo bar\r\nContent-Length: 0\r\n\r\n")},
      {"negative length", replies("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nabc")},
      {"close mid body", replies("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")},
      {"close mid chunk", replies("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")},
      {"close after headers announce a body", replies("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n")},
      {"bad chunk size", replies("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")},
      {"too long chunk size",
       replies("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n")},
      {"bad chunk end",
       replies("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n")},
      {"nothing at all", [](Connection&) {}},
      {"half a status line", replies("HTTP/1.1 2")},
      {"reset", [](Connection& c) { c.reset(); }},
      {"too many header bytes", replies(answer(200, "", headers_of(400)))},
  };
  for (const auto& c : cases) check_parity(c);
}

TEST(EngineParity, TimeoutsNameTheSamePhase) {
  const std::vector<Case> cases = {
      {"silent", [](Connection& c) { c.hang(); }, [](Settings&) {}, "/", 300ms},
      {"stalled body",
       [](Connection& c) {
         c.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome");
         c.hang();
       },
       [](Settings&) {}, "/", 300ms},
      {"stalled headers",
       [](Connection& c) {
         c.send("HTTP/1.1 200 OK\r\nServer: x\r\n");
         c.hang();
       },
       [](Settings&) {}, "/", 300ms},
  };
  for (const auto& c : cases) check_parity(c);
}

TEST(EngineParity, ConnectionFailuresReadTheSame) {
  RefusingPort refusing;
  auto settings = http_settings("http://127.0.0.1:" + std::to_string(refusing.port()) + "/x");
  auto curl = run_curl(settings);
  expect_same(curl, run_lean(settings), "refused");

  BlackholePort blackhole;
  auto hole = http_settings("http://127.0.0.1:" + std::to_string(blackhole.port()) + "/");
  auto curl_timeout = run_curl(hole, 300ms);
  expect_same(curl_timeout, run_lean(hole, 300ms), "connect timeout");
}

TEST(EngineParity, AnIpv6LiteralReadsTheSame) {
  check_parity({"ipv6", replies(answer(200, "six"))});
  LoopbackServer server(replies(answer(200, "six")), AF_INET6);
  auto settings = http_settings(server.url("/v6"));
  auto curl = run_curl(settings);  // first: the server records requests in order
  expect_same(curl, run_lean(settings), "ipv6");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(without_connection_close(requests[1]), requests[0]);
}

}  // namespace
}  // namespace lk::test
