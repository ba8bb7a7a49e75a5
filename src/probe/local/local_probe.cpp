#include "probe/local/local_probe.hpp"

// g++ 12 wrongly reports -Wmismatched-new-delete on Asio coroutine frames (awaitable_frame_base
// has its own operator new/delete) at -O2 here.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <sys/statvfs.h>
#include <unistd.h>

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "probe/local/sntp.hpp"
#include "probe/local/system_facts.hpp"

namespace lk::probe::local {

namespace asio = boost::asio;
using asio::ip::udp;
using boost::system::error_code;

namespace {

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Observation failed(Layer layer, std::string message) {
  Observation obs;
  obs.failed_at = layer;
  obs.error = std::move(message);
  return obs;
}

std::string ms_text(Duration d, bool sign) {
  char buf[64];
  std::snprintf(buf, sizeof buf, sign ? "%+.3f ms" : "%.3f ms", to_ms(d));
  return buf;
}

/// statvfs on a thread of its own: on a hung network file system it blocks for good, and the
/// event loop must not. The thread hands its result back only while the check still waits.
struct StatvfsCall {
  std::mutex mutex;
  bool waiting = true;         // guarded by mutex; cleared by the check when it stops waiting
  asio::steady_timer* wake{};  // the check's timer, valid while `waiting` (io thread only)
  bool done = false;
  int error = 0;
  struct statvfs result {};
};

/// Clears `waiting` however the waiting coroutine ends (its frame may be destroyed at shutdown).
struct StopWaiting {
  std::shared_ptr<StatvfsCall> call;
  ~StopWaiting() {
    std::lock_guard lock(call->mutex);
    call->waiting = false;
  }
};

}  // namespace

asio::awaitable<Observation> LocalProbe::run(const CheckSpec& check, Deadline deadline) {
  const auto& s = check.settings_as<Settings>();
  const auto started_at = clock_.now();
  const auto started = clock_.mono_now();
  Observation obs;
  switch (s.what) {
    case What::disk:
      obs = co_await disk(s, check, deadline);
      break;
    case What::load: {
      auto text = read_file("/proc/loadavg");
      auto load = text ? parse_loadavg(*text) : std::nullopt;
      long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
      obs = load ? load_observation(*load, cpus > 0 ? static_cast<int>(cpus) : 1, s.per_cpu)
                 : failed(Layer::response,
                          text ? "cannot read the load from /proc/loadavg: \"" +
                                     text->substr(0, 60) + "\""
                               : "cannot read /proc/loadavg: " + std::string(std::strerror(errno)));
      break;
    }
    case What::memory: {
      auto text = read_file("/proc/meminfo");
      auto memory = text ? parse_meminfo(*text) : std::nullopt;
      obs = memory ? memory_observation(*memory)
                   : failed(Layer::response, text ? "no MemTotal in /proc/meminfo"
                                                  : "cannot read /proc/meminfo: " +
                                                        std::string(std::strerror(errno)));
      break;
    }
    case What::clock:
      obs = co_await clock(s, check, deadline);
      break;
  }
  obs.started_at = started_at;
  obs.timings.total = clock_.mono_now() - started;
  co_return obs;
}

asio::awaitable<Observation> LocalProbe::disk(const Settings& s, const CheckSpec& check,
                                              Deadline deadline) {
  auto call = std::make_shared<StatvfsCall>();
  StopWaiting stop{call};
  asio::steady_timer wake(io_);
  wake.expires_at(deadline);
  call->wake = &wake;
  std::thread([call, path = s.path, &io = io_] {
    struct statvfs result {};
    int rc = ::statvfs(path.c_str(), &result);
    int error = rc == 0 ? 0 : errno;
    std::lock_guard lock(call->mutex);
    if (!call->waiting) return;
    asio::post(io, [call, result, error] {
      if (call->done) return;
      call->done = true;
      call->error = error;
      call->result = result;
      if (call->waiting && call->wake) call->wake->cancel();
    });
  }).detach();

  error_code ec;
  while (!call->done) {
    co_await wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) break;  // the deadline
  }
  if (!call->done)
    co_return failed(
        Layer::timeout,
        timeout_message(check.timeout, "statvfs of " + s.path + " (a hung network file system?)"));
  if (call->error != 0)
    co_return failed(Layer::response,
                     "cannot measure " + s.path + ": " + std::strerror(call->error));
  const auto& r = call->result;
  const std::uint64_t unit = r.f_frsize ? r.f_frsize : r.f_bsize;
  DiskSpace space;
  space.size = std::uint64_t{r.f_blocks} * unit;
  space.free = std::uint64_t{r.f_bfree} * unit;
  space.available = std::uint64_t{r.f_bavail} * unit;
  space.inodes = r.f_files;
  space.inodes_free = r.f_ffree;
  co_return disk_observation(s.path, space);
}

asio::awaitable<Observation> LocalProbe::clock(const Settings& s, const CheckSpec& check,
                                               Deadline deadline) {
  Observation obs;
  const auto started = clock_.mono_now();
  const std::string where =
      (s.server_host.find(':') != std::string::npos ? "[" + s.server_host + "]" : s.server_host) +
      ":" + std::to_string(s.server_port);
  asio::steady_timer timer(io_);
  timer.expires_at(deadline);
  bool timed_out = false;
  udp::resolver resolver(io_);
  udp::socket socket(io_);
  timer.async_wait([&](const error_code& ec) {
    if (ec) return;
    timed_out = true;
    resolver.cancel();
    error_code ignored;
    socket.close(ignored);
  });
  std::string waiting_for = "DNS resolution of " + s.server_host;
  auto finish = [&](Layer layer, std::string message) {
    timer.cancel();
    obs.failed_at = timed_out ? Layer::timeout : layer;
    obs.error = timed_out ? timeout_message(check.timeout, waiting_for) : std::move(message);
    return obs;
  };

  error_code ec;
  udp::endpoint server;
  auto address = asio::ip::make_address(s.server_host, ec);
  if (!ec) {
    server = udp::endpoint(address, s.server_port);
  } else {
    auto found = co_await resolver.async_resolve(s.server_host, std::to_string(s.server_port),
                                                 asio::redirect_error(asio::use_awaitable, ec));
    if (ec || found.empty())
      co_return finish(Layer::dns, "DNS lookup of " + s.server_host + " failed: " +
                                       (ec ? ec.message() : std::string("no address")));
    server = found.begin()->endpoint();
    obs.timings.dns = clock_.mono_now() - started;
  }
  obs.peer = server.address().to_string() + ":" + std::to_string(server.port());

  // A connected socket hears only the server, and hears ICMP port unreachable as a refusal.
  waiting_for = "an SNTP reply from " + where;
  socket.open(server.protocol(), ec);
  if (!ec) socket.connect(server, ec);
  if (ec)
    co_return finish(Layer::connect, "cannot reach NTP server " + where + ": " + ec.message());
  const TimePoint t1 = clock_.now();
  const sntp::Timestamp sent = sntp::to_ntp(t1);
  const auto request = sntp::encode_request(sent);
  co_await socket.async_send(asio::buffer(request), asio::redirect_error(asio::use_awaitable, ec));
  if (ec)
    co_return finish(Layer::send, "sending to NTP server " + where + " failed: " + ec.message());
  std::array<std::uint8_t, 1024> buffer{};
  std::size_t n = co_await socket.async_receive(asio::buffer(buffer),
                                                asio::redirect_error(asio::use_awaitable, ec));
  const TimePoint t4 = clock_.now();
  if (ec == asio::error::connection_refused)
    co_return finish(Layer::connect, "NTP server " + where + " refused (nothing listens there)");
  if (ec)
    co_return finish(Layer::response, "no reply from NTP server " + where + ": " + ec.message());
  obs.timings.first_byte = clock_.mono_now() - started;
  auto decoded = sntp::decode_reply(std::span<const std::uint8_t>(buffer.data(), n));
  if (auto* why = std::get_if<std::string>(&decoded))
    co_return finish(Layer::response, "answer from " + where + " is not an SNTP reply: " + *why);
  const auto& reply = std::get<sntp::Reply>(decoded);
  if (auto why = sntp::unusable(reply, sent); !why.empty())
    co_return finish(Layer::response, "NTP server " + where + ": " + why);
  timer.cancel();

  const auto m = sntp::measure(t1, reply, t4);
  obs.metrics = {
      {"offset", to_ms(m.offset), "ms"},
      {"abs_offset", std::fabs(to_ms(m.offset)), "ms"},
      {"rtt", to_ms(m.round_trip), "ms"},
      {"stratum", static_cast<double>(reply.stratum), ""},
  };
  obs.verdict = OwnVerdict{Status::ok, "clock offset " + ms_text(m.offset, true) + " against " +
                                           where + " (stratum " + std::to_string(reply.stratum) +
                                           ", round trip " + ms_text(m.round_trip, false) + ")"};
  co_return obs;
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  return std::make_unique<LocalProbe>(io, clock);
}

}  // namespace lk::probe::local
