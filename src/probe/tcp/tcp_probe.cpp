#include "probe/tcp/tcp_probe.hpp"

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

namespace lk::probe::tcp {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::array kOptions{
    config::Option{"target", "string", "", "host:port to connect to ([v6-address]:port for IPv6).",
                   true},
};

}  // namespace

std::span<const config::Option> options() {
  return kOptions;
}

std::optional<std::pair<std::string, std::uint16_t>> split_host_port(std::string_view text,
                                                                     bool allow_port_zero) {
  std::string_view host, port;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || ec != std::errc{} || end != port.data() + port.size() ||
      (value == 0 && !allow_port_zero) || value > 65535)
    return std::nullopt;
  return std::pair{std::string(host), static_cast<std::uint16_t>(value)};
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  auto target = fields.string("target");
  if (fields.has("target")) {
    if (auto hp = split_host_port(target)) {
      s->host = hp->first;
      s->port = hp->second;
    } else {
      fields.error("target", "expected host:port (e.g. db.example:5432 or [::1]:5432), got \"" +
                                 target + "\"");
    }
  }
  spec.target = target;
  return s;
}

asio::awaitable<Observation> TcpProbe::run(const CheckSpec& check, Deadline deadline) {
  const auto& s = check.settings_as<Settings>();
  Observation obs;
  obs.started_at = clock_.now();
  const auto started = clock_.mono_now();
  const Duration budget = check.timeout;  // what the user set, for the message
  const std::string where = s.host + ":" + std::to_string(s.port);

  // One timer bounds the whole check: when it fires it cancels whatever is pending.
  asio::steady_timer timer(io_);
  timer.expires_at(deadline);
  bool timed_out = false;
  tcp::resolver resolver(io_);
  tcp::socket socket(io_);
  std::string phase = "DNS resolution of " + s.host;
  timer.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;
    timed_out = true;
    resolver.cancel();
    boost::system::error_code ignored;
    socket.close(ignored);
  });

  boost::system::error_code ec;
  boost::system::error_code ip_ec;
  auto address = asio::ip::make_address(s.host, ip_ec);
  tcp::resolver::results_type endpoints;
  if (!ip_ec) {
    endpoints = tcp::resolver::results_type::create(tcp::endpoint(address, s.port), s.host,
                                                    std::to_string(s.port));
  } else {
    endpoints = co_await resolver.async_resolve(s.host, std::to_string(s.port),
                                                asio::redirect_error(asio::use_awaitable, ec));
    if (!timed_out && ec) {
      timer.cancel();
      obs.failed_at = Layer::dns;
      obs.error = "DNS lookup of " + s.host + " failed: " + ec.message();
      obs.timings.total = clock_.mono_now() - started;
      co_return obs;
    }
    obs.timings.dns = clock_.mono_now() - started;
  }

  if (!timed_out) {
    phase = "TCP connect to " + where;
    for (const auto& entry : endpoints) {
      if (timed_out) break;
      boost::system::error_code close_ec;
      socket.close(close_ec);
      co_await socket.async_connect(entry.endpoint(),
                                    asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) {
        obs.peer = entry.endpoint().address().to_string() + ":" + std::to_string(s.port);
        break;
      }
    }
  }
  timer.cancel();
  obs.timings.total = clock_.mono_now() - started;
  if (timed_out) {
    obs.failed_at = Layer::timeout;
    obs.error = timeout_message(budget, phase);
  } else if (ec == asio::error::connection_refused) {
    obs.failed_at = Layer::connect;
    obs.error = "connect to " + where + " refused";
  } else if (ec) {
    obs.failed_at = Layer::connect;
    obs.error = "connect to " + where + " failed: " + ec.message();
  } else {
    obs.timings.connect = obs.timings.total;
    obs.metrics.push_back({"latency", to_ms(*obs.timings.total), "ms"});
  }
  boost::system::error_code ignored;
  socket.close(ignored);
  co_return obs;
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  return std::make_unique<TcpProbe>(io, clock);
}

}  // namespace lk::probe::tcp
