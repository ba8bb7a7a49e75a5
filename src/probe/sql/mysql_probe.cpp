#include "probe/sql/mysql_probe.hpp"

// g++ 12 wrongly reports -Wmismatched-new-delete on Asio coroutine frames that await another
// coroutine (awaitable_frame_base has its own operator new/delete).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <mysql.h>
#include <mysqld_error.h>

#include <array>
#include <mutex>

#include "probe/sql/mysql_session.hpp"
#include "probe/sql/settings.hpp"

namespace lk::probe::sql::mysql {

namespace asio = boost::asio;

namespace {

constexpr std::array kOptions{
    config::Option{"target", "string", "",
                   "Server as host:port (the port defaults to 3306); or use host and port."},
    config::Option{"host", "string", "", "Server host name or address, instead of target."},
    config::Option{"port", "int", "3306", "Server port, with host."},
    config::Option{"database", "string", "", "Database to use; empty: none."},
    config::Option{"username", "string", "root", "User to log in as."},
    config::Option{"password", "string", "",
                   "Password, e.g. ${MYSQL_PASSWORD}; empty: log in without one."},
    config::Option{"query", "string", "SELECT 1",
                   "Query to run. Its first value is the body (body == \"1\"); metrics rows, "
                   "connect_time and query_time (ms)."},
    config::Option{"tls", "bool", "false",
                   "Require TLS (the server's certificate is not verified); a server without TLS "
                   "fails the check."},
    config::Option{
        "replication", "bool", "false",
        "Also ask SHOW REPLICA STATUS (SHOW SLAVE STATUS on older servers; needs "
        "REPLICA MONITOR on MariaDB, REPLICATION CLIENT on MySQL): metric replica (1 or 0) "
        "and, on a replica, metric replication_lag (Seconds_Behind_Master, s); fail "
        "when replication is stopped (Seconds_Behind_Master is NULL)."},
};

constexpr std::array<std::string_view, 2> kSchemes{"mysql", "mariadb"};
constexpr std::array<std::string_view, 3> kUrlParams{"query", "tls", "replication"};

/// Judges SHOW REPLICA STATUS into metrics, and a failure when replication stopped. MySQL 8
/// names the columns Replica_*/Source_*, MariaDB and older MySQL Slave_*/Master_*.
void observe_replication(Session& session, Observation& obs, const Answer& answer) {
  if (answer.rows == 0) {
    obs.metrics.push_back({"replica", 0, ""});
    return;
  }
  obs.metrics.push_back({"replica", 1, ""});
  auto text = [&](std::initializer_list<std::string_view> names) -> std::string {
    const auto* value = answer.value(names);
    return value && *value ? **value : std::string("NULL");
  };
  const auto* lag = answer.value({"Seconds_Behind_Master", "Seconds_Behind_Source"});
  if (lag && *lag) {
    if (auto seconds = parse_number(**lag)) {
      obs.metrics.push_back({"replication_lag", *seconds, "s"});
      return;
    }
  }
  std::string why =
      "replica at " + session.where() +
      " is not replicating (Slave_IO_Running: " + text({"Slave_IO_Running", "Replica_IO_Running"}) +
      ", Slave_SQL_Running: " + text({"Slave_SQL_Running", "Replica_SQL_Running"}) + ")";
  for (auto column : {"Last_IO_Error", "Last_SQL_Error"}) {
    const auto* error = answer.value({column});
    if (error && *error && !(*error)->empty()) {
      why += ": " + **error;
      break;
    }
  }
  session.fail(Layer::response, std::move(why));
}

class MysqlProbe final : public Probe {
 public:
  MysqlProbe(asio::io_context& io, const Clock& clock) : io_(io), clock_(clock) {}

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
    if (co_await session.connect(resolved.address)) {
      obs.peer = Address{resolved.address, s.address.port}.text();
      obs.timings.connect = clock_.mono_now() - started;
      co_await exchange(session, s, obs, started);
    }
    co_await session.close();
    if (obs.failed_at == Layer::none) obs.timings.total = clock_.mono_now() - started;
    co_return obs;
  }

 private:
  /// The queries of one check on a logged-in session; failures are in `obs`.
  asio::awaitable<void> exchange(Session& session, const Settings& s, Observation& obs,
                                 MonoTime started) {
    const auto logged_in = clock_.mono_now();
    auto answer = co_await session.query(s.query, "the query");
    if (!answer) co_return;
    observe(obs, *answer, logged_in - started, clock_.mono_now() - logged_in);
    if (!s.replication) co_return;
    unsigned error = 0;
    auto status = co_await session.query("SHOW REPLICA STATUS", "SHOW REPLICA STATUS", &error);
    if (!status && error == ER_PARSE_ERROR) {  // older than MariaDB 10.5 / MySQL 8.0.22
      obs.failed_at = Layer::none;
      obs.error.clear();
      status = co_await session.query("SHOW SLAVE STATUS", "SHOW SLAVE STATUS");
    }
    if (status) observe_replication(session, obs, *status);
  }

  asio::io_context& io_;
  const Clock& clock_;
};

}  // namespace

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  read_common(fields, spec, *s, "mysql");
  s->tls = fields.boolean("tls") ? "require" : "";
  return s;
}

UrlFields from_url(std::string_view url) {
  return url_fields(url, kSchemes, "database", kUrlParams);
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  // The connector's global state is set up once, before any shard opens a connection
  // (mysql_init would do it lazily, but not safely from two threads at once).
  static std::once_flag initialised;
  std::call_once(initialised, [] { mysql_library_init(0, nullptr, nullptr); });
  return std::make_unique<MysqlProbe>(io, clock);
}

}  // namespace lk::probe::sql::mysql
