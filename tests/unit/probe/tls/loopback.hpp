#pragma once
// A one-connection server on 127.0.0.1 that runs a script on the io_context of the test, and a
// way to run a client coroutine there to completion. Used by the tls and mail unit tests.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lk::test {

namespace asio = boost::asio;
using asio::ip::tcp;

/// What the script does with the accepted socket.
using Script = std::function<asio::awaitable<void>(tcp::socket&)>;

class LoopbackServer {
 public:
  LoopbackServer(asio::io_context& io, Script script)
      : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        script_(std::move(script)) {
    asio::co_spawn(
        io,
        [this]() -> asio::awaitable<void> {
          boost::system::error_code ec;
          tcp::socket socket =
              co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
          if (ec) co_return;
          co_await script_(socket);
        },
        asio::detached);
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  tcp::acceptor acceptor_;
  Script script_;
};

/// Writes `text` (ignoring errors: the client may be gone). A view, copied at once: g++ 12
/// mishandles temporaries with destructors in co_await expressions, so callers pass literals.
inline asio::awaitable<void> send(tcp::socket& socket, std::string_view text) {
  const std::string copy(text);
  boost::system::error_code ec;
  co_await asio::async_write(socket, asio::buffer(copy),
                             asio::redirect_error(asio::use_awaitable, ec));
}

/// Reads one line (up to '\n', CR LF removed); empty at EOF.
inline asio::awaitable<std::string> receive_line(tcp::socket& socket, std::string& buffer) {
  boost::system::error_code ec;
  auto n = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer), '\n',
                                           asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return std::string();
  std::string line = buffer.substr(0, n);
  buffer.erase(0, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  co_return line;
}

/// Holds the connection open and silent for `how_long`.
inline asio::awaitable<void> stay_silent(tcp::socket& socket, std::chrono::milliseconds how_long) {
  asio::steady_timer timer(socket.get_executor());
  timer.expires_after(how_long);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

/// Runs `client` on `io` until it finishes, then stops the loop (servers left waiting end too).
inline void run_client(asio::io_context& io, std::function<asio::awaitable<void>()> client) {
  asio::co_spawn(
      io,
      [&io, client = std::move(client)]() -> asio::awaitable<void> {
        co_await client();
        io.stop();
      },
      asio::detached);
  io.run();
}

}  // namespace lk::test
