#pragma once
// ICMP echo ("ping") checks over IPv4 and IPv6: unprivileged datagram ICMP sockets where
// net.ipv4.ping_group_range allows them, raw sockets otherwise (root or CAP_NET_RAW).

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "probe/icmp/packet.hpp"
#include "probe/icmp/settings.hpp"
#include "probe/probe.hpp"

namespace lk::probe::icmp {

struct IcmpSocket {
  int fd = -1;       ///< non-blocking, close-on-exec; -1 with `error` set when none could be had
  bool raw = false;  ///< a raw socket (IPv4: replies come with their IP header)
  std::string error;
};

/// A datagram ICMP socket, or a raw one when those are not permitted; the error names the
/// sysctl and the capability when neither is.
IcmpSocket open_icmp_socket(Family family);

class IcmpProbe final : public Probe {
 public:
  IcmpProbe(boost::asio::io_context& io, const Clock& clock, std::uint64_t seed)
      : io_(io), clock_(clock), random_(seed) {}
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override;

 private:
  boost::asio::io_context& io_;
  const Clock& clock_;
  std::mt19937_64 random_;  ///< echo identifiers and payload cookies
};

std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::icmp
