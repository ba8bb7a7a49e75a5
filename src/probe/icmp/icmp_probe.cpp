#include "probe/icmp/icmp_probe.hpp"

#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "probe/icmp/tally.hpp"

namespace lk::probe::icmp {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

std::string ping_group_range() {
  std::ifstream in("/proc/sys/net/ipv4/ping_group_range");
  std::string low, high;
  if (!(in >> low >> high)) return "unknown";
  return low + " " + high;
}

/// Everything one run shares with its receive handler, which may outlive the run's frame.
struct Session {
  Session(asio::io_context& io, int fd) : socket(io, fd) {}
  asio::posix::stream_descriptor socket;
  bool active = true;                  ///< false once the run stopped listening
  asio::steady_timer* wake = nullptr;  ///< the run's timer, valid while `active`
  const Clock* clock = nullptr;
  Family family = Family::v4;
  bool raw = false;
  std::uint16_t id = 0;  ///< raw sockets only: datagram sockets get theirs from the kernel
  std::uint64_t cookie = 0;
  std::size_t payload_size = 0;
  std::vector<std::optional<MonoTime>> sent_at;
  std::vector<bool> answered;
  bool all_sent = false;  ///< every request has gone out (or failed to)
  EchoTally tally;
  std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(65536 + 128);
};

void on_datagram(Session& s, std::span<const std::uint8_t> data, const sockaddr_storage& from) {
  auto got = parse(s.family, s.raw && s.family == Family::v4, data, s.cookie, s.payload_size);
  if (!got) return;
  if (s.raw && got->id != s.id) return;  // another run's packet on a shared raw view
  if (got->seq >= s.sent_at.size() || !s.sent_at[got->seq]) return;
  if (got->kind == Received::Kind::error) {
    char text[INET6_ADDRSTRLEN] = "";
    if (from.ss_family == AF_INET)
      ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(from).sin_addr, text, sizeof text);
    else if (from.ss_family == AF_INET6)
      ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(from).sin6_addr, text,
                  sizeof text);
    s.tally.icmp_error = got->error;
    s.tally.icmp_error_from = text;
    return;
  }
  if (s.answered[got->seq]) return;  // a duplicate
  s.answered[got->seq] = true;
  s.tally.rtts.push_back(s.clock->mono_now() - *s.sent_at[got->seq]);
}

void receive(const std::shared_ptr<Session>& session) {
  session->socket.async_wait(
      asio::posix::stream_descriptor::wait_read, [session](const error_code& ec) {
        Session& s = *session;
        if (ec || !s.active) return;
        for (int i = 0; i < 1000; ++i) {  // drain what is queued, bounded
          sockaddr_storage from{};
          socklen_t from_length = sizeof from;
          ssize_t n = ::recvfrom(s.socket.native_handle(), s.buffer.data(), s.buffer.size(), 0,
                                 reinterpret_cast<sockaddr*>(&from), &from_length);
          if (n < 0) break;  // EAGAIN, or an error datagram sockets report: counted as loss
          on_datagram(
              s, std::span<const std::uint8_t>(s.buffer.data(), static_cast<std::size_t>(n)), from);
        }
        if (s.all_sent && static_cast<int>(s.tally.rtts.size()) >= s.tally.sent && s.wake)
          s.wake->cancel();
        receive(session);
      });
}

}  // namespace

IcmpSocket open_icmp_socket(Family family) {
  const int domain = family == Family::v4 ? AF_INET : AF_INET6;
  const int protocol = family == Family::v4 ? int{IPPROTO_ICMP} : int{IPPROTO_ICMPV6};
  IcmpSocket out;
  out.fd = ::socket(domain, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (out.fd >= 0) return out;
  const int dgram_error = errno;
  out.fd = ::socket(domain, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (out.fd >= 0) {
    out.raw = true;
    if (family == Family::v6) {
      // Only what concerns echo: replies and the errors that quote our requests.
      icmp6_filter filter;
      ICMP6_FILTER_SETBLOCKALL(&filter);
      ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
      ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &filter);
      ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &filter);
      ::setsockopt(out.fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter);
    }
    return out;
  }
  const int raw_error = errno;
  if ((dgram_error == EACCES || dgram_error == EPERM) &&
      (raw_error == EPERM || raw_error == EACCES)) {
    out.error = "ICMP sockets are not permitted: group " + std::to_string(::getegid()) +
                " is outside net.ipv4.ping_group_range (now \"" + ping_group_range() +
                "\") and the process lacks CAP_NET_RAW; allow unprivileged ping with e.g. "
                "sysctl -w net.ipv4.ping_group_range=\"0 2147483647\", or grant CAP_NET_RAW "
                "(setcap cap_net_raw+ep on the binary, or AmbientCapabilities in the unit)";
  } else {
    out.error = std::string("cannot open an ICMP") + (family == Family::v6 ? "v6" : "") +
                " socket: " + std::strerror(dgram_error) + " (datagram), " +
                std::strerror(raw_error) + " (raw)";
  }
  return out;
}

asio::awaitable<Observation> IcmpProbe::run(const CheckSpec& check, Deadline deadline) {
  const auto& s = check.settings_as<Settings>();
  Observation obs;
  obs.started_at = clock_.now();
  const auto started = clock_.mono_now();
  auto finish = [&](Observation o) {
    o.started_at = obs.started_at;
    o.peer = obs.peer;
    o.timings.dns = obs.timings.dns;
    o.timings.total = clock_.mono_now() - started;
    return o;
  };
  auto failure = [&](Layer layer, std::string message) {
    Observation o;
    o.failed_at = layer;
    o.error = std::move(message);
    return finish(std::move(o));
  };

  asio::steady_timer timer(io_);
  error_code ec;
  asio::ip::address address = asio::ip::make_address(s.host, ec);
  if (ec) {
    asio::ip::udp::resolver resolver(io_);
    bool timed_out = false;
    timer.expires_at(deadline);
    timer.async_wait([&](const error_code& e) {
      if (e) return;
      timed_out = true;
      resolver.cancel();
    });
    auto found =
        co_await resolver.async_resolve(s.host, "", asio::redirect_error(asio::use_awaitable, ec));
    timer.cancel();
    if (timed_out)
      co_return failure(Layer::timeout,
                        timeout_message(check.timeout, "DNS resolution of " + s.host));
    if (ec || found.empty())
      co_return failure(Layer::dns, "DNS lookup of " + s.host + " failed: " +
                                        (ec ? ec.message() : std::string("no address")));
    address = found.begin()->endpoint().address();
    obs.timings.dns = clock_.mono_now() - started;
  }
  obs.peer = address.to_string();
  const Family family = address.is_v4() ? Family::v4 : Family::v6;

  IcmpSocket opened = open_icmp_socket(family);
  if (opened.fd < 0) {
    // Not the host's fault: the check cannot tell whether it is up.
    Observation o;
    o.verdict = OwnVerdict{Status::unknown, opened.error};
    co_return finish(std::move(o));
  }
  auto session = std::make_shared<Session>(io_, opened.fd);
  session->clock = &clock_;
  session->family = family;
  session->raw = opened.raw;
  session->id = static_cast<std::uint16_t>(random_());
  session->cookie = random_();
  session->payload_size = s.size;
  session->sent_at.resize(static_cast<std::size_t>(s.count));
  session->answered.resize(static_cast<std::size_t>(s.count));
  session->tally.host = obs.peer;
  session->tally.requested = s.count;
  session->wake = &timer;
  receive(session);

  sockaddr_storage to{};
  socklen_t to_length = 0;
  if (family == Family::v4) {
    auto& a = reinterpret_cast<sockaddr_in&>(to);
    a.sin_family = AF_INET;
    auto bytes = address.to_v4().to_bytes();
    std::memcpy(&a.sin_addr, bytes.data(), bytes.size());
    to_length = sizeof(sockaddr_in);
  } else {
    auto& a = reinterpret_cast<sockaddr_in6&>(to);
    a.sin6_family = AF_INET6;
    auto v6 = address.to_v6();
    auto bytes = v6.to_bytes();
    std::memcpy(&a.sin6_addr, bytes.data(), bytes.size());
    a.sin6_scope_id = static_cast<std::uint32_t>(v6.scope_id());
    to_length = sizeof(sockaddr_in6);
  }

  // Requests go out on a fixed grid from the start; replies arrive meanwhile through the
  // receive handler, which also ends the wait below once every request is answered.
  const MonoTime first_send = clock_.mono_now();
  MonoTime last_send = first_send;
  bool past_deadline = false;
  for (int seq = 0; seq < s.count && !past_deadline; ++seq) {
    const MonoTime due = first_send + seq * s.interval;
    while (clock_.mono_now() < due) {
      timer.expires_at(std::min(due, deadline));
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (clock_.mono_now() >= deadline) {
        past_deadline = true;
        break;
      }
    }
    if (past_deadline) break;
    auto packet =
        echo_request(family, session->id, static_cast<std::uint16_t>(seq), s.size, session->cookie);
    last_send = clock_.mono_now();
    ssize_t n = ::sendto(opened.fd, packet.data(), packet.size(), 0,
                         reinterpret_cast<const sockaddr*>(&to), to_length);
    if (n < 0) {
      session->tally.send_error = std::strerror(errno);
      continue;
    }
    session->sent_at[static_cast<std::size_t>(seq)] = last_send;
    ++session->tally.sent;
  }
  session->all_sent = true;
  const MonoTime end = std::min(deadline, last_send + s.reply_timeout);
  while (static_cast<int>(session->tally.rtts.size()) < session->tally.sent &&
         clock_.mono_now() < end) {
    timer.expires_at(end);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  session->active = false;
  session->wake = nullptr;
  error_code ignored;
  session->socket.close(ignored);
  co_return finish(echo_observation(session->tally, s.reply_timeout));
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  return std::make_unique<IcmpProbe>(io, clock, std::random_device{}());
}

}  // namespace lk::probe::icmp
