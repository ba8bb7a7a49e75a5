// Which checks the lean client runs, and the request bytes it sends.

#include "probe/http/lean_request.hpp"

#include <gtest/gtest.h>

namespace lk::probe::http {
namespace {

Settings settings(std::string url) {
  Settings s;
  s.url = std::move(url);
  return s;
}

TEST(LeanPlan, RunsOnlyPlainHttpToALiteralAddress) {
  EXPECT_NE(plan_lean(settings("http://127.0.0.1:8080/health")), nullptr);
  EXPECT_NE(plan_lean(settings("http://[::1]:8080/")), nullptr);
  EXPECT_NE(plan_lean(settings("HTTP://127.0.0.1/")), nullptr);
  EXPECT_EQ(plan_lean(settings("https://127.0.0.1/")), nullptr);
  EXPECT_EQ(plan_lean(settings("http://localhost:8080/")), nullptr);
  EXPECT_EQ(plan_lean(settings("http://user:pw@127.0.0.1/")), nullptr);
  EXPECT_EQ(plan_lean(settings("http://127.0.0.1/a path")), nullptr);
  EXPECT_EQ(plan_lean(settings("http://[fe80::1%25eth0]/")), nullptr);
}

TEST(LeanPlan, LeavesToCurlWhatCurlWouldSendDifferently) {
  auto reuse = settings("http://127.0.0.1/");
  reuse.reuse_connection = true;
  EXPECT_EQ(plan_lean(reuse), nullptr);
  auto cert = settings("http://127.0.0.1/");
  cert.edit_extras().client_cert = "client.pem";
  EXPECT_EQ(plan_lean(cert), nullptr);
  auto get_with_body = settings("http://127.0.0.1/");
  get_with_body.edit_extras().body = "x";
  EXPECT_EQ(plan_lean(get_with_body), nullptr);
  auto post = get_with_body;
  post.method = "POST";
  EXPECT_NE(plan_lean(post), nullptr);
  for (const char* name : {"Content-Length", "transfer-encoding", "Expect"}) {
    auto custom = settings("http://127.0.0.1/");
    custom.edit_extras().headers = {{name, "1"}};
    EXPECT_EQ(plan_lean(custom), nullptr) << name;
  }
}

std::string peer_of(const boost::asio::ip::tcp::endpoint& endpoint) {
  std::string peer;
  write_peer(endpoint, peer);
  return peer;
}

TEST(LeanPlan, UsesCurlsNormalisedUrl) {
  const std::string url = "http://127.0.0.1:80/a/./b/../c?x=1#fragment";
  auto plan = plan_lean(settings(url));
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(lean_target(url)->path, "/a/c?x=1");
  EXPECT_EQ(peer_of(plan->endpoint), "127.0.0.1:80");
  EXPECT_EQ(plan->request.substr(0, plan->request.find("\r\nUser-Agent")),
            "GET /a/c?x=1 HTTP/1.1\r\nHost: 127.0.0.1");
  auto v6 = plan_lean(settings("http://[::1]:8080"));
  ASSERT_NE(v6, nullptr);
  EXPECT_EQ(lean_target("http://[::1]:8080")->path, "/");
  EXPECT_EQ(lean_target("http://[::1]:8080")->host, "[::1]");
  EXPECT_EQ(peer_of(v6->endpoint), "[::1]:8080");
  EXPECT_EQ(v6->request.substr(0, v6->request.find("\r\nUser-Agent")),
            "GET / HTTP/1.1\r\nHost: [::1]:8080");
}

TEST(LeanPlan, KeepsTheRequestWithoutSpareCapacity) {
  auto plain = plan_lean(settings("http://127.0.0.1:8080/health"));
  auto post = settings("http://127.0.0.1/submit?x=1");
  post.method = "POST";
  post.edit_extras().body = std::string(300, 'b');
  post.edit_extras().headers = {{"X-Token", "t"}, {"Accept", ""}};
  auto with_body = plan_lean(post);
  ASSERT_TRUE(plain && with_body);
  EXPECT_EQ(with_body->request, render_request(post, *lean_target(post.url)));
#ifdef __GLIBCXX__  // other libraries may round capacities up
  EXPECT_EQ(plain->request.capacity(), plain->request.size());
  EXPECT_EQ(with_body->request.capacity(), with_body->request.size());
#endif
}

TEST(WritePeer, WritesTheAddressAndPortAsTheCurlPathReportsThem) {
  struct Case {
    const char* address;
    unsigned short port;
    const char* peer;
  };
  const Case cases[] = {
      {"127.0.0.1", 80, "127.0.0.1:80"},
      {"10.0.0.5", 443, "10.0.0.5:443"},
      {"255.255.255.255", 65535, "255.255.255.255:65535"},
      {"::1", 8080, "[::1]:8080"},
      {"2001:db8::1", 443, "[2001:db8::1]:443"},
      {"::ffff:10.0.0.1", 80, "[::ffff:10.0.0.1]:80"},
      {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535,
       "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535"},
  };
  std::string peer = "a longer text that was there before and is replaced";
  for (const auto& c : cases) {
    const auto address = boost::asio::ip::make_address(c.address);
    write_peer({address, c.port}, peer);
    EXPECT_EQ(peer, c.peer);
    // The same text as the address's own, which the curl path's "ip:port" matches.
    const auto text = address.to_string();
    EXPECT_EQ(peer, (address.is_v6() ? "[" + text + "]:" : text + ":") + std::to_string(c.port));
  }
}

TEST(WritePeer, ReusesTheStorageOfTheString) {
  std::string peer;
  peer.reserve(64);
  const char* storage = peer.data();
  write_peer({boost::asio::ip::make_address("2001:db8::1"), 443}, peer);
  EXPECT_EQ(peer.data(), storage);
  EXPECT_EQ(peer, "[2001:db8::1]:443");
}

TEST(RenderRequest, SendsCurlsHeadersPlusConnectionClose) {
  auto s = settings("http://127.0.0.1:8080/x");
  auto target = lean_target(s.url);
  ASSERT_TRUE(target);
  EXPECT_EQ(render_request(s, *target),
            "GET /x HTTP/1.1\r\n"
            "Host: 127.0.0.1:8080\r\n"
            "User-Agent: Lightkeeper/0.1 (+uptime monitor)\r\n"
            "Accept: */*\r\n"
            "Connection: close\r\n"
            "\r\n");
}

TEST(RenderRequest, CustomHeadersReplaceDefaultsAndAnEmptyValueRemovesThem) {
  auto s = settings("http://127.0.0.1/x");
  s.method = "PUT";
  s.edit_extras().body = "a=1";
  s.edit_extras().headers = {{"host", "example.org"},
                             {"Accept", ""},
                             {"X-Empty", " "},
                             {"User-Agent", "me"},
                             {"Authorization", "Bearer t"}};
  auto target = lean_target(s.url);
  ASSERT_TRUE(target);
  EXPECT_EQ(render_request(s, *target),
            "PUT /x HTTP/1.1\r\n"
            "Host: example.org\r\n"
            "Connection: close\r\n"
            "User-Agent: me\r\n"
            "Authorization: Bearer t\r\n"
            "Content-Length: 3\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "\r\n"
            "a=1");
}

TEST(RenderRequest, AfterARedirectElsewhereDropsCredentialsCustomHostAndAPostBody) {
  auto s = settings("http://127.0.0.1:8080/x");
  s.method = "POST";
  s.edit_extras().body = "a=1";
  s.edit_extras().headers = {{"Host", "example.org"}, {"Cookie", "c=1"}, {"X-Keep", "k"}};
  auto first = lean_target(s.url);
  auto next = resolve_redirect(s.url, "http://127.0.0.2:9090/y");
  ASSERT_TRUE(first && next.target);
  auto adjust = adjustments_for(*first, *next.target, true);
  auto target = lean_target(next.target->url);
  ASSERT_TRUE(target);
  EXPECT_EQ(render_request(s, *target, adjust),
            "POST /y HTTP/1.1\r\n"
            "Host: 127.0.0.2:9090\r\n"
            "User-Agent: Lightkeeper/0.1 (+uptime monitor)\r\n"
            "Accept: */*\r\n"
            "Connection: close\r\n"
            "X-Keep: k\r\n"
            "\r\n");
  auto same_host = adjustments_for(*first, *resolve_redirect(s.url, "/z").target, false);
  EXPECT_TRUE(same_host.keep_credentials);
  EXPECT_TRUE(same_host.keep_custom_host);
}

TEST(ResolveRedirect, ResolvesRelativeAndAbsoluteLocationsLikeCurl) {
  const std::string base = "http://127.0.0.1:8080/a/b?q=1";
  EXPECT_EQ(resolve_redirect(base, "c").target->url, "http://127.0.0.1:8080/a/c");
  EXPECT_EQ(resolve_redirect(base, "/c").target->url, "http://127.0.0.1:8080/c");
  EXPECT_EQ(resolve_redirect(base, "../c").target->url, "http://127.0.0.1:8080/c");
  EXPECT_EQ(resolve_redirect(base, "//127.0.0.2/d").target->url, "http://127.0.0.2/d");
  auto https = resolve_redirect(base, "https://example.org/");
  EXPECT_EQ(https.target->scheme, "https");
  EXPECT_EQ(https.target->port, 443);
  auto bad = resolve_redirect(base, "http://[::1/");
  EXPECT_FALSE(bad.target);
  EXPECT_EQ(bad.error.rfind("The redirect target URL could not be parsed: ", 0), 0u);
}

}  // namespace
}  // namespace lk::probe::http
