// The connection under tls and mail checks: lines bounded in length, every wait bounded by the
// deadline, and each failure named by its layer.

#include "probe/tls/connection.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loopback.hpp"

namespace lk::probe::tls {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;
using test::LoopbackServer;
using test::run_client;

struct Outcome {
  std::vector<std::string> lines;
  Failure failure;
  Duration took{};
  PhaseTimings timings;
};

/// Connects to a server running `script` and reads up to `lines` lines within `timeout`.
Outcome read_lines(test::Script script, int lines, Duration timeout = 2s) {
  boost::asio::io_context io;
  LoopbackServer server(io, std::move(script));
  SystemClock clock;
  Outcome out;
  run_client(io, [&]() -> boost::asio::awaitable<void> {
    const auto started = clock.mono_now();
    Connection c(io, clock, started, started + timeout, timeout);
    // No temporaries with destructors inside a co_await expression: g++ 12 may copy them
    // bitwise into the coroutine frame (a short std::string then frees its inline buffer).
    const HostPort where{"127.0.0.1", server.port()};
    bool connected = co_await c.connect(where, out.timings);
    std::string line;
    for (int i = 0; connected && i < lines; ++i) {
      bool read = co_await c.read_line(line, "the greeting");
      if (!read) break;
      out.lines.push_back(line);
    }
    out.failure = c.failure();
    out.took = clock.mono_now() - started;
  });
  // Assertions stay out of coroutines: g++ 12 mishandles the temporaries of gtest's macros there.
  EXPECT_TRUE(out.timings.connect);
  EXPECT_FALSE(out.timings.dns) << "an address needs no lookup";
  return out;
}

TEST(Connection, ReadsLinesHoweverThePacketsCut) {
  auto out = read_lines(
      [](test::tcp::socket& s) -> boost::asio::awaitable<void> {
        co_await test::send(s, "220 a\r\n250-b");
        co_await test::stay_silent(s, 20ms);
        co_await test::send(s, "\r\n250 c\n\r\n");
        co_await test::stay_silent(s, 1s);
      },
      4);
  EXPECT_EQ(out.failure.layer, Layer::none) << out.failure.message;
  EXPECT_THAT(out.lines, ::testing::ElementsAre("220 a", "250-b", "250 c", ""));
}

TEST(Connection, AcceptsALineOfExactlyTheLimit) {
  auto out = read_lines(
      [](test::tcp::socket& s) -> boost::asio::awaitable<void> {
        const std::string line = std::string(kMaxLine, 'x') + "\r\n";
        co_await test::send(s, line);
        co_await test::stay_silent(s, 1s);
      },
      1);
  EXPECT_EQ(out.failure.layer, Layer::none) << out.failure.message;
  ASSERT_EQ(out.lines.size(), 1u);
  EXPECT_EQ(out.lines[0].size(), kMaxLine);
}

TEST(Connection, RefusesALineLongerThanTheLimit) {
  for (std::string tail : {"", "\r\n"}) {
    auto out = read_lines(
        [tail](test::tcp::socket& s) -> boost::asio::awaitable<void> {
          const std::string line = std::string(kMaxLine + 1, 'x') + tail;
          co_await test::send(s, line);
          co_await test::stay_silent(s, 1s);
        },
        1);
    EXPECT_EQ(out.failure.layer, Layer::response);
    EXPECT_THAT(out.failure.message, StartsWith("a line longer than 4096 bytes from 127.0.0.1:"));
    EXPECT_THAT(out.failure.message, HasSubstr("instead of the greeting: \"xxxx"));
    EXPECT_LT(out.took, 1s) << "must not wait for more of an overlong line";
  }
}

TEST(Connection, EndlessGarbageIsCutAtTheLimit) {
  auto out = read_lines(
      [](test::tcp::socket& s) -> boost::asio::awaitable<void> {
        const std::string garbage(4096, '\x01');
        for (int i = 0; i < 1000; ++i) co_await test::send(s, garbage);
      },
      1);
  EXPECT_EQ(out.failure.layer, Layer::response);
  EXPECT_THAT(out.failure.message, HasSubstr("\\u0001\\u0001"));
}

TEST(Connection, AServerThatClosesMidLineIsNamed) {
  auto out = read_lines(
      [](test::tcp::socket& s) -> boost::asio::awaitable<void> {
        co_await test::send(s, "220 half a gree");
        s.close();
      },
      1);
  EXPECT_EQ(out.failure.layer, Layer::response);
  EXPECT_THAT(out.failure.message, StartsWith("connection closed by 127.0.0.1:"));
  EXPECT_THAT(out.failure.message,
              HasSubstr("while waiting for the greeting (after \"220 half a gree\")"));
}

TEST(Connection, ASilentServerTimesOutAtTheDeadline) {
  auto out = read_lines(
      [](test::tcp::socket& s) -> boost::asio::awaitable<void> {
        co_await test::stay_silent(s, 10s);
      },
      1, 300ms);
  EXPECT_EQ(out.failure.layer, Layer::timeout);
  EXPECT_THAT(out.failure.message, StartsWith("timed out after 300ms waiting for the greeting "
                                              "from 127.0.0.1:"));
  EXPECT_GE(out.took, 290ms);
  EXPECT_LT(out.took, 1s);
}

TEST(Connection, ARefusedConnectIsAConnectFailure) {
  boost::asio::io_context io;
  std::uint16_t port = 0;
  {
    test::tcp::acceptor a(io, test::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    port = a.local_endpoint().port();
  }
  SystemClock clock;
  Failure failure;
  bool connected = true;
  run_client(io, [&]() -> boost::asio::awaitable<void> {
    Connection c(io, clock, clock.mono_now(), clock.mono_now() + 2s, 2s);
    PhaseTimings timings;
    const HostPort where{"127.0.0.1", port};
    connected = co_await c.connect(where, timings);
    failure = c.failure();
  });
  EXPECT_FALSE(connected);
  EXPECT_EQ(failure.layer, Layer::connect);
  EXPECT_EQ(failure.message, "connect to 127.0.0.1:" + std::to_string(port) + " refused");
}

TEST(Connection, ResolvesANameAndTimesTheLookup) {
  boost::asio::io_context io;
  LoopbackServer server(io, [](test::tcp::socket& s) -> boost::asio::awaitable<void> {
    co_await test::send(s, "hello\r\n");
    co_await test::stay_silent(s, 1s);
  });
  SystemClock clock;
  PhaseTimings timings;
  bool connected = false;
  std::string peer;
  run_client(io, [&]() -> boost::asio::awaitable<void> {
    Connection c(io, clock, clock.mono_now(), clock.mono_now() + 2s, 2s);
    const HostPort where{"localhost", server.port()};
    connected = co_await c.connect(where, timings);
    peer = c.peer();
  });
  EXPECT_TRUE(connected);
  ASSERT_TRUE(timings.dns);
  ASSERT_TRUE(timings.connect);
  EXPECT_LE(*timings.dns, *timings.connect);
  EXPECT_EQ(peer, "127.0.0.1:" + std::to_string(server.port()));
}

TEST(Connection, TheFirstFailureWinsAndLaterStepsDoNothing) {
  boost::asio::io_context io;
  LoopbackServer server(io, [](test::tcp::socket& s) -> boost::asio::awaitable<void> {
    co_await test::send(s, "hello\r\n");
    co_await test::stay_silent(s, 1s);
  });
  SystemClock clock;
  bool connected = false, read = true, written = true;
  Failure failure;
  run_client(io, [&]() -> boost::asio::awaitable<void> {
    Connection c(io, clock, clock.mono_now(), clock.mono_now() + 2s, 2s);
    PhaseTimings timings;
    const HostPort where{"127.0.0.1", server.port()};
    connected = co_await c.connect(where, timings);
    c.fail(Layer::response, "first");
    c.fail(Layer::send, "second");
    std::string line;
    read = co_await c.read_line(line, "x");
    written = co_await c.write("y\r\n", "y");
    failure = c.failure();
  });
  EXPECT_TRUE(connected);
  EXPECT_FALSE(read);
  EXPECT_FALSE(written);
  EXPECT_EQ(failure.layer, Layer::response);
  EXPECT_EQ(failure.message, "first");
}

TEST(Connection, AShortenedDeadlineEndsAWaitEarly) {
  boost::asio::io_context io;
  LoopbackServer server(io, [](test::tcp::socket& s) -> boost::asio::awaitable<void> {
    co_await test::stay_silent(s, 10s);
  });
  SystemClock clock;
  Duration took{};
  bool connected = false, read = true;
  Failure failure;
  run_client(io, [&]() -> boost::asio::awaitable<void> {
    const auto started = clock.mono_now();
    Connection c(io, clock, started, started + 5s, 5s);
    PhaseTimings timings;
    const HostPort where{"127.0.0.1", server.port()};
    connected = co_await c.connect(where, timings);
    c.shorten_deadline(clock.mono_now() + 100ms);
    c.shorten_deadline(clock.mono_now() + 3s);  // never later
    std::string line;
    read = co_await c.read_line(line, "the reply to QUIT");
    failure = c.failure();
    took = clock.mono_now() - started;
  });
  EXPECT_TRUE(connected);
  EXPECT_FALSE(read);
  EXPECT_EQ(failure.layer, Layer::timeout);
  EXPECT_LT(took, 1s);
}

}  // namespace
}  // namespace lk::probe::tls
