#pragma once
// DNS checks: one query to a given server (or the system resolver) through c-ares on the
// shard's event loop, over UDP and again over TCP when the answer comes back truncated. The
// answer is parsed from its raw bytes and shown to conditions as a JSON document (json.rcode,
// json.answers ...) and as metrics (metric.ttl, metric.answers).

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <string>

#include "probe/dns/ares_channel.hpp"
#include "probe/dns/settings.hpp"
#include "probe/dns/wire.hpp"
#include "probe/probe.hpp"

namespace lk::probe::dns {

/// The JSON document conditions read (see the `query` option's help), from a parsed answer.
std::string answer_json(const Message& answer, const Settings& s, std::string_view server,
                        bool over_tcp, bool udp_truncated);

/// The one-line summary of an answer that judged ok: "NOERROR: 192.0.2.1, 192.0.2.2 (A, TTL 300s)
/// in 2ms".
std::string answer_summary(const Message& answer, const Settings& s, Duration took, bool over_tcp);

class DnsProbe final : public Probe {
 public:
  DnsProbe(boost::asio::io_context& io, const Clock& clock) : io_(io), clock_(clock) {}
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override;

 private:
  /// The shard's channel for this way of asking, made on first use and kept.
  AresChannel* channel(const ChannelConfig& config, std::string& error);

  boost::asio::io_context& io_;
  const Clock& clock_;
  std::map<std::string, std::unique_ptr<AresChannel>> channels_;
};

/// Makes a dns probe for a shard.
std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::dns
