#include "probe/dns/dns_probe.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <limits>

namespace lk::probe::dns {

namespace asio = boost::asio;

namespace {

std::optional<ServerAddress> literal_address(const std::string& host, std::uint16_t port) {
  ServerAddress a;
  a.port = port;
  if (inet_pton(AF_INET, host.c_str(), a.bytes) == 1) {
    a.family = AF_INET;
    return a;
  }
  if (inet_pton(AF_INET6, host.c_str(), a.bytes) == 1) {
    a.family = AF_INET6;
    return a;
  }
  return std::nullopt;
}

std::string channel_key(const ChannelConfig& c) {
  return (c.server ? c.server->text() : std::string("system")) + (c.tcp_only ? "/tcp" : "/udp") +
         (c.raw_answers ? "/raw/" : "/lookup/") + std::to_string(c.timeout.count());
}

bool truncated(const std::vector<std::uint8_t>& answer) {
  return answer.size() >= 4 && (answer[2] & 0x02) != 0;
}

/// How a failed exchange reads: the layer and a message naming the server.
void describe_failure(Observation& obs, const Exchange& x, const std::string& server,
                      std::string_view transport, Duration budget) {
  const SocketNote& note = x.socket_note;
  using Kind = SocketNote::Kind;
  if (x.outcome == Exchange::Outcome::garbage) {
    obs.failed_at = Layer::response;
    obs.error = note.text;
    return;
  }
  if (x.outcome == Exchange::Outcome::timed_out || x.status == ARES_ETIMEOUT) {
    obs.failed_at = Layer::timeout;
    obs.error = timeout_message(budget, std::string("an answer from DNS server ") + server +
                                            " over " + std::string(transport));
    if (note.kind != Kind::none) obs.error += "; " + note.text;
    return;
  }
  switch (note.kind) {
    case Kind::garbage:
    case Kind::closed_midway:
    case Kind::closed_early:
      obs.failed_at = Layer::response;
      obs.error = note.text;
      return;
    case Kind::refused:
    case Kind::failed:
      obs.failed_at = Layer::connect;
      obs.error = note.text;
      return;
    case Kind::none:
      break;
  }
  if (x.status == ARES_ECONNREFUSED) {
    obs.failed_at = Layer::connect;
    obs.error = "DNS server " + server + " refused the query over " + std::string(transport);
  } else if (x.status == ARES_EDESTRUCTION || x.status == ARES_ECANCELLED) {
    obs.failed_at = Layer::internal;
    obs.error = "the DNS query to " + server + " was cancelled (shutting down)";
  } else {
    obs.failed_at = Layer::dns;
    obs.error = "DNS query to " + server + " over " + std::string(transport) +
                " failed: " + ares_strerror(x.status);
  }
}

}  // namespace

AresChannel* DnsProbe::channel(const ChannelConfig& config, std::string& error) {
  std::string key = channel_key(config);
  if (auto it = channels_.find(key); it != channels_.end()) return it->second.get();
  auto made = AresChannel::create(io_, config, error);
  if (!made) return nullptr;
  return channels_.emplace(std::move(key), std::move(made)).first->second.get();
}

asio::awaitable<Observation> DnsProbe::run(const CheckSpec& check, Deadline deadline) {
  const auto& s = check.settings_as<Settings>();
  Observation obs;
  obs.started_at = clock_.now();
  const auto started = clock_.mono_now();
  const auto finish = [&] { obs.timings.total = clock_.mono_now() - started; };
  const Duration budget = check.timeout;  // what the user set, for messages
  ChannelConfig config;
  config.timeout = std::max(std::chrono::milliseconds(1),
                            std::chrono::duration_cast<std::chrono::milliseconds>(budget));
  std::string error;

  // Where to ask: an address as written, a host name looked up first, or the system resolver.
  if (!s.server_host.empty()) {
    config.server = literal_address(s.server_host, s.port);
    if (!config.server) {
      ChannelConfig lookup_config{std::nullopt, false, false, config.timeout};
      AresChannel* lookup = channel(lookup_config, error);
      if (!lookup) {
        obs.failed_at = Layer::internal;
        obs.error = error;
        finish();
        co_return obs;
      }
      Exchange found = co_await lookup->lookup(s.server_host, s.port, deadline);
      if (found.outcome == Exchange::Outcome::timed_out) {
        obs.failed_at = Layer::timeout;
        obs.error = timeout_message(budget, "the address of DNS server " + s.server_host);
        finish();
        co_return obs;
      }
      if (found.outcome != Exchange::Outcome::answered || !found.address) {
        obs.failed_at = Layer::dns;
        obs.error = "cannot find the address of DNS server " + s.server_host + ": " +
                    ares_strerror(found.status);
        finish();
        co_return obs;
      }
      config.server = found.address;
      obs.timings.dns = clock_.mono_now() - started;
    }
  }

  std::string server;
  bool over_tcp = s.force_tcp;
  bool udp_truncated = false;
  Exchange x;
  for (;;) {
    config.tcp_only = over_tcp;
    AresChannel* ask = channel(config, error);
    if (!ask) {
      obs.failed_at = Layer::internal;
      obs.error = error;
      finish();
      co_return obs;
    }
    if (config.server) {
      server = config.server->text();
    } else {
      auto servers = ask->servers();
      server = servers.empty() ? "the system resolver" : servers.front();
      if (servers.size() > 1) server += " (system resolver)";
    }
    obs.peer = config.server ? config.server->text() : server.substr(0, server.find(' '));
    x = co_await ask->ask(s.query_packet, deadline);
    // A truncated UDP answer is asked again over TCP, as resolvers do (RFC 7766).
    if (!over_tcp && x.outcome == Exchange::Outcome::answered && truncated(x.answer)) {
      over_tcp = true;
      udp_truncated = true;
      continue;
    }
    break;
  }
  finish();
  const std::string_view transport = over_tcp ? "TCP" : "UDP";
  if (x.outcome != Exchange::Outcome::answered) {
    describe_failure(obs, x, server, transport, budget);
    co_return obs;
  }

  auto parsed = parse_message(x.answer);
  if (auto* bad = std::get_if<WireError>(&parsed)) {
    obs.failed_at = Layer::response;
    obs.error = "DNS server " + server + " sent a bad answer over " + std::string(transport) +
                ": " + bad->message;
    co_return obs;
  }
  const Message& answer = std::get<Message>(parsed);
  if (!answer.response) {
    obs.failed_at = Layer::response;
    obs.error = "DNS server " + server + " sent back a query, not an answer (QR flag clear)";
    co_return obs;
  }

  obs.timings.first_byte = obs.timings.total;
  obs.headers.emplace_back("content-type", "application/json");
  obs.body = answer_json(answer, s, server, over_tcp, udp_truncated);
  std::size_t of_type = 0;
  std::uint32_t min_ttl = std::numeric_limits<std::uint32_t>::max();
  for (const Record& r : answer.answers) {
    min_ttl = std::min(min_ttl, r.ttl);
    if (r.type == s.record_type) ++of_type;
  }
  obs.metrics.push_back({"latency", to_ms(*obs.timings.total), "ms"});
  obs.metrics.push_back({"answers", static_cast<double>(of_type), ""});
  if (!answer.answers.empty()) obs.metrics.push_back({"ttl", static_cast<double>(min_ttl), "s"});

  obs.verdict = OwnVerdict{Status::ok, answer_summary(answer, s, *obs.timings.total, over_tcp)};

  // Without `expect:`, a DNS check asks what a user's resolver would need: the name exists and
  // has records of the type. Conditions of the user's own replace this rule, so that a check
  // can expect NXDOMAIN, or an empty answer.
  if (s.default_expectations) {
    const std::string asked = s.query + " " + type_name(s.record_type);
    if (answer.rcode != rcode::noerror) {
      obs.failed_at = Layer::dns;
      obs.error = "DNS server " + server + " answered " + rcode_name(answer.rcode) + " for " +
                  asked + " (expected NOERROR)";
    } else if (of_type == 0) {
      obs.failed_at = Layer::dns;
      obs.error = "DNS server " + server + " answered NOERROR with no " + type_name(s.record_type) +
                  " record for " + s.query + " (expected at least one)";
    }
  }
  co_return obs;
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  return std::make_unique<DnsProbe>(io, clock);
}

}  // namespace lk::probe::dns
