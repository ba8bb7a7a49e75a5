#pragma once
// Redis checks: connect, optional AUTH, PING, INFO replication; spoken in RESP over an Asio
// socket (no client library).

#include <boost/asio/io_context.hpp>
#include <memory>
#include <span>
#include <string>

#include "config/fields.hpp"
#include "probe/address.hpp"
#include "probe/probe.hpp"

namespace lk::probe::redis {

struct Settings final : ProbeSettings {
  Address address;
  std::string username;      ///< empty: AUTH with the password only (the default user)
  std::string password;      ///< empty: no AUTH
  int database = 0;          ///< SELECTed before PING when not 0
  bool replication = false;  ///< a replica whose link to its master is down fails
};

std::span<const config::Option> options();
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);
/// redis://[[user]:password@]host[:port][/db] for `lightkeeper check`.
UrlFields from_url(std::string_view url);

class RedisProbe final : public Probe {
 public:
  RedisProbe(boost::asio::io_context& io, const Clock& clock) : io_(io), clock_(clock) {}
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override;

 private:
  boost::asio::io_context& io_;
  const Clock& clock_;
};

std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::redis
