// The server over real loopback sockets: plain POSIX clients, every read bounded by a timeout so
// that a broken server fails the test instead of hanging it.

#include "web/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <future>

#include "fakes.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::web;
using namespace lk::web::testing;

namespace {

class Client {
 public:
  explicit Client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{.tv_sec = 5, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
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

  std::unique_ptr<Server> start(ServerOptions options = {}) {
    options.port = 0;
    return std::make_unique<Server>(options, source, store, clock);
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

TEST_F(ServerTest, RefusesConnectionsBeyondTheLimitWith503) {
  ServerOptions options;
  options.max_connections = 1;
  auto server = start(options);
  Client first(server->port());
  first.send(get("/healthz"));
  ASSERT_TRUE(first.read_response().starts_with("HTTP/1.1 200"));  // now surely accepted
  Client second(server->port());
  EXPECT_TRUE(second.read_response().starts_with("HTTP/1.1 503"));
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
