// The dns probe against small servers on loopback, in this process and on the probe's own
// io_context: answers, a silent server, garbage, truncation with a TCP retry, a TCP connection
// closed in the middle of an answer. (tests/integration/test_probe_dns.py runs NSD.)

#include "probe/dns/dns_probe.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <nlohmann/json.hpp>

#include "probe/dns/wire.hpp"

namespace lk::probe::dns {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using ::testing::HasSubstr;
using Bytes = std::vector<std::uint8_t>;

/// The answer to `query`: its id and question, flags QR AA (plus `extra_flags`), `rcode`, and
/// one A record 192.0.2.1 with TTL 300 unless `rcode` is set.
Bytes answer_to(const Bytes& query, int rcode = 0, std::uint16_t extra_flags = 0) {
  std::size_t at = 12;
  while (at < query.size() && query[at] != 0) at += query[at] + 1u;
  Bytes out(query.begin(), query.begin() + static_cast<std::ptrdiff_t>(at + 5));
  std::uint16_t flags = 0x8400 | extra_flags | static_cast<std::uint16_t>(rcode);
  out[2] = static_cast<std::uint8_t>(flags >> 8);
  out[3] = static_cast<std::uint8_t>(flags);
  out[7] = rcode == 0 ? 1 : 0;  // ANCOUNT
  out[11] = 0;                  // ARCOUNT: no OPT
  if (rcode == 0) out.insert(out.end(), {0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 1});
  return out;
}

/// A UDP server on 127.0.0.1 answering each datagram with `reply(query)` (nothing when empty).
struct UdpServer {
  UdpServer(asio::io_context& io, std::function<Bytes(const Bytes&)> reply, std::uint16_t port = 0)
      : socket(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), port)) {
    asio::co_spawn(
        io,
        [this, reply]() -> asio::awaitable<void> {
          std::uint8_t buffer[4096];
          for (;;) {
            udp::endpoint from;
            boost::system::error_code ec;
            std::size_t n = co_await socket.async_receive_from(
                asio::buffer(buffer), from, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            ++queries;
            Bytes answer = reply(Bytes(buffer, buffer + n));
            if (!answer.empty())
              co_await socket.async_send_to(asio::buffer(answer), from,
                                            asio::redirect_error(asio::use_awaitable, ec));
          }
        },
        asio::detached);
  }
  std::uint16_t port() const { return socket.local_endpoint().port(); }
  udp::socket socket;
  int queries = 0;
};

/// A TCP server on `port` answering each length-prefixed query with `reply(query)` (sent as is,
/// so it may lie about lengths), then closing.
struct TcpServer {
  TcpServer(asio::io_context& io, std::uint16_t port, std::function<Bytes(const Bytes&)> reply)
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)) {
    asio::co_spawn(
        io,
        [this, reply]() -> asio::awaitable<void> {
          for (;;) {
            boost::system::error_code ec;
            tcp::socket peer =
                co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            std::uint8_t prefix[2];
            co_await asio::async_read(peer, asio::buffer(prefix),
                                      asio::redirect_error(asio::use_awaitable, ec));
            if (ec) continue;
            Bytes query((prefix[0] << 8) | prefix[1]);
            co_await asio::async_read(peer, asio::buffer(query),
                                      asio::redirect_error(asio::use_awaitable, ec));
            if (ec) continue;
            ++queries;
            Bytes answer = reply(query);
            co_await asio::async_write(peer, asio::buffer(answer),
                                       asio::redirect_error(asio::use_awaitable, ec));
          }
        },
        asio::detached);
  }
  tcp::acceptor acceptor;
  int queries = 0;
};

/// A UDP and a TCP server on one port, as DNS is served; another port is tried when the UDP half
/// of a free TCP port is taken (other tests run on this machine).
struct ServerPair {
  ServerPair(asio::io_context& io, std::function<Bytes(const Bytes&)> udp_reply,
             std::function<Bytes(const Bytes&)> tcp_reply) {
    for (int attempt = 0; attempt < 20 && !udp; ++attempt) {
      tcp = std::make_unique<TcpServer>(io, 0, tcp_reply);
      try {
        udp = std::make_unique<UdpServer>(io, udp_reply, tcp->acceptor.local_endpoint().port());
      } catch (const boost::system::system_error&) {
      }
    }
    if (!udp) throw std::runtime_error("no port free for both UDP and TCP after 20 tries");
  }
  std::uint16_t port() const { return udp->port(); }
  std::unique_ptr<TcpServer> tcp;
  std::unique_ptr<UdpServer> udp;
};

Bytes framed(const Bytes& message) {
  Bytes out(message.size() + 2);
  out[0] = static_cast<std::uint8_t>(message.size() >> 8);
  out[1] = static_cast<std::uint8_t>(message.size());
  std::copy(message.begin(), message.end(), out.begin() + 2);
  return out;
}

struct Probed {
  Observation obs;
  Duration took{};
  nlohmann::json json() const {
    return obs.body.empty() ? nlohmann::json() : nlohmann::json::parse(obs.body);
  }
};

Settings settings_for(std::uint16_t port, std::string name = "www.test.example") {
  Settings s;
  s.server_host = "127.0.0.1";
  s.port = port;
  s.query = std::get<0>(normalize_name(name));
  s.query_packet = std::get<0>(build_query(s.query, rrtype::a, {}));
  return s;
}

/// Runs one check on `io` (where the servers live) and stops the loop when it is done.
Probed probe_once(asio::io_context& io, Settings s, Duration timeout = std::chrono::seconds(2)) {
  CheckSpec spec;
  spec.name = "dns";
  spec.type = "dns";
  spec.timeout = timeout;
  spec.settings = std::make_shared<Settings>(std::move(s));
  SystemClock clock;
  Probed out;
  {
    DnsProbe probe(io, clock);
    const auto started = clock.mono_now();
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          out.obs = co_await probe.run(spec, started + timeout);
          out.took = clock.mono_now() - started;
          io.stop();
        },
        asio::detached);
    io.run();
  }
  io.restart();
  return out;
}

TEST(DnsProbe, AnAnswerIsShownAsJsonAndMetrics) {
  asio::io_context io;
  UdpServer server(io, [](const Bytes& q) { return answer_to(q); });
  Probed r = probe_once(io, settings_for(server.port()));
  ASSERT_EQ(r.obs.failed_at, Layer::none) << r.obs.error;
  EXPECT_EQ(r.obs.peer, "127.0.0.1:" + std::to_string(server.port()));
  auto j = r.json();
  EXPECT_EQ(j["rcode"], "NOERROR");
  EXPECT_EQ(j["answers"], nlohmann::json::array({"192.0.2.1"}));
  EXPECT_EQ(j["authoritative"], true);
  EXPECT_EQ(j["transport"], "udp");
  EXPECT_EQ(j["min_ttl"], 300);
  ASSERT_EQ(r.obs.metrics.size(), 3u);
  EXPECT_EQ(r.obs.metrics[1].name, "answers");
  EXPECT_EQ(r.obs.metrics[1].value, 1);
  EXPECT_EQ(r.obs.metrics[2].name, "ttl");
  EXPECT_EQ(r.obs.metrics[2].value, 300);
  EXPECT_EQ(*r.obs.header("content-type"), "application/json");
}

TEST(DnsProbe, ASilentServerFailsAtTheDeadline) {
  asio::io_context io;
  UdpServer server(io, [](const Bytes&) { return Bytes{}; });
  Probed r = probe_once(io, settings_for(server.port()), std::chrono::milliseconds(300));
  EXPECT_EQ(r.obs.failed_at, Layer::timeout);
  EXPECT_THAT(r.obs.error,
              HasSubstr("timed out after 300ms waiting for an answer from DNS server 127.0.0.1:"));
  EXPECT_THAT(r.obs.error, HasSubstr("over UDP"));
  EXPECT_GE(r.took, std::chrono::milliseconds(290));
  EXPECT_LT(r.took, std::chrono::milliseconds(600));
}

TEST(DnsProbe, GarbageFailsAtOnceAndIsDescribed) {
  asio::io_context io;
  UdpServer server(io, [](const Bytes&) { return Bytes{'h', 'e', 'l', 'l', 'o', '!'}; });
  Probed r = probe_once(io, settings_for(server.port()), std::chrono::seconds(2));
  EXPECT_EQ(r.obs.failed_at, Layer::response);
  EXPECT_THAT(r.obs.error, HasSubstr("sent a 6-byte reply that is not a DNS answer"));
  EXPECT_THAT(r.obs.error, HasSubstr("it starts \"hello!\""));
  EXPECT_LT(r.took, std::chrono::seconds(1));
}

TEST(DnsProbe, AnEchoedQueryIsNotAnAnswer) {
  asio::io_context io;
  UdpServer server(io, [](const Bytes& q) { return q; });
  Probed r = probe_once(io, settings_for(server.port()));
  EXPECT_EQ(r.obs.failed_at, Layer::response);
  EXPECT_THAT(r.obs.error, HasSubstr("sent back a query, not an answer"));
}

TEST(DnsProbe, AnUdpAnswerOver512BytesIsReadWhole) {
  // 60 A records: 16 + 60 * 16 bytes, over what c-ares 1.18 passes on by itself.
  asio::io_context io;
  UdpServer server(io, [](const Bytes& q) {
    Bytes out = answer_to(q);
    out[7] = 60;
    Bytes record(out.end() - 16, out.end());
    for (int i = 1; i < 60; ++i) {
      record.back() = static_cast<std::uint8_t>(i + 1);
      out.insert(out.end(), record.begin(), record.end());
    }
    return out;
  });
  Probed r = probe_once(io, settings_for(server.port()));
  ASSERT_EQ(r.obs.failed_at, Layer::none) << r.obs.error;
  EXPECT_EQ(r.json()["answer_count"], 60);
  EXPECT_EQ(r.json()["answers"][59], "192.0.2.60");
  EXPECT_EQ(r.json()["transport"], "udp");
}

TEST(DnsProbe, ATruncatedAnswerIsAskedAgainOverTcp) {
  asio::io_context io;
  ServerPair server(
      io, [](const Bytes& q) { return answer_to(q, 0, 0x0200); },  // TC
      [](const Bytes& q) { return framed(answer_to(q)); });
  Probed r = probe_once(io, settings_for(server.port()));
  ASSERT_EQ(r.obs.failed_at, Layer::none) << r.obs.error;
  EXPECT_EQ(r.json()["transport"], "tcp");
  EXPECT_EQ(r.json()["udp_truncated"], true);
  EXPECT_EQ(r.json()["truncated"], false);
  EXPECT_EQ(server.udp->queries, 1);
  EXPECT_EQ(server.tcp->queries, 1);
}

TEST(DnsProbe, ATcpConnectionClosedInTheMiddleOfAnAnswerSaysSo) {
  asio::io_context io;
  ServerPair server(
      io, [](const Bytes&) { return Bytes{}; },
      [](const Bytes& q) {
        Bytes whole = framed(answer_to(q));
        return Bytes(whole.begin(), whole.begin() + 10);
      });
  Settings s = settings_for(server.port());
  s.force_tcp = true;
  Probed r = probe_once(io, s);
  EXPECT_EQ(r.obs.failed_at, Layer::response);
  EXPECT_THAT(r.obs.error, HasSubstr("was closed after 10 bytes, in the middle of an answer of"));
  EXPECT_LT(r.took, std::chrono::seconds(1));
  EXPECT_EQ(server.udp->queries, 0);
}

TEST(DnsProbe, WithoutExpectationsAnNxdomainFails) {
  asio::io_context io;
  UdpServer server(io, [](const Bytes& q) { return answer_to(q, rcode::nxdomain); });
  Probed r = probe_once(io, settings_for(server.port(), "nope.test.example"));
  EXPECT_EQ(r.obs.failed_at, Layer::dns);
  EXPECT_THAT(r.obs.error,
              HasSubstr("answered NXDOMAIN for nope.test.example. A (expected NOERROR)"));
  EXPECT_EQ(r.json()["rcode"], "NXDOMAIN");  // still shown

  Settings judged_by_user = settings_for(server.port(), "nope.test.example");
  judged_by_user.default_expectations = false;
  Probed user = probe_once(io, judged_by_user);
  EXPECT_EQ(user.obs.failed_at, Layer::none);
  EXPECT_EQ(user.json()["rcode"], "NXDOMAIN");
  EXPECT_EQ(user.json()["min_ttl"], nullptr);
}

TEST(DnsProbe, NothingListeningIsAConnectFailure) {
  asio::io_context io;
  std::uint16_t port = 0;
  {
    udp::socket probe_port(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe_port.local_endpoint().port();
  }
  Probed r = probe_once(io, settings_for(port));
  EXPECT_EQ(r.obs.failed_at, Layer::connect) << r.obs.error;
  EXPECT_THAT(r.obs.error, HasSubstr("127.0.0.1:" + std::to_string(port)));
  EXPECT_LT(r.took, std::chrono::seconds(1));
}

}  // namespace
}  // namespace lk::probe::dns
