#include "app/kinds.hpp"

#include <array>

#include "probe/command/command_probe.hpp"
#include "probe/dns/dns_probe.hpp"
#include "probe/http/http_probe.hpp"
#include "probe/http/settings.hpp"
#include "probe/icmp/icmp_probe.hpp"
#include "probe/local/local_probe.hpp"
#include "probe/mail/mail_probe.hpp"
#include "probe/redis/redis_probe.hpp"
#include "probe/sql/mysql_probe.hpp"
#include "probe/sql/postgres_probe.hpp"
#include "probe/tcp/tcp_probe.hpp"
#include "probe/tls/tls_probe.hpp"
#include "state/heartbeat/settings.hpp"

namespace lk::app {

namespace {

constexpr std::array<std::string_view, 2> kHttpSchemes{"http", "https"};
constexpr std::array<std::string_view, 1> kTcpSchemes{"tcp"};
constexpr std::array<std::string_view, 1> kDnsSchemes{"dns"};
constexpr std::array<std::string_view, 1> kTlsSchemes{"tls"};
constexpr std::array<std::string_view, 2> kSmtpSchemes{"smtp", "smtps"};
constexpr std::array<std::string_view, 2> kImapSchemes{"imap", "imaps"};
constexpr std::array<std::string_view, 2> kPop3Schemes{"pop3", "pop3s"};
constexpr std::array<std::string_view, 1> kCommandSchemes{"command"};
constexpr std::array<std::string_view, 1> kLocalSchemes{"local"};
constexpr std::array<std::string_view, 1> kIcmpSchemes{"icmp"};
constexpr std::array<std::string_view, 1> kRedisSchemes{"redis"};
constexpr std::array<std::string_view, 2> kPostgresSchemes{"postgres", "postgresql"};
constexpr std::array<std::string_view, 2> kMysqlSchemes{"mysql", "mariadb"};

const std::array kKinds{
    ProbeKind{"http", kHttpSchemes, "url", false, &probe::http::options, &probe::http::parse,
              &probe::http::make_probe},
    ProbeKind{"tcp", kTcpSchemes, "target", true, &probe::tcp::options, &probe::tcp::parse,
              &probe::tcp::make_probe},
    ProbeKind{"tls", kTlsSchemes, "target", true, &probe::tls::options, &probe::tls::parse,
              &probe::tls::make_probe, &probe::tls::from_url},
    ProbeKind{"smtp", kSmtpSchemes, "target", true, &probe::mail::smtp::options,
              &probe::mail::smtp::parse, &probe::mail::make_probe, &probe::mail::smtp::from_url},
    ProbeKind{"imap", kImapSchemes, "target", true, &probe::mail::imap::options,
              &probe::mail::imap::parse, &probe::mail::make_probe, &probe::mail::imap::from_url},
    ProbeKind{"pop3", kPop3Schemes, "target", true, &probe::mail::pop3::options,
              &probe::mail::pop3::parse, &probe::mail::make_probe, &probe::mail::pop3::from_url},
    ProbeKind{"command", kCommandSchemes, "command", false, &probe::command::options,
              &probe::command::parse, &probe::command::make_probe, &probe::command::from_url},
    ProbeKind{"local", kLocalSchemes, "check", false, &probe::local::options, &probe::local::parse,
              &probe::local::make_probe, &probe::local::from_url},
    ProbeKind{"icmp", kIcmpSchemes, "host", false, &probe::icmp::options, &probe::icmp::parse,
              &probe::icmp::make_probe, &probe::icmp::from_url},
    ProbeKind{"dns", kDnsSchemes, "query", false, &probe::dns::options, &probe::dns::parse,
              &probe::dns::make_probe, &probe::dns::from_url},
    ProbeKind{"redis", kRedisSchemes, "target", true, &probe::redis::options, &probe::redis::parse,
              &probe::redis::make_probe, &probe::redis::from_url},
    ProbeKind{"postgres", kPostgresSchemes, "target", true, &probe::sql::postgres::options,
              &probe::sql::postgres::parse, &probe::sql::postgres::make_probe,
              &probe::sql::postgres::from_url},
    ProbeKind{"mysql", kMysqlSchemes, "target", true, &probe::sql::mysql::options,
              &probe::sql::mysql::parse, &probe::sql::mysql::make_probe,
              &probe::sql::mysql::from_url},
    // Passive: no probe (make is null); pings arrive over HTTP (see state/heartbeat/).
    ProbeKind{
        "heartbeat", {}, "", false, &state::heartbeat::options, &state::heartbeat::parse, nullptr},
};

}  // namespace

std::span<const ProbeKind> probe_kinds() {
  return kKinds;
}

const ProbeKind* find_kind(std::string_view type) {
  for (const auto& k : kKinds)
    if (k.type == type) return &k;
  return nullptr;
}

bool is_passive(std::string_view type) {
  const ProbeKind* kind = find_kind(type);
  return kind != nullptr && kind->make == nullptr;
}

std::vector<config::ProbeKindParser> kind_parsers() {
  std::vector<config::ProbeKindParser> out;
  for (const auto& k : kKinds) out.push_back({k.type, k.options(), k.parse, k.make == nullptr});
  return out;
}

}  // namespace lk::app
