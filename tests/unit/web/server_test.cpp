// The server over real loopback sockets: plain POSIX clients, every read bounded by a timeout so
// that a broken server fails the test instead of hanging it.

#include "web/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <thread>

#include "fakes.hpp"
#include "web/events.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::web;
using namespace lk::web::testing;

namespace {

class Client {
 public:
  /// `receive_buffer` > 0 shrinks the socket's receive buffer (set before connecting), so that a
  /// client that does not read pushes back on the server quickly.
  explicit Client(std::uint16_t port, int receive_buffer = 0)
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{.tv_sec = 5, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (receive_buffer > 0)
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  void send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  /// One response: the head, then Content-Length bytes of body (none for HEAD). "" on timeout.
  std::string read_response(bool head_request = false) {
    while (buffer_.find("\r\n\r\n") == std::string::npos)
      if (!fill()) return std::exchange(buffer_, {});
    std::size_t head_end = buffer_.find("\r\n\r\n") + 4;
    std::size_t body_length = 0;
    if (!head_request) {
      std::string head = lower(buffer_.substr(0, head_end));
      auto at = head.find("content-length: ");
      if (at != std::string::npos) body_length = std::stoul(head.substr(at + 16));
    }
    while (buffer_.size() < head_end + body_length)
      if (!fill()) break;
    std::string response = buffer_.substr(0, head_end + body_length);
    buffer_.erase(0, response.size());
    return response;
  }

  /// True when the server closed the connection (EOF or reset) within the read timeout.
  bool closed_by_server() {
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

  /// Everything up to and including `marker`; "" when it does not arrive within the timeout.
  std::string read_until(std::string_view marker) {
    while (buffer_.find(marker) == std::string::npos)
      if (!fill()) return "";
    std::size_t end = buffer_.find(marker) + marker.size();
    std::string out = buffer_.substr(0, end);
    buffer_.erase(0, end);
    return out;
  }

  /// One Server-Sent Events frame (up to its blank line), or "".
  std::string read_frame() { return read_until("\n\n"); }

  /// Reads and discards until the server ends the connection; true when it ended with a clean
  /// EOF (not a reset) within `limit`.
  bool drains_to_eof(steady_clock::duration limit = seconds{10}) {
    auto deadline = steady_clock::now() + limit;
    buffer_.clear();
    char chunk[65536];
    while (steady_clock::now() < deadline) {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n == 0) return true;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    }
    return false;
  }

  /// Sends `data` one byte at a time, `pause` apart, until it is all sent or the server closes
  /// the connection; returns how many bytes went out.
  std::size_t dribble(std::string_view data, milliseconds pause) {
    std::size_t sent = 0;
    for (char c : data) {
      if (::send(fd_, &c, 1, MSG_NOSIGNAL) != 1) break;
      ++sent;
      pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, static_cast<int>(pause.count())) > 0) break;  // answered or closed
    }
    return sent;
  }

 private:
  static std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  bool fill() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

std::string get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

std::string body_of(const std::string& response) {
  auto at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    StatusSnapshot snapshot;
    snapshot.generated_at = clock.now();
    add_check(snapshot.checks, make_check("homepage", State::ok, clock.now()));
    source.set(std::move(snapshot));
  }

  std::unique_ptr<Server> start(ServerOptions options = {}, EventHub* events = nullptr) {
    options.port = 0;
    return std::make_unique<Server>(options, source, store, clock, nullptr, nullptr, events);
  }

  ManualClock clock;
  FakeStatusSource source;
  FakeStore store;
};

}  // namespace

TEST_F(ServerTest, AnswersHealthzOnAnEphemeralPort) {
  auto server = start();
  ASSERT_NE(server->port(), 0);
  Client client(server->port());
  ASSERT_TRUE(client.connected());
  client.send(get("/healthz"));
  std::string response = client.read_response();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
  EXPECT_EQ(body_of(response), "ok\n");
}

TEST_F(ServerTest, KeepsTheConnectionAliveAcrossRequests) {
  auto server = start();
  Client client(server->port());
  client.send(get("/healthz"));
  EXPECT_TRUE(client.read_response().starts_with("HTTP/1.1 200"));
  client.send(get("/api/v1/checks"));
  std::string second = client.read_response();
  EXPECT_TRUE(second.starts_with("HTTP/1.1 200")) << second;
  EXPECT_NE(body_of(second).find("\"homepage\""), std::string::npos);
}

TEST_F(ServerTest, AnswersPipelinedRequestsInOrder) {
  auto server = start();
  Client client(server->port());
  client.send(get("/healthz") + get("/nope") + get("/healthz"));
  EXPECT_TRUE(client.read_response().starts_with("HTTP/1.1 200"));
  EXPECT_TRUE(client.read_response().starts_with("HTTP/1.1 404"));
  EXPECT_TRUE(client.read_response().starts_with("HTTP/1.1 200"));
}

TEST_F(ServerTest, HeadAnnouncesTheLengthButSendsNoBody) {
  auto server = start();
  Client client(server->port());
  client.send("HEAD /healthz HTTP/1.1\r\nHost: test\r\n\r\n");
  std::string head = client.read_response(/*head_request=*/true);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200")) << head;
  EXPECT_NE(head.find("Content-Length: 3\r\n"), std::string::npos) << head;
  client.send(get("/healthz"));
  EXPECT_EQ(body_of(client.read_response()), "ok\n") << "no stray body before the next answer";
}

TEST_F(ServerTest, AnswersGarbageWith400AndHangsUp) {
  auto server = start();
  {
    Client client(server->port());
    static constexpr char kGarbage[] = "\x01\x02\xff garbage \x00\x7f\r\n\r\n";
    client.send(std::string_view(kGarbage, sizeof kGarbage - 1));
    std::string response = client.read_response();
    EXPECT_TRUE(response.starts_with("HTTP/1.1 400")) << response;
    EXPECT_TRUE(client.closed_by_server());
  }
  Client after(server->port());
  after.send(get("/healthz"));
  EXPECT_TRUE(after.read_response().starts_with("HTTP/1.1 200")) << "the server survived";
}

TEST_F(ServerTest, AnswersATargetThatIsNotAPathWith400AndHangsUp) {
  auto server = start();
  Client client(server->port());
  client.send("GET nope HTTP/1.1\r\nHost: test\r\n\r\n");
  EXPECT_TRUE(client.read_response().starts_with("HTTP/1.1 400"));
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, AnswersAHugeHeaderWith431) {
  auto server = start();
  Client client(server->port());
  client.send("GET / HTTP/1.1\r\nHost: test\r\nX-Padding: " + std::string(20 * 1024, 'a') +
              "\r\n\r\n");
  std::string response = client.read_response();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 431")) << response.substr(0, 80);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, AnswersAnOversizedBodyWith413) {
  auto server = start();
  Client client(server->port());
  client.send("POST /api/v1/checks HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\n\r\n" +
              std::string(100000, 'x'));
  EXPECT_TRUE(client.read_response().starts_with("HTTP/1.1 413"));
}

TEST_F(ServerTest, ASilentClientDoesNotBlockOthers) {
  auto server = start();
  Client silent(server->port());
  ASSERT_TRUE(silent.connected());
  auto started = steady_clock::now();
  Client other(server->port());
  other.send(get("/healthz"));
  EXPECT_TRUE(other.read_response().starts_with("HTTP/1.1 200"));
  EXPECT_LT(steady_clock::now() - started, seconds{1});
}

TEST_F(ServerTest, ASlowStoreReadDoesNotHoldUpOtherRequests) {
  std::promise<void> release;
  store.results_gate = release.get_future().share();
  auto server = start();
  Client slow(server->port());
  slow.send(get("/api/v1/checks/homepage/results"));

  auto started = steady_clock::now();
  for (const char* target : {"/healthz", "/", "/api/v1/checks"}) {
    Client other(server->port());
    other.send(get(target));
    EXPECT_TRUE(other.read_response().starts_with("HTTP/1.1 200")) << target;
  }
  EXPECT_LT(steady_clock::now() - started, seconds{2});

  release.set_value();
  EXPECT_TRUE(slow.read_response().starts_with("HTTP/1.1 200"));
}

TEST_F(ServerTest, DisconnectsASilentClientAfterTheRequestTimeout) {
  ServerOptions options;
  options.request_timeout = milliseconds{200};
  auto server = start(options);
  Client silent(server->port());
  auto started = steady_clock::now();
  EXPECT_TRUE(silent.closed_by_server());
  EXPECT_LT(steady_clock::now() - started, seconds{3});
}

TEST_F(ServerTest, AtCapacityANewConnectionReplacesTheOneWaitingLongestForItsRequest) {
  ServerOptions options;
  options.max_connections = 2;
  auto server = start(options);
  Client idle(server->port());
  idle.send(get("/healthz"));
  ASSERT_TRUE(idle.read_response().starts_with("HTTP/1.1 200"));  // now surely accepted
  Client slowloris(server->port());
  slowloris.send("GET / HTTP/1.1\r\nHost: te");
  Client newcomer(server->port());
  newcomer.send(get("/healthz"));
  EXPECT_TRUE(newcomer.read_response().starts_with("HTTP/1.1 200"));
  EXPECT_TRUE(idle.closed_by_server()) << "the kept-alive connection waited longest";
  Client another(server->port());
  another.send(get("/healthz"));
  EXPECT_TRUE(another.read_response().starts_with("HTTP/1.1 200"));
  EXPECT_TRUE(slowloris.closed_by_server());
}

TEST_F(ServerTest, AtCapacityAConnectionLingeringAfterAnErrorMakesRoomFirst) {
  ServerOptions options;
  options.max_connections = 2;
  auto server = start(options);
  Client idle(server->port());
  idle.send(get("/healthz"));
  ASSERT_TRUE(idle.read_response().starts_with("HTTP/1.1 200"));
  // Answered 413, then drained for a while in case the rest of the body is on its way.
  Client refused(server->port());
  refused.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 999999999\r\n\r\n");
  ASSERT_TRUE(refused.read_response().starts_with("HTTP/1.1 413"));
  Client newcomer(server->port());
  newcomer.send(get("/healthz"));
  EXPECT_TRUE(newcomer.read_response().starts_with("HTTP/1.1 200"));
  idle.send(get("/healthz"));
  EXPECT_TRUE(idle.read_response().starts_with("HTTP/1.1 200")) << "the idle one was kept";
}

TEST_F(ServerTest, RefusesWith503WhenEveryConnectionIsBusy) {
  EventHub hub;
  ServerOptions options;
  options.max_connections = 1;
  auto server = start(options, &hub);
  Client streaming(server->port());
  streaming.send(get("/events"));
  ASSERT_TRUE(streaming.read_until("\r\n\r\n").starts_with("HTTP/1.1 200"));
  Client second(server->port());
  std::string refused = second.read_response();
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 503")) << refused;
  EXPECT_NE(refused.find("Retry-After: "), std::string::npos) << refused;
}

TEST_F(ServerTest, CompressesThePageForClientsThatAcceptGzip) {
  auto server = start();
  Client client(server->port());
  client.send(get("/", "Accept-Encoding: gzip\r\n"));
  std::string response = client.read_response();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200")) << response.substr(0, 80);
  EXPECT_NE(response.find("Content-Encoding: gzip\r\n"), std::string::npos);
  EXPECT_NE(response.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos);
}

TEST_F(ServerTest, StopClosesOpenConnectionsAndIsIdempotent) {
  auto server = start();
  Client client(server->port());
  client.send(get("/healthz"));
  ASSERT_TRUE(client.read_response().starts_with("HTTP/1.1 200"));
  auto started = steady_clock::now();
  server->stop();
  EXPECT_LT(steady_clock::now() - started, seconds{1});
  EXPECT_TRUE(client.closed_by_server());
  server->stop();
  Client late(server->port());
  EXPECT_FALSE(late.connected()) << "nothing listens after stop";
}

TEST_F(ServerTest, ABindFailureNamesTheAddressAndTheReason) {
  auto server = start();
  ServerOptions options;
  options.port = server->port();
  try {
    Server second(options, source, store, clock);
    FAIL() << "binding a port in use must throw";
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("127.0.0.1:" + std::to_string(server->port())), std::string::npos) << what;
    EXPECT_NE(what.find("in use"), std::string::npos) << what;
  }
}

TEST_F(ServerTest, AnUnresolvableHostIsAStartupError) {
  ServerOptions options;
  options.host = "no-such-host.invalid";
  options.port = 0;
  EXPECT_THROW(Server(options, source, store, clock), std::runtime_error);
}

// ---------------------------------------------------------------------------------------------
// Hostile clients: each is answered (or dropped) promptly, and the server serves others after.
// ---------------------------------------------------------------------------------------------

namespace {

/// Sends `request` on a fresh connection; returns the answer's status line, or "" when none
/// came, and whether the server then hung up.
struct Outcome {
  std::string status;
  bool closed = false;
};

Outcome exchange(std::uint16_t port, std::string_view request) {
  Client client(port);
  client.send(request);
  Outcome outcome;
  outcome.status = status_line(client.read_response());
  outcome.closed = client.closed_by_server();
  return outcome;
}

}  // namespace

TEST_F(ServerTest, AnswersEachKindOfMalformedRequestAtOnceAndHangsUp) {
  ServerOptions options;
  options.header_timeout = seconds{30};  // a case that waited for it would fail the time limit
  auto server = start(options);
  const std::string big_header = std::string(64 * 1024, 'a');
  struct Case {
    const char* what;
    std::string request;
    const char* status;
  };
  const Case cases[] = {
      {"HTTP/0.9 request line", "GET /\r\n", "HTTP/1.1 400 Bad Request"},
      {"no version", "GET / \r\n\r\n", "HTTP/1.1 400 Bad Request"},
      {"bare LF", "GET / HTTP/1.1\nHost: test\n\n", "HTTP/1.1 400 Bad Request"},
      {"leading space", " GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request"},
      {"TLS ClientHello", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),
       "HTTP/1.1 400 Bad Request"},
      {"NUL in the target", std::string("GET /a\0b HTTP/1.1\r\n\r\n", 21),
       "HTTP/1.1 400 Bad Request"},
      {"NUL in a header", std::string("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", 29),
       "HTTP/1.1 400 Bad Request"},
      {"lower-case version", "GET / http/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request"},
      {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
       "HTTP/1.1 505 HTTP Version Not Supported"},
      {"HTTP/1.2", "GET / HTTP/1.2\r\nHost: test\r\n\r\n",
       "HTTP/1.1 505 HTTP Version Not Supported"},
      {"HTTP/3.0", "GET / HTTP/3.0\r\nHost: test\r\n\r\n",
       "HTTP/1.1 505 HTTP Version Not Supported"},
      {"URL longer than the header limit", "GET /" + big_header + " HTTP/1.1\r\n\r\n",
       "HTTP/1.1 414 URI Too Long"},
      {"method longer than the header limit", big_header, "HTTP/1.1 400 Bad Request"},
      {"header longer than the limit", "GET / HTTP/1.1\r\nX-Big: " + big_header + "\r\n\r\n",
       "HTTP/1.1 431 Request Header Fields Too Large"},
      {"absurd Content-Length, no body",
       "POST /api/v1/checks HTTP/1.1\r\nHost: test\r\nContent-Length: 99999999999999\r\n\r\n",
       "HTTP/1.1 413 Payload Too Large"},
      {"Content-Length beyond 64 bits",
       "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 99999999999999999999999\r\n\r\n",
       "HTTP/1.1 400 Bad Request"},
      {"two Content-Lengths",
       "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
       "HTTP/1.1 400 Bad Request"},
      {"chunk larger than the body limit",
       "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n",
       "HTTP/1.1 413 Payload Too Large"},
      {"chunks adding up beyond the body limit",
       "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n" +
           [] {
             std::string chunks;
             for (int i = 0; i < 20; ++i) chunks += "1000\r\n" + std::string(4096, 'x') + "\r\n";
             return chunks;
           }(),
       "HTTP/1.1 413 Payload Too Large"},
      {"one endless chunk extension",
       "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n1;" +
           std::string(200 * 1024, 'e'),
       "HTTP/1.1 400 Bad Request"},
      {"many long chunk extensions",
       "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n" +
           [] {
             std::string chunks;
             for (int i = 0; i < 40; ++i) chunks += "1;" + std::string(1000, 'e') + "\r\nx\r\n";
             return chunks;
           }(),
       "HTTP/1.1 400 Bad Request"},
  };
  for (const auto& c : cases) {
    auto started = steady_clock::now();
    Outcome outcome = exchange(server->port(), c.request);
    EXPECT_EQ(outcome.status, c.status) << c.what;
    EXPECT_TRUE(outcome.closed) << c.what;
    EXPECT_LT(steady_clock::now() - started, seconds{3}) << c.what;
  }
  Client after(server->port());
  after.send(get("/healthz"));
  EXPECT_TRUE(after.read_response().starts_with("HTTP/1.1 200")) << "the server survived";
}

TEST_F(ServerTest, AnswersAnUnknownMethodWithoutHangingUpOnTheProtocol) {
  auto server = start();
  Client client(server->port());
  client.send("BREW /pot HTTP/1.1\r\nHost: test\r\n\r\n");
  std::string response = client.read_response();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 4")) << response;
  client.send(get("/healthz"));
  EXPECT_TRUE(client.read_response().starts_with("HTTP/1.1 200"));
}

TEST_F(ServerTest, CutsOffAHeaderDribbledAByteAtATimeAtTheHeaderDeadline) {
  ServerOptions options;
  options.header_timeout = milliseconds{400};
  auto server = start(options);
  Client slowloris(server->port());
  auto started = steady_clock::now();
  std::string endless = "GET /healthz HTTP/1.1\r\nX-A: " + std::string(1000, 'a');
  std::size_t sent = slowloris.dribble(endless, milliseconds{20});
  auto elapsed = steady_clock::now() - started;
  EXPECT_LT(sent, endless.size()) << "every read was quick, yet the header must not be";
  EXPECT_GE(elapsed, milliseconds{350});
  EXPECT_LT(elapsed, seconds{3});
  EXPECT_TRUE(slowloris.closed_by_server());
}

TEST_F(ServerTest, ABodyMustArriveWithinTheRequestTimeout) {
  ServerOptions options;
  options.request_timeout = milliseconds{400};
  auto server = start(options);
  Client client(server->port());
  auto started = steady_clock::now();
  client.send("POST /api/v1/checks HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\nabc");
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_LT(steady_clock::now() - started, seconds{3});
}

TEST_F(ServerTest, AKeptAliveConnectionMayIdleLongerThanAHeaderMayTake) {
  ServerOptions options;
  options.header_timeout = milliseconds{200};
  options.idle_timeout = seconds{5};
  auto server = start(options);
  Client client(server->port());
  client.send(get("/healthz"));
  ASSERT_TRUE(client.read_response().starts_with("HTTP/1.1 200"));
  std::this_thread::sleep_for(milliseconds{500});
  client.send(get("/healthz"));
  EXPECT_TRUE(client.read_response().starts_with("HTTP/1.1 200"));
}

TEST_F(ServerTest, ClosesAKeptAliveConnectionAfterTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = milliseconds{200};
  auto server = start(options);
  Client client(server->port());
  client.send(get("/healthz"));
  ASSERT_TRUE(client.read_response().starts_with("HTTP/1.1 200"));
  auto started = steady_clock::now();
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_LT(steady_clock::now() - started, seconds{3});
}

TEST_F(ServerTest, AnswersManyPipelinedRequestsInOrder) {
  auto server = start();
  Client client(server->port());
  std::string burst;
  for (int i = 0; i < 300; ++i) burst += get(i % 2 ? "/healthz" : "/nope");
  client.send(burst);
  for (int i = 0; i < 300; ++i)
    ASSERT_TRUE(client.read_response().starts_with(i % 2 ? "HTTP/1.1 200" : "HTTP/1.1 404"))
        << "answer " << i;
}

TEST_F(ServerTest, SaysContinueBeforeTheClientSendsItsBody) {
  auto server = start();
  Client client(server->port());
  client.send(
      "POST /api/v1/checks HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n"
      "Expect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.read_until("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  client.send("{}");
  EXPECT_TRUE(client.read_response().starts_with("HTTP/1.1 405"));
}

// ---------------------------------------------------------------------------------------------
// GET /events: Server-Sent Events
// ---------------------------------------------------------------------------------------------

namespace {

/// Opens GET /events (with `headers`) and reads the response head and the retry line.
std::string open_events(Client& client, std::string_view headers = "") {
  client.send(get("/events", headers));
  std::string head = client.read_until("\r\n\r\n");
  std::string retry = client.read_frame();
  EXPECT_EQ(retry, "retry: 5000\n\n") << head;
  return head;
}

}  // namespace

TEST_F(ServerTest, EventsIsNotFoundWithoutAHub) {
  auto server = start();
  Client client(server->port());
  client.send(get("/events"));
  EXPECT_TRUE(client.read_response().starts_with("HTTP/1.1 404"));
}

TEST_F(ServerTest, StreamsEventsPublishedFromAnotherThread) {
  EventHub hub;
  auto server = start({}, &hub);
  Client client(server->port());
  std::string head = open_events(client);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\n")) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Cache-Control: no-cache\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Accel-Buffering: no\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;

  std::thread publisher([&] {
    hub.publish("update", "{\"check\":\"web\"}");
    hub.publish("", "two\nlines");
  });
  EXPECT_EQ(client.read_frame(), "id: 1\nevent: update\ndata: {\"check\":\"web\"}\n\n");
  EXPECT_EQ(client.read_frame(), "id: 2\ndata: two\ndata: lines\n\n");
  publisher.join();
  hub.publish("update", "later");
  EXPECT_EQ(client.read_frame(), "id: 3\nevent: update\ndata: later\n\n");
}

TEST_F(ServerTest, EveryStreamGetsEveryEvent) {
  EventHub hub;
  auto server = start({}, &hub);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<Client>(server->port()));
    open_events(*clients.back());
  }
  for (int i = 1; i <= 20; ++i) hub.publish("update", std::to_string(i));
  for (auto& client : clients)
    for (int i = 1; i <= 20; ++i)
      ASSERT_EQ(client->read_frame(), "id: " + std::to_string(i) +
                                          "\nevent: update\ndata: " + std::to_string(i) + "\n\n");
}

TEST_F(ServerTest, ReplaysTheEventsAfterLastEventId) {
  EventHub hub;
  for (const char* data : {"a", "b", "c"}) hub.publish("update", data);
  auto server = start({}, &hub);
  Client client(server->port());
  open_events(client, "Last-Event-ID: 1\r\n");
  EXPECT_EQ(client.read_frame(), "id: 2\nevent: update\ndata: b\n\n");
  EXPECT_EQ(client.read_frame(), "id: 3\nevent: update\ndata: c\n\n");
  hub.publish("update", "d");
  EXPECT_EQ(client.read_frame(), "id: 4\nevent: update\ndata: d\n\n");
}

TEST_F(ServerTest, WithoutLastEventIdAStreamStartsWithTheNextEvent) {
  EventHub hub;
  hub.publish("update", "old");
  auto server = start({}, &hub);
  Client client(server->port());
  open_events(client);
  hub.publish("update", "new");
  EXPECT_EQ(client.read_frame(), "id: 2\nevent: update\ndata: new\n\n");
}

TEST_F(ServerTest, ALastEventIdNoLongerKeptGetsOnlyTheNewestEvent) {
  EventHub hub(4);
  for (int i = 1; i <= 10; ++i) hub.publish("update", std::to_string(i));
  auto server = start({}, &hub);
  for (const char* last : {"Last-Event-ID: 2\r\n", "Last-Event-ID: 9999\r\n"}) {
    Client client(server->port());
    open_events(client, last);
    EXPECT_EQ(client.read_frame(), "id: 10\nevent: update\ndata: 10\n\n") << last;
  }
  Client client(server->port());
  open_events(client, "Last-Event-ID: 10\r\n");
  hub.publish("update", "11");
  EXPECT_EQ(client.read_frame(), "id: 11\nevent: update\ndata: 11\n\n")
      << "nothing replayed when the client is up to date";
}

TEST_F(ServerTest, SendsAKeepAliveCommentWhenNothingHappens) {
  EventHub hub;
  ServerOptions options;
  options.event_keepalive = milliseconds{100};
  auto server = start(options, &hub);
  Client client(server->port());
  open_events(client);
  auto started = steady_clock::now();
  EXPECT_EQ(client.read_frame(), ": keepalive\n\n");
  EXPECT_EQ(client.read_frame(), ": keepalive\n\n");
  EXPECT_LT(steady_clock::now() - started, seconds{2});
  hub.publish("update", "x");
  EXPECT_EQ(client.read_frame(), "id: 1\nevent: update\ndata: x\n\n");
}

TEST_F(ServerTest, AnEventStreamOutlivesTheIdleAndRequestTimeouts) {
  EventHub hub;
  ServerOptions options;
  options.request_timeout = milliseconds{200};
  options.idle_timeout = milliseconds{200};
  auto server = start(options, &hub);
  Client client(server->port());
  open_events(client);
  std::this_thread::sleep_for(milliseconds{600});
  hub.publish("update", "still here");
  EXPECT_EQ(client.read_frame(), "id: 1\nevent: update\ndata: still here\n\n");
}

TEST_F(ServerTest, RefusesEventStreamsBeyondTheCapWith503) {
  EventHub hub;
  ServerOptions options;
  options.max_event_streams = 2;
  auto server = start(options, &hub);
  Client first(server->port()), second(server->port());
  open_events(first);
  open_events(second);
  Client third(server->port());
  third.send(get("/events"));
  std::string refused = third.read_response();
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 503")) << refused;
  EXPECT_NE(refused.find("Retry-After: "), std::string::npos) << refused;
  Client page(server->port());
  page.send(get("/healthz"));
  EXPECT_TRUE(page.read_response().starts_with("HTTP/1.1 200")) << "only streams are capped";
  hub.publish("update", "x");
  EXPECT_EQ(first.read_frame(), "id: 1\nevent: update\ndata: x\n\n");
}

TEST_F(ServerTest, AClosedStreamFreesItsPlaceUnderTheCap) {
  EventHub hub;
  ServerOptions options;
  options.max_event_streams = 1;
  options.event_keepalive = milliseconds{50};  // the server notices the hang-up when it writes
  auto server = start(options, &hub);
  {
    Client first(server->port());
    open_events(first);
  }
  std::string status;
  for (int attempt = 0; attempt < 50 && !status.starts_with("HTTP/1.1 200"); ++attempt) {
    std::this_thread::sleep_for(milliseconds{50});
    Client next(server->port());
    next.send(get("/events"));
    status = status_line(next.read_until("\r\n\r\n"));
  }
  EXPECT_EQ(status, "HTTP/1.1 200 OK");
}

TEST_F(ServerTest, HeadOnEventsSendsTheHeadOnly) {
  EventHub hub;
  auto server = start({}, &hub);
  Client client(server->port());
  client.send("HEAD /events HTTP/1.1\r\nHost: test\r\n\r\n");
  std::string head = client.read_until("\r\n\r\n");
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200")) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream\r\n"), std::string::npos) << head;
  EXPECT_TRUE(client.drains_to_eof(seconds{3}));
}

TEST_F(ServerTest, OtherMethodsOnEventsGet405) {
  EventHub hub;
  auto server = start({}, &hub);
  Client client(server->port());
  client.send("POST /events HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n");
  std::string response = client.read_response();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 405")) << response;
  EXPECT_NE(response.find("Allow: GET, HEAD\r\n"), std::string::npos) << response;
}

TEST_F(ServerTest, StopEndsOpenEventStreamsCleanly) {
  EventHub hub;
  auto server = start({}, &hub);
  Client first(server->port()), second(server->port());
  open_events(first);
  open_events(second);
  hub.publish("update", "x");  // likely caught mid-write, when there is no wait to cancel
  auto started = steady_clock::now();
  server->stop();
  EXPECT_LT(steady_clock::now() - started, seconds{1});
  EXPECT_TRUE(first.drains_to_eof(seconds{2}));
  EXPECT_TRUE(second.drains_to_eof(seconds{2}));
  EXPECT_EQ(hub.subscriber_count(), 0u);
  hub.publish("update", "after stop");  // nobody left to wake: must not touch the stopped loop
}

TEST_F(ServerTest, ASlowEventReaderIsDroppedAndDelaysNeitherPublisherNorOthers) {
  EventHub hub(64);
  ServerOptions options;
  options.request_timeout = milliseconds{500};  // how long one write to a client may take
  auto server = start(options, &hub);
  Client stalled(server->port(), /*receive_buffer=*/4096);
  open_events(stalled);
  Client reader(server->port());
  open_events(reader);

  // Several megabytes in all: far more than the socket buffers of the client that never reads.
  const std::string data(32 * 1024, 'x');
  steady_clock::duration slowest_publish{};
  for (int i = 1; i <= 200; ++i) {
    auto before = steady_clock::now();
    hub.publish("update", data);
    slowest_publish = std::max(slowest_publish, steady_clock::now() - before);
    std::string frame = reader.read_frame();
    ASSERT_TRUE(frame.starts_with("id: " + std::to_string(i) + "\n")) << "event " << i;
  }
  EXPECT_LT(slowest_publish, milliseconds{100});
  EXPECT_TRUE(stalled.drains_to_eof()) << "the stalled stream is dropped, not buffered";
  Client page(server->port());
  page.send(get("/healthz"));
  EXPECT_TRUE(page.read_response().starts_with("HTTP/1.1 200"));
}
