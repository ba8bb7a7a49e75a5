#pragma once
// TCP connect checks: resolve, connect, close.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <span>
#include <string>

#include "config/fields.hpp"
#include "probe/probe.hpp"

namespace lk::probe::tcp {

struct Settings final : ProbeSettings {
  std::string host;
  std::uint16_t port = 0;
};

std::span<const config::Option> options();
/// Reads `target: host:port` (IPv6 as [::1]:port); sets spec.target.
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);

/// Splits "host:port" / "[v6]:port"; nullopt when malformed. Port 0 only when `allow_port_zero`
/// (a listen address that asks for a free port).
std::optional<std::pair<std::string, std::uint16_t>> split_host_port(std::string_view text,
                                                                     bool allow_port_zero = false);

class TcpProbe final : public Probe {
 public:
  TcpProbe(boost::asio::io_context& io, const Clock& clock) : io_(io), clock_(clock) {}
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override;

 private:
  boost::asio::io_context& io_;
  const Clock& clock_;
};

std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::tcp
