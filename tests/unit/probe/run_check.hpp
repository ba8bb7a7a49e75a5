#pragma once
// Runs one http check through HttpProbe on a private io_context, with the engine chosen.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "probe/http/http_probe.hpp"
#include "probe/http/lean_request.hpp"
#include "probe/http/settings.hpp"

namespace lk::test {

/// Settings as the config would give them for `url`.
inline probe::http::Settings http_settings(std::string url) {
  probe::http::Settings s;
  s.url = std::move(url);
  return s;
}

/// Runs the check to completion (the lean plan is built from the final settings on first use).
inline Observation run_http(probe::http::Engine engine, probe::http::Settings s,
                            Duration timeout = std::chrono::seconds{3}) {
  CheckSpec spec;
  spec.name = "test";
  spec.type = "http";
  spec.target = s.url;
  spec.timeout = timeout;
  spec.settings = std::make_shared<probe::http::Settings>(std::move(s));
  boost::asio::io_context io;
  SystemClock clock;
  probe::http::HttpProbe probe(io, clock, engine);
  Observation out;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        out = co_await probe.run(spec, clock.mono_now() + timeout);
        io.stop();  // curl may leave a housekeeping timer armed: do not wait for it
      },
      boost::asio::detached);
  io.run();
  return out;
}

inline Observation run_lean(probe::http::Settings s, Duration timeout = std::chrono::seconds{3}) {
  return run_http(probe::http::Engine::lean, std::move(s), timeout);
}
inline Observation run_curl(probe::http::Settings s, Duration timeout = std::chrono::seconds{3}) {
  return run_http(probe::http::Engine::curl, std::move(s), timeout);
}

/// "HTTP/1.1 200 OK" answers with a Content-Length body.
inline std::string answer(int status, std::string_view body, std::string_view extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(body);
}

}  // namespace lk::test
