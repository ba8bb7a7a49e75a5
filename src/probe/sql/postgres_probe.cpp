#include "probe/sql/postgres_probe.hpp"

// g++ 12 wrongly reports -Wmismatched-new-delete on Asio coroutine frames that await another
// coroutine (awaitable_frame_base has its own operator new/delete).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "probe/sql/postgres_session.hpp"
#include "probe/sql/settings.hpp"

namespace lk::probe::sql::postgres {

namespace asio = boost::asio;

namespace {

constexpr std::array kOptions{
    config::Option{"target", "string", "",
                   "Server as host:port (the port defaults to 5432); or use host and port."},
    config::Option{"host", "string", "", "Server host name or address, instead of target."},
    config::Option{"port", "int", "5432", "Server port, with host."},
    config::Option{"database", "string", "",
                   "Database to connect to; empty: the one named like the user."},
    config::Option{"username", "string", "postgres", "User to log in as."},
    config::Option{"password", "string", "",
                   "Password, e.g. ${PGPASSWORD}; empty: none is sent (libpq may still read "
                   "~/.pgpass)."},
    config::Option{"query", "string", "SELECT 1",
                   "Query to run. Its first value is the body (body == \"1\"); metrics rows, "
                   "connect_time and query_time (ms)."},
    config::Option{"tls", "string", "prefer",
                   "TLS as libpq's sslmode: disable, allow, prefer, require, verify-ca or "
                   "verify-full."},
    config::Option{"ca_file", "string", "", "PEM CA certificates for verify-ca and verify-full."},
    config::Option{"replication", "bool", "false",
                   "Also report metric replica (1 on a standby, else 0) and, on a standby, "
                   "metric replication_lag (s since the last replayed transaction; 0 when all "
                   "received WAL is replayed); fail when a standby's WAL receiver has stopped or "
                   "its lag is unknown."},
};

constexpr std::array<std::string_view, 2> kSchemes{"postgres", "postgresql"};
constexpr std::array<std::string_view, 4> kUrlParams{"query", "tls", "ca_file", "replication"};
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kUrlAliases{
    {{"sslmode", "tls"}, {"sslrootcert", "ca_file"}}};
constexpr std::array<std::string_view, 6> kSslModes{"disable", "allow",     "prefer",
                                                    "require", "verify-ca", "verify-full"};

// A standby's lag. Comparing the replay time with now() alone would make an idle primary look
// like lag, so a standby that has replayed all it received counts as 0; a streaming standby
// whose WAL receiver is gone has stopped replicating, whatever its last lag was.
constexpr std::string_view kReplicationQuery =
    "SELECT pg_is_in_recovery(),"
    " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()),"
    " pg_last_wal_receive_lsn() IS NOT NULL,"
    " pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(),"
    " EXISTS (SELECT 1 FROM pg_stat_wal_receiver)";

/// Judges the answer to kReplicationQuery into metrics (and a failure when replication stopped).
void observe_replication(Session& session, Observation& obs, const Answer& answer) {
  auto column = [&](std::size_t i) -> std::string {
    return i < answer.first_row.size() && answer.first_row[i] ? *answer.first_row[i] : "";
  };
  if (column(0) != "t") {
    obs.metrics.push_back({"replica", 0, ""});
    return;
  }
  obs.metrics.push_back({"replica", 1, ""});
  const bool streaming = column(2) == "t", receiver_running = column(4) == "t";
  const auto replay_age = parse_number(column(1));
  const std::optional<double> lag = column(3) == "t" ? std::optional<double>(0) : replay_age;
  if (lag) obs.metrics.push_back({"replication_lag", *lag, "s"});
  if (streaming && !receiver_running) {
    std::string last;
    if (replay_age)
      last = " (last transaction replayed " + std::to_string(static_cast<long long>(*replay_age)) +
             "s ago)";
    session.fail(Layer::response, "standby at " + session.where() +
                                      " is not replicating: its WAL receiver is not running" +
                                      last);
  } else if (!lag) {
    session.fail(Layer::response, "standby at " + session.where() +
                                      " has no replication lag to report: it has not replayed "
                                      "any transaction (pg_last_xact_replay_timestamp() is "
                                      "NULL)");
  }
}

class PostgresProbe final : public Probe {
 public:
  PostgresProbe(asio::io_context& io, const Clock& clock) : io_(io), clock_(clock) {}

  asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override {
    const auto& s = check.settings_as<Settings>();
    Observation obs;
    obs.started_at = clock_.now();
    const auto started = clock_.mono_now();
    Session session(io_, clock_, s, check.timeout, deadline, started, obs);

    auto resolved = co_await resolve(io_, clock_, started, s.address.host, check.timeout, deadline);
    if (resolved.failed_at != Layer::none) {
      session.fail(resolved.failed_at, std::move(resolved.error));
      co_return obs;
    }
    obs.timings.dns = resolved.took;
    if (!co_await session.connect(resolved.address)) co_return obs;
    obs.peer = Address{resolved.address, s.address.port}.text();
    const auto logged_in = clock_.mono_now();

    auto answer = co_await session.query(s.query, "the query", true);
    if (!answer) co_return obs;
    const auto answered = clock_.mono_now();
    observe(obs, *answer, logged_in - started, answered - logged_in);
    if (s.replication) {
      auto replication = co_await session.query(kReplicationQuery, "the replication query", false);
      if (!replication) co_return obs;
      observe_replication(session, obs, *replication);
      if (obs.failed_at != Layer::none) co_return obs;
    }
    obs.timings.total = clock_.mono_now() - started;
    co_return obs;
  }

 private:
  asio::io_context& io_;
  const Clock& clock_;
};

}  // namespace

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  read_common(fields, spec, *s, "postgres");
  s->tls = fields.string("tls");
  s->ca_file = fields.string("ca_file");
  if (std::find(kSslModes.begin(), kSslModes.end(), s->tls) == kSslModes.end())
    fields.error("tls",
                 "expected disable, allow, prefer, require, verify-ca or verify-full, got \"" +
                     s->tls + "\"");
  return s;
}

UrlFields from_url(std::string_view url) {
  return url_fields(url, kSchemes, "database", kUrlParams, kUrlAliases);
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  return std::make_unique<PostgresProbe>(io, clock);
}

}  // namespace lk::probe::sql::postgres
