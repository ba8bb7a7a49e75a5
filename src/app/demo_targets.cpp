#include "app/demo_targets.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>
#include <thread>

namespace lk::app {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

struct Reply {
  int status = 200;
  std::string content_type = "text/html";
  std::string body;
  Duration delay{};
  bool hang = false;  ///< never answer
};

std::string status_text(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

bool within(Duration elapsed, Duration cycle, Duration from, Duration to) {
  auto t = elapsed % cycle;
  return t >= from && t < to;
}

}  // namespace

struct DemoTargets::Impl {
  explicit Impl(const Clock& clock) : clock(clock), started(clock.mono_now()) {}
  const Clock& clock;
  MonoTime started;
  asio::io_context io{1};
  std::thread thread;
  std::uint64_t search_requests = 0;
  std::unique_ptr<tcp::acceptor> database;
  std::uint16_t database_port = 0;

  Duration elapsed() const { return clock.mono_now() - started; }

  Reply reply_for(const std::string& role) {
    auto t = elapsed();
    if (role == "website")
      return {200, "text/html", "<html><body>Welcome to the shop</body></html>", 8ms};
    if (role == "api") {
      if (within(t, 120s, 30s, 60s))
        return {500, "application/json", R"({"status":"down","error":"db pool exhausted"})"};
      return {200, "application/json", R"({"status":"up","version":"v2.4.1"})", 15ms};
    }
    if (role == "checkout") {
      if (within(t, 150s, 90s, 120s)) return {200, "text/html", "<html>checkout</html>", 1300ms};
      return {200, "text/html", "<html>checkout</html>", 40ms};
    }
    if (role == "search") {
      // An occasional single failure: soft, below the failure threshold, never an incident.
      if (++search_requests % 4 == 0) return {503, "text/plain", "busy"};
      return {200, "text/plain", "results: 42", 25ms};
    }
    if (role == "cdn") {
      if (within(t, 240s, 150s, 175s)) return {200, "", "", 0ms, true};
      return {200, "text/css", "body{}", 3ms};
    }
    return {404, "text/plain", "not found"};
  }

  asio::awaitable<void> session(tcp::socket socket, std::string role) {
    boost::system::error_code ec;
    asio::streambuf request(16 * 1024);
    co_await asio::async_read_until(socket, request, "\r\n\r\n",
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    if (role == "inbox") {
      co_await receive_alert(socket, request);
      co_return;
    }
    Reply r = reply_for(role);
    asio::steady_timer timer(io);
    if (r.hang) {
      // Hold the connection open without answering until the client gives up (or 60 s pass).
      timer.expires_after(60s);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      co_return;
    }
    if (r.delay > Duration::zero()) {
      timer.expires_after(r.delay);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    std::string response = "HTTP/1.1 " + std::to_string(r.status) + " " + status_text(r.status) +
                           "\r\nContent-Type: " + r.content_type +
                           "\r\nContent-Length: " + std::to_string(r.body.size()) +
                           "\r\nConnection: close\r\n\r\n" + r.body;
    co_await asio::async_write(socket, asio::buffer(response),
                               asio::redirect_error(asio::use_awaitable, ec));
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }

  /// The demo's stand-in for people's phones: takes a webhook POST to /<person> and prints what
  /// that person would read, with the ack link.
  asio::awaitable<void> receive_alert(tcp::socket& socket, asio::streambuf& request) {
    boost::system::error_code ec;
    std::string head(asio::buffers_begin(request.data()), asio::buffers_end(request.data()));
    const auto end_of_head = head.find("\r\n\r\n") + 4;
    std::size_t length = 0;
    for (std::string_view name : {"Content-Length:", "content-length:"})
      if (auto at = head.find(name); at != std::string::npos && at < end_of_head)
        length = std::strtoul(head.c_str() + at + name.size(), nullptr, 10);
    length = std::min<std::size_t>(length, 256 * 1024);
    std::string body = head.substr(end_of_head);
    request.consume(request.size());
    if (body.size() < length) {
      std::string rest(length - body.size(), '\0');
      co_await asio::async_read(socket, asio::buffer(rest),
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      body += rest;
    }
    std::string person = head.substr(head.find(' ') + 2);
    person = person.substr(0, person.find_first_of(" ?"));
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_object()) {
      std::string line = j.value("title", std::string("?"));
      if (auto note = j.value("note", std::string{}); !note.empty()) line += " -- " + note;
      if (auto ack = j.value("ack_url", std::string{}); !ack.empty()) line += " (ack: " + ack + ")";
      spdlog::info("demo inbox of {}: {}", person, line);
    }
    static constexpr std::string_view kOk =
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    co_await asio::async_write(socket, asio::buffer(kOk.data(), kOk.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }

  asio::awaitable<void> serve_http(std::shared_ptr<tcp::acceptor> acceptor, std::string role) {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket =
          co_await acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      asio::co_spawn(io, session(std::move(socket), role), asio::detached);
    }
  }

  std::uint16_t open_http(const std::string& role) {
    auto acceptor =
        std::make_shared<tcp::acceptor>(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    auto port = acceptor->local_endpoint().port();
    asio::co_spawn(io, serve_http(acceptor, role), asio::detached);
    return port;
  }

  /// The database port refuses connections for 30 s of every 180 s.
  asio::awaitable<void> database_schedule() {
    asio::steady_timer timer(io);
    for (;;) {
      bool down = within(elapsed(), 180s, 100s, 130s);
      if (down && database) {
        database.reset();
      } else if (!down && !database) {
        database = std::make_unique<tcp::acceptor>(io);
        tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), database_port);
        database->open(ep.protocol());
        database->set_option(tcp::acceptor::reuse_address(true));
        boost::system::error_code ec;
        database->bind(ep, ec);
        if (!ec) database->listen(128, ec);
        if (ec)
          database.reset();
        else
          accept_database();
      }
      timer.expires_after(500ms);
      boost::system::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  void accept_database() {
    if (!database) return;
    database->async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
      if (ec) return;
      boost::system::error_code ignored;
      socket.close(ignored);
      accept_database();
    });
  }
};

DemoTargets::DemoTargets(const Clock& clock) : impl_(std::make_unique<Impl>(clock)) {}

DemoTargets::~DemoTargets() {
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

DemoPorts DemoTargets::start() {
  DemoPorts p;
  p.website = impl_->open_http("website");
  p.api = impl_->open_http("api");
  p.checkout = impl_->open_http("checkout");
  p.search = impl_->open_http("search");
  p.cdn = impl_->open_http("cdn");
  p.inbox = impl_->open_http("inbox");
  {
    // Reserve a port for the database target, then let its schedule open and close it.
    tcp::acceptor probe(impl_->io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    impl_->database_port = probe.local_endpoint().port();
  }
  p.database = impl_->database_port;
  asio::co_spawn(impl_->io, impl_->database_schedule(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
  return p;
}

std::string demo_config(const DemoPorts& p, const std::string& listen, const std::string& storage,
                        const std::string& interval) {
  auto url = [](std::uint16_t port, const char* path) {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  };
  // The timeout may not exceed the interval.
  auto every = parse_duration(interval).value_or(std::chrono::seconds{5});
  std::string timeout = format_duration(std::min<Duration>(every, std::chrono::seconds{2}));
  std::string c;
  c += "# Built-in demo: loopback targets that fail and recover on a schedule.\n";
  c += "listen: \"" + listen + "\"\n";
  c += "storage: \"" + storage + "\"\n";
  c += "title: Lightkeeper demo\n";
  c += "public_url: \"http://" + listen + "\"\n";
  // Alerting: three people on a daily rotation in pairs; the demo inbox prints their messages.
  c += "notifiers:\n";
  for (const char* person : {"ana", "ben", "cleo"})
    c += "  - {name: " + std::string(person) + "-phone, type: webhook, url: \"" +
         url(p.inbox, "/") + person + "\"}\n";
  c += "people:\n";
  for (const char* person : {"ana", "ben", "cleo"})
    c += "  - {name: " + std::string(person) + ", notify: [" + person + "-phone]}\n";
  c += "schedules:\n"
       "  - name: ops\n"
       "    layers:\n"
       "      - {name: daily, members: [ana, ben, cleo], rotation: daily, handoff: \"09:00\", "
       "timezone: Europe/London, start: 2026-01-01, paired: true}\n";
  c += "escalations:\n"
       "  - name: standard\n"
       "    tiers:\n"
       "      - {after: 0s, notify: [\"oncall:ops\"]}\n"
       "      - {after: 15s, notify: [\"oncall:ops/secondary\"]}\n"
       "      - {after: 30s, notify: [\"team:ops\"]}\n";
  c += "routes:\n  - escalation: standard\n    group_wait: 5s\n";
  c += "checks:\n";
  auto check = [&](const std::string& name, const std::string& group, const std::string& body) {
    c += "  - name: " + name + "\n    group: " + group + "\n    interval: " + interval +
         "\n    timeout: " + timeout + "\n" + body;
  };
  check("website", "Shop",
        "    type: http\n    url: " + url(p.website, "/") +
            "\n    expect: [status == 200, body contains \"Welcome\"]\n"
            "    description: Home page; always up\n");
  check("checkout", "Shop",
        "    type: http\n    url: " + url(p.checkout, "/checkout") +
            "\n    expect: [status == 200]\n    warn: [latency < 1s]\n"
            "    description: Slow for 30 s of every 150 s (a warning, not an outage)\n");
  check(
      "search", "Shop",
      "    type: http\n    url: " + url(p.search, "/search?q=lamp") +
          "\n    description: One request in four fails; two in a row are needed for an outage\n");
  check("api", "API",
        "    type: http\n    url: " + url(p.api, "/health") +
            "\n    expect: [status == 200, json.status == \"up\", latency < 800ms]\n"
            "    depends_on: [database]\n"
            "    description: Answers 500 for 30 s of every 120 s\n");
  check("cdn", "Infrastructure",
        "    type: http\n    url: " + url(p.cdn, "/site.css") +
            "\n    description: Hangs for 25 s of every 240 s (timeouts)\n");
  check("database", "Infrastructure",
        "    type: tcp\n    target: 127.0.0.1:" + std::to_string(p.database) +
            "\n    description: Refuses connections for 30 s of every 180 s\n");
  // What clients see: services derived from the checks, on two pages (the whole demo, and one
  // client's page with its own colours). Search fails now and then on its own, and the
  // storefront is down only when both of its checks are.
  c += "components:\n"
       "  - {id: storefront, name: Storefront, group: Shop, checks: [website, search], rule: all}\n"
       "  - {id: checkout, name: Checkout, group: Shop, checks: [checkout]}\n"
       "  - {id: api, name: Public API, group: Developers, checks: [api]}\n"
       "  - {id: cdn, name: CDN, group: Infrastructure, checks: [cdn]}\n"
       "  - {id: database, name: Database, group: Infrastructure, checks: [database]}\n";
  c += "status_pages:\n"
       "  - slug: demo\n"
       "    title: Lightkeeper demo\n"
       "    description: Built-in targets that fail and recover on a schedule.\n"
       "    footer_links:\n"
       "      - {text: API, url: /api/v1/components}\n"
       "      - {text: Metrics, url: /metrics}\n"
       "  - slug: shop\n"
       "    title: Acme Shop status\n"
       "    components: [storefront, checkout]\n"
       "    colors: {accent: \"#6d28d9\"}\n";
  return c;
}

}  // namespace lk::app
