#include "probe/sql/postgres_session.hpp"

// g++ 12 wrongly reports -Wmismatched-new-delete on Asio coroutine frames that await another
// coroutine (awaitable_frame_base has its own operator new/delete).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <algorithm>
#include <vector>

#include "probe/sql/socket_wait.hpp"

namespace lk::probe::sql::postgres {

namespace asio = boost::asio;

namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

/// libpq's message for a failed connection on one line: the last attempt's reason, without
/// the `connection to server at "h", port p failed: ` prefix and the tab-indented hints.
std::string connection_error(PGconn* conn) {
  std::string_view text = conn ? PQerrorMessage(conn) : "out of memory";
  std::string last;
  while (!text.empty()) {
    auto newline = text.find('\n');
    auto line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (line.empty() || line.front() == '\t') continue;
    if (line.starts_with("connection to server"))
      if (auto failed = line.find("failed: "); failed != std::string_view::npos)
        line = line.substr(failed + 8);
    if (line.empty()) continue;
    last.clear();
    for (char c : line)  // "FATAL:  password ..." -> "FATAL: password ..."
      if (!(c == ' ' && !last.empty() && last.back() == ' ')) last += c;
  }
  return last.empty() ? "unknown error" : last;
}

/// "ERROR: relation "nope" does not exist (SQLSTATE 42P01)".
std::string result_error(const PGresult* r) {
  const char* severity = PQresultErrorField(r, PG_DIAG_SEVERITY);
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  if (!primary) {
    std::string text = PQresultErrorMessage(r);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text.empty() ? "unknown error" : text;
  }
  std::string out = severity ? std::string(severity) + ": " + primary : std::string(primary);
  if (state) out += " (SQLSTATE " + std::string(state) + ")";
  return out;
}

void ignore_notice(void*, const char*) {}

}  // namespace

Session::Session(asio::io_context& io, const Clock& clock, const Settings& s, Duration budget,
                 Deadline deadline, MonoTime started, Observation& obs)
    : io_(io),
      clock_(clock),
      s_(s),
      budget_(budget),
      deadline_(deadline),
      started_(started),
      obs_(obs),
      where_(s.address.text()) {}

void Session::fail(Layer layer, std::string error) {
  obs_.failed_at = layer;
  obs_.error = std::move(error);
  obs_.timings.total = clock_.mono_now() - started_;
}

asio::awaitable<bool> Session::connect(const std::string& address) {
  const std::string port = std::to_string(s_.address.port);
  std::vector<const char*> keys, values;
  auto add = [&](const char* key, const char* value) {
    keys.push_back(key);
    values.push_back(value);
  };
  // `hostaddr` spares libpq a blocking name lookup; `host` still names the server for TLS
  // verification and messages.
  add("host", s_.address.host.c_str());
  add("hostaddr", address.c_str());
  add("port", port.c_str());
  if (!s_.database.empty()) add("dbname", s_.database.c_str());
  add("user", s_.username.c_str());
  if (!s_.password.empty()) add("password", s_.password.c_str());
  add("sslmode", s_.tls.c_str());
  if (!s_.ca_file.empty()) add("sslrootcert", s_.ca_file.c_str());
  add("gssencmode", "disable");
  add("application_name", "lightkeeper");
  add("client_encoding", "UTF8");
  add(nullptr, nullptr);
  conn_.reset(PQconnectStartParams(keys.data(), values.data(), 0));
  if (!conn_ || PQstatus(conn_.get()) == CONNECTION_BAD) {
    fail(Layer::connect, "connect to " + where_ + " failed: " + connection_error(conn_.get()));
    co_return false;
  }
  PQsetNoticeProcessor(conn_.get(), &ignore_notice, nullptr);  // not to stderr

  // Per libpq's docs: start as if PQconnectPoll had said WRITING, then wait for what it says.
  PostgresPollingStatusType poll = PGRES_POLLING_WRITING;
  ConnStatusType stage = PQstatus(conn_.get());
  std::optional<Duration> tls_done;
  while (poll != PGRES_POLLING_OK) {
    if (poll == PGRES_POLLING_FAILED) {
      fail_connect(stage);
      co_return false;
    }
    const unsigned want = poll == PGRES_POLLING_READING ? kReadable : kWritable;
    if (!co_await wait_socket(io_, PQsocket(conn_.get()), want, deadline_)) {
      fail(Layer::timeout, timeout_message(budget_, waiting_for(stage)));
      co_return false;
    }
    poll = PQconnectPoll(conn_.get());
    const ConnStatusType now = PQstatus(conn_.get());
    const Duration at = clock_.mono_now() - started_;
    if (!obs_.timings.connect && now != CONNECTION_STARTED && now != CONNECTION_NEEDED &&
        now != CONNECTION_BAD)
      obs_.timings.connect = at;
    if (stage == CONNECTION_SSL_STARTUP && now != CONNECTION_SSL_STARTUP) tls_done = at;
    if (poll != PGRES_POLLING_FAILED) stage = now;  // keep the stage that failed
  }
  if (PQsslInUse(conn_.get())) obs_.timings.tls = tls_done;
  PQsetnonblocking(conn_.get(), 1);
  co_return true;
}

asio::awaitable<std::optional<Answer>> Session::query(std::string_view sql, std::string_view what,
                                                      bool single_row) {
  PGconn* c = conn_.get();
  const std::string text(sql);
  if (!PQsendQuery(c, text.c_str())) {
    fail(Layer::send,
         "sending " + std::string(what) + " to " + where_ + " failed: " + connection_error(c));
    co_return std::nullopt;
  }
  if (single_row) PQsetSingleRowMode(c);
  for (int flushed = PQflush(c); flushed != 0; flushed = PQflush(c)) {
    unsigned ready =
        flushed < 0 ? 0u : co_await wait_socket(io_, PQsocket(c), kReadable | kWritable, deadline_);
    if (flushed < 0 || ((ready & kReadable) && !PQconsumeInput(c))) {
      fail(Layer::send,
           "sending " + std::string(what) + " to " + where_ + " failed: " + connection_error(c));
      co_return std::nullopt;
    }
    if (!ready) {
      fail(Layer::timeout,
           timeout_message(budget_, "sending " + std::string(what) + " to " + where_));
      co_return std::nullopt;
    }
  }

  Answer answer;
  std::string error;
  for (bool done = false; !done;) {
    while (!done && !PQisBusy(c)) {
      Result r(PQgetResult(c));
      if (!r) {
        done = true;
        break;
      }
      if (!obs_.timings.first_byte) obs_.timings.first_byte = clock_.mono_now() - started_;
      switch (PQresultStatus(r.get())) {
        case PGRES_SINGLE_TUPLE:
        case PGRES_TUPLES_OK:
          take_rows(answer, r.get());
          break;
        case PGRES_FATAL_ERROR:
        case PGRES_BAD_RESPONSE:
          if (error.empty()) error = result_error(r.get());
          break;
        case PGRES_COPY_IN:
        case PGRES_COPY_OUT:
        case PGRES_COPY_BOTH:
          fail(Layer::response, std::string(what) + " started a COPY, which a check cannot run");
          co_return std::nullopt;
        default:
          break;
      }
    }
    if (done) break;
    if (!co_await wait_socket(io_, PQsocket(c), kReadable, deadline_)) {
      fail(Layer::timeout,
           timeout_message(budget_, "the answer to " + std::string(what) + " from " + where_));
      co_return std::nullopt;
    }
    if (!PQconsumeInput(c)) {
      fail(Layer::response, "connection to " + where_ + " lost while waiting for " +
                                std::string(what) + ": " + connection_error(c));
      co_return std::nullopt;
    }
  }
  if (!error.empty()) {
    fail(Layer::response, std::string(what) + " failed on " + where_ + ": " + error);
    co_return std::nullopt;
  }
  co_return answer;
}

void Session::take_rows(Answer& answer, const PGresult* r) {
  const int rows = PQntuples(r), fields = PQnfields(r);
  if (answer.columns.empty())
    for (int i = 0; i < fields; ++i) answer.columns.emplace_back(PQfname(r, i));
  if (answer.first_row.empty() && rows > 0) {
    std::vector<std::optional<std::string>> row;
    bool cut = false;
    for (int i = 0; i < fields; ++i) {
      if (PQgetisnull(r, 0, i)) {
        row.emplace_back(std::nullopt);
        continue;
      }
      const auto length = static_cast<std::size_t>(PQgetlength(r, 0, i));
      cut = cut || length > kMaxValue;
      row.emplace_back(std::string(PQgetvalue(r, 0, i), std::min(length, kMaxValue)));
    }
    keep_first_row(answer, std::move(row));
    answer.truncated = answer.truncated || cut;
  }
  answer.rows += rows;
}

std::string Session::waiting_for(ConnStatusType stage) const {
  if (stage == CONNECTION_STARTED || stage == CONNECTION_NEEDED) return "TCP connect to " + where_;
  if (stage == CONNECTION_SSL_STARTUP) return "TLS negotiation with " + where_;
  return "the postgres login at " + where_ + " as \"" + s_.username + "\"";
}

void Session::fail_connect(ConnStatusType stage) {
  const std::string reason = connection_error(conn_.get());
  if (stage == CONNECTION_STARTED || stage == CONNECTION_NEEDED)
    fail(Layer::connect, "connect to " + where_ + " failed: " + reason);
  else if (stage == CONNECTION_SSL_STARTUP)
    fail(Layer::tls, "TLS negotiation with " + where_ + " failed: " + reason);
  else
    fail(Layer::response,
         "postgres login at " + where_ + " as \"" + s_.username + "\" failed: " + reason);
}

}  // namespace lk::probe::sql::postgres
