#pragma once
// Checks of the machine Lightkeeper runs on: disk space and inodes (statvfs), load average
// (/proc/loadavg), memory (/proc/meminfo), and the clock's offset against an NTP server (SNTP).

#include <boost/asio/io_context.hpp>
#include <memory>

#include "probe/local/settings.hpp"
#include "probe/probe.hpp"

namespace lk::probe::local {

class LocalProbe final : public Probe {
 public:
  LocalProbe(boost::asio::io_context& io, const Clock& clock) : io_(io), clock_(clock) {}
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override;

 private:
  boost::asio::awaitable<Observation> disk(const Settings& s, const CheckSpec& check,
                                           Deadline deadline);
  boost::asio::awaitable<Observation> clock(const Settings& s, const CheckSpec& check,
                                            Deadline deadline);

  boost::asio::io_context& io_;
  const Clock& clock_;
};

std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::local
