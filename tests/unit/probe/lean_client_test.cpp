// The lean HTTP client end to end, against scripted loopback servers: what a check reports for
// good answers, redirects, and hostile or broken servers.

#include <gtest/gtest.h>

#include <string>

#include "loopback_server.hpp"
#include "run_check.hpp"

namespace lk::test {
namespace {

using namespace std::chrono_literals;
using Connection = LoopbackServer::Connection;

std::string where(const LoopbackServer& server) {
  return "127.0.0.1:" + std::to_string(server.port());
}

LoopbackServer::Script replies(std::string bytes) {
  return [bytes](Connection& c) { c.send(bytes); };
}

const Metric* metric(const Observation& obs, std::string_view name) {
  for (const auto& m : obs.metrics)
    if (m.name == name) return &m;
  return nullptr;
}

TEST(LeanClient, ReportsAnAnswerWithAContentLengthBodyLikeTheCurlPath) {
  LoopbackServer server(replies(answer(200, "hello", "Server: test\r\n")));
  auto obs = run_lean(http_settings(server.url("/health")));
  EXPECT_EQ(obs.failed_at, Layer::none) << obs.error;
  EXPECT_EQ(obs.status_code, 200);
  EXPECT_EQ(obs.body, "hello");
  ASSERT_NE(obs.header("server"), nullptr);
  EXPECT_EQ(*obs.header("server"), "test");
  EXPECT_EQ(obs.peer, where(server));
  ASSERT_TRUE(obs.timings.dns && obs.timings.connect && obs.timings.first_byte &&
              obs.timings.total);
  EXPECT_LE(*obs.timings.dns, *obs.timings.connect);
  EXPECT_LE(*obs.timings.connect, *obs.timings.first_byte);
  EXPECT_LE(*obs.timings.first_byte, *obs.timings.total);
  ASSERT_NE(metric(obs, "body_bytes"), nullptr);
  EXPECT_EQ(metric(obs, "body_bytes")->value, 5);
  ASSERT_NE(metric(obs, "latency"), nullptr);
  // The lean client (and only it) asks the server to close.
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_NE(server.requests()[0].find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_EQ(server.requests()[0].rfind("GET /health HTTP/1.1\r\n", 0), 0u);
}

TEST(LeanClient, ForcingTheCurlEngineBypassesTheLeanClient) {
  LoopbackServer server(replies(answer(200, "ok")));
  auto obs = run_curl(http_settings(server.url()));
  EXPECT_EQ(obs.status_code, 200);
  EXPECT_EQ(server.requests()[0].find("Connection: close"), std::string::npos);
}

TEST(LeanClient, ReadsChunkedAndCloseDelimitedBodies) {
  LoopbackServer chunked(replies(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n"));
  EXPECT_EQ(run_lean(http_settings(chunked.url())).body, "wikipedia");
  LoopbackServer until_close(replies("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nall until close"));
  auto obs = run_lean(http_settings(until_close.url()));
  EXPECT_EQ(obs.failed_at, Layer::none) << obs.error;
  EXPECT_EQ(obs.body, "all until close");
}

TEST(LeanClient, ExpectsNoBodyAfterHeadOr204Or304EvenWhenTheServerKeepsTheConnection) {
  for (int status : {200, 204, 304}) {
    LoopbackServer server([status](Connection& c) {
      c.send("HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 100\r\n\r\n");
      c.hang();
    });
    auto s = http_settings(server.url());
    if (status == 200) s.method = "HEAD";
    auto started = std::chrono::steady_clock::now();
    auto obs = run_lean(s, 2s);
    EXPECT_EQ(obs.status_code, status) << obs.error;
    EXPECT_EQ(obs.body, "");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s) << status;
    if (status == 200) {
      EXPECT_EQ(server.requests()[0].rfind("HEAD / HTTP/1.1\r\n", 0), 0u);
    }
  }
}

TEST(LeanClient, SkipsInterimAnswers) {
  LoopbackServer server(
      replies("HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n" + answer(200, "ok")));
  auto obs = run_lean(http_settings(server.url()));
  EXPECT_EQ(obs.status_code, 200);
  EXPECT_EQ(obs.body, "ok");
  EXPECT_EQ(obs.header("x-interim"), nullptr);
}

/// /relative -> /final, /absolute -> http://127.0.0.1:PORT/final, /loop -> /loop.
class RedirectingServer {
 public:
  RedirectingServer()
      : server_([this](Connection& c) {
          auto path = c.path();
          if (path == "/relative") {
            c.send(answer(302, "moved", "Location: final\r\n"));
          } else if (path == "/absolute") {
            c.send(answer(301, "", "Location: " + server_.url("/final") + "\r\n"));
          } else if (path == "/loop") {
            c.send(answer(307, "", "Location: /loop\r\n"));
          } else {
            c.send(answer(200, "final answer", "X-Hop: last\r\n"));
          }
        }) {}
  LoopbackServer& server() { return server_; }

 private:
  LoopbackServer server_;
};

TEST(LeanClient, FollowsRelativeAndAbsoluteRedirects) {
  RedirectingServer r;
  for (const char* path : {"/relative", "/absolute"}) {
    auto obs = run_lean(http_settings(r.server().url(path)));
    EXPECT_EQ(obs.status_code, 200) << path << ": " << obs.error;
    EXPECT_EQ(obs.body, "final answer") << path;
    EXPECT_EQ(obs.headers.size(), 2u) << path;  // only the last answer's headers
  }
  EXPECT_EQ(r.server().requests().size(), 4u);
}

TEST(LeanClient, JudgesTheRedirectItselfWhenNotFollowing) {
  RedirectingServer r;
  auto s = http_settings(r.server().url("/relative"));
  s.follow_redirects = false;
  auto obs = run_lean(s);
  EXPECT_EQ(obs.status_code, 302);
  EXPECT_EQ(obs.body, "moved");
  ASSERT_NE(obs.header("location"), nullptr);
  EXPECT_EQ(*obs.header("location"), "final");
}

TEST(LeanClient, GivesUpAfterMaxRedirects) {
  RedirectingServer r;
  auto s = http_settings(r.server().url("/loop"));
  s.max_redirects = 2;
  auto obs = run_lean(s);
  EXPECT_EQ(obs.failed_at, Layer::response);
  EXPECT_EQ(obs.error,
            "unexpected answer from " + where(r.server()) + ": Maximum (2) redirects followed");
  EXPECT_EQ(r.server().requests().size(), 3u);
}

TEST(LeanClient, HandsARedirectToAHostNameOrHttpsToCurl) {
  LoopbackServer target(replies(answer(200, "via curl")));
  LoopbackServer named(replies(
      answer(302, "", "Location: http://localhost:" + std::to_string(target.port()) + "/\r\n")));
  auto obs = run_lean(http_settings(named.url()));
  EXPECT_EQ(obs.status_code, 200) << obs.error;
  EXPECT_EQ(obs.body, "via curl");
  ASSERT_TRUE(obs.timings.total && obs.timings.connect);
  EXPECT_LE(*obs.timings.connect, *obs.timings.total);
  EXPECT_EQ(target.requests().back().find("Connection: close"), std::string::npos);

  // A TLS client meets a plain HTTP server: the handshake fails, reported as curl reports it.
  LoopbackServer plain(replies(answer(200, "not tls")), AF_INET, false);
  LoopbackServer secure(replies(
      answer(302, "", "Location: https://127.0.0.1:" + std::to_string(plain.port()) + "/\r\n")));
  auto lean = run_lean(http_settings(secure.url()));
  EXPECT_EQ(lean.failed_at, Layer::tls) << lean.error;
  auto curl = run_curl(http_settings(secure.url()));
  EXPECT_EQ(lean.error, curl.error);
  EXPECT_EQ(lean.peer, curl.peer);
  EXPECT_EQ(lean.timings.tls.has_value(), curl.timings.tls.has_value());
}

TEST(LeanClient, RefusesToFollowARedirectToAnotherScheme) {
  LoopbackServer server(replies(answer(302, "", "Location: file:///etc/passwd\r\n")));
  auto obs = run_lean(http_settings(server.url()));
  EXPECT_EQ(obs.failed_at, Layer::response);
  EXPECT_EQ(obs.error, "unexpected answer from " + where(server) +
                           ": Protocol \"file\" not supported or disabled in libcurl");
}

TEST(LeanClient, StopsReadingAtMaxBodyAndStillSucceeds) {
  LoopbackServer server([](Connection& c) {
    c.send("HTTP/1.1 200 OK\r\n\r\n");
    std::string block(64 * 1024, 'x');
    for (int i = 0; i < 64 && c.send(block); ++i) {
    }
  });
  auto s = http_settings(server.url());
  s.max_body = 1000;
  auto obs = run_lean(s);
  EXPECT_EQ(obs.failed_at, Layer::none) << obs.error;
  EXPECT_EQ(obs.body.size(), 1000u);
  EXPECT_TRUE(obs.body_truncated);
}

TEST(LeanClient, ReportsARefusedConnection) {
  RefusingPort port;
  auto obs = run_lean(http_settings("http://127.0.0.1:" + std::to_string(port.port()) + "/"));
  EXPECT_EQ(obs.failed_at, Layer::connect);
  EXPECT_EQ(obs.error, "connect to 127.0.0.1:" + std::to_string(port.port()) + " refused");
  EXPECT_EQ(obs.peer, "");
}

TEST(LeanClient, TimesOutNamingThePhaseItWaitedFor) {
  BlackholePort blackhole;
  LoopbackServer silent([](Connection& c) { c.hang(); });
  LoopbackServer stalled([](Connection& c) {
    c.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
    c.hang();
  });
  struct Case {
    std::string url;
    std::string waiting_for;
  };
  const std::string hole = "127.0.0.1:" + std::to_string(blackhole.port());
  for (const auto& c :
       {Case{"http://" + hole + "/", "TCP connect to " + hole},
        Case{silent.url(), "the first byte of the answer from " + where(silent)},
        Case{stalled.url(), "the rest of the answer body from " + where(stalled)}}) {
    auto started = std::chrono::steady_clock::now();
    auto obs = run_lean(http_settings(c.url), 300ms);
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(obs.failed_at, Layer::timeout) << c.url << ": " << obs.error;
    EXPECT_EQ(obs.error, "timed out after 300ms waiting for " + c.waiting_for);
    EXPECT_GE(took, 290ms);
    EXPECT_LT(took, 600ms);
  }
}

TEST(LeanClient, CutsADrippingServerAtMaxBodyOrAtTheDeadline) {
  auto drip = [](Connection& c) {
    c.send("HTTP/1.1 200 OK\r\n\r\n");
    while (c.send("x") && c.pause(10ms)) {
    }
  };
  LoopbackServer dripping(drip);
  auto small = http_settings(dripping.url());
  small.max_body = 5;
  auto truncated = run_lean(small, 2s);
  EXPECT_EQ(truncated.failed_at, Layer::none) << truncated.error;
  EXPECT_EQ(truncated.body, "xxxxx");
  EXPECT_TRUE(truncated.body_truncated);

  LoopbackServer endless(drip);
  auto obs = run_lean(http_settings(endless.url()), 300ms);
  EXPECT_EQ(obs.failed_at, Layer::timeout);
  EXPECT_EQ(obs.error,
            "timed out after 300ms waiting for the rest of the answer body from " + where(endless));
  EXPECT_FALSE(obs.body.empty());
}

TEST(LeanClient, ReportsGarbageAsAnUnexpectedAnswer) {
  LoopbackServer server(replies("SSH-2.0-OpenSSH_9.2\r\n"));
  auto obs = run_lean(http_settings(server.url()));
  EXPECT_EQ(obs.failed_at, Layer::response);
  EXPECT_EQ(obs.error,
            "unexpected answer from " + where(server) + ": Received HTTP/0.9 when not allowed");
}

TEST(LeanClient, GivesUpOnAnEndlessHeaderLineWithoutBufferingIt) {
  LoopbackServer server([](Connection& c) {
    c.send("HTTP/1.1 200 OK\r\nX-Endless: ");
    std::string block(64 * 1024, 'a');
    for (int i = 0; i < 16 * 1024 && c.send(block); ++i) {  // up to 1 GiB
    }
  });
  auto obs = run_lean(http_settings(server.url()));
  EXPECT_EQ(obs.failed_at, Layer::response);
  EXPECT_EQ(obs.error.rfind(
                "unexpected answer from " + where(server) + ": Too large response headers: ", 0),
            0u)
      << obs.error;
}

TEST(LeanClient, RejectsABadChunkSize) {
  LoopbackServer server(
      replies("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nab\r\n0\r\n\r\n"));
  auto obs = run_lean(http_settings(server.url()));
  EXPECT_EQ(obs.failed_at, Layer::response);
  EXPECT_EQ(obs.error, "unexpected answer from " + where(server) +
                           ": Illegal or missing hexadecimal sequence in chunked-encoding");
}

TEST(LeanClient, ReportsAConnectionClosedMidBody) {
  LoopbackServer server(replies("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
  auto obs = run_lean(http_settings(server.url()));
  EXPECT_EQ(obs.failed_at, Layer::response);
  EXPECT_EQ(obs.error, "unexpected answer from " + where(server) +
                           ": transfer closed with 7 bytes remaining to read");
}

TEST(LeanClient, ReportsAResetAsARecvFailure) {
  LoopbackServer server([](Connection& c) { c.reset(); });
  auto obs = run_lean(http_settings(server.url()));
  EXPECT_EQ(obs.failed_at, Layer::response);
  EXPECT_EQ(obs.error,
            "unexpected answer from " + where(server) + ": Recv failure: Connection reset by peer");
}

TEST(LeanClient, ReachesAnIpv6Literal) {
  LoopbackServer server(replies(answer(200, "six")), AF_INET6);
  auto obs = run_lean(http_settings(server.url()));
  EXPECT_EQ(obs.body, "six") << obs.error;
  EXPECT_EQ(obs.peer, "[::1]:" + std::to_string(server.port()));
  EXPECT_NE(server.requests()[0].find("\r\nHost: [::1]:" + std::to_string(server.port()) + "\r\n"),
            std::string::npos);
}

}  // namespace
}  // namespace lk::test
