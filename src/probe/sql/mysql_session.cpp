#include "probe/sql/mysql_session.hpp"

// g++ 12 wrongly reports -Wmismatched-new-delete on Asio coroutine frames that await another
// coroutine (awaitable_frame_base has its own operator new/delete).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <errmsg.h>

#include <algorithm>
#include <vector>

#include "probe/sql/socket_wait.hpp"

namespace lk::probe::sql::mysql {

namespace asio = boost::asio;

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

Session::~Session() {
  if (!mysql_) return;
  // Cut rather than block: after mariadb_cancel every read and write fails at once, so
  // mysql_close cannot wait on the network.
  if (connected_ && !cancelled_) mariadb_cancel(mysql_);
  mysql_close(mysql_);
}

void Session::fail(Layer layer, std::string error) {
  obs_.failed_at = layer;
  obs_.error = std::move(error);
  obs_.timings.total = clock_.mono_now() - started_;
}

std::string Session::error_text() const {
  std::string text = mysql_error(mysql_);
  if (text.empty()) text = "unknown error";
  text += " (" + std::to_string(mysql_errno(mysql_));
  const char* state = mysql_sqlstate(mysql_);
  if (state && *state && std::string_view(state) != "00000" && std::string_view(state) != "HY000")
    text += ", SQLSTATE " + std::string(state);
  return text + ")";
}

asio::awaitable<bool> Session::drive(int status, std::function<int(int)> resume,
                                     std::string waiting_for) {
  while (status != 0) {
    MonoTime until = deadline_;
    if (status & MYSQL_WAIT_TIMEOUT)
      until = std::min(
          until, clock_.mono_now() + std::chrono::milliseconds(mysql_get_timeout_value_ms(mysql_)));
    const unsigned want = ((status & MYSQL_WAIT_READ) ? kReadable : 0u) |
                          ((status & MYSQL_WAIT_WRITE) ? kWritable : 0u);
    const unsigned ready =
        co_await wait_socket(io_, static_cast<int>(mysql_get_socket(mysql_)), want, until);
    int events =
        ((ready & kReadable) ? MYSQL_WAIT_READ : 0) | ((ready & kWritable) ? MYSQL_WAIT_WRITE : 0);
    if (ready == 0) {
      if (clock_.mono_now() >= deadline_) {
        // Unwind the suspended call (it fails at once once cancelled) so that nothing it
        // allocated is left behind, then report the timeout.
        mariadb_cancel(mysql_);
        cancelled_ = true;
        for (int i = 0; i < 16 && status != 0; ++i)
          status = resume(MYSQL_WAIT_READ | MYSQL_WAIT_WRITE);
        fail(Layer::timeout, timeout_message(budget_, waiting_for));
        co_return false;
      }
      events = MYSQL_WAIT_TIMEOUT;
    }
    status = resume(events);
  }
  co_return true;
}

asio::awaitable<bool> Session::connect(const std::string& address) {
  mysql_ = mysql_init(nullptr);
  if (!mysql_) {
    fail(Layer::internal, "MariaDB Connector/C could not allocate a connection");
    co_return false;
  }
  mysql_options(mysql_, MYSQL_OPT_NONBLOCK, nullptr);
  mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // A server may ask the client for a local file (LOAD DATA LOCAL): never from a monitor.
  const unsigned int no_local_files = 0;
  mysql_options(mysql_, MYSQL_OPT_LOCAL_INFILE, &no_local_files);
  const auto seconds = static_cast<unsigned int>(
      std::max<long long>(1, std::chrono::ceil<std::chrono::seconds>(budget_).count()));
  mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
  if (s_.tls == "require") {
    const my_bool on = 1, off = 0;
    mysql_options(mysql_, MYSQL_OPT_SSL_ENFORCE, &on);
    mysql_options(mysql_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &off);
  }

  MYSQL* connected = nullptr;
  const char* password = s_.password.empty() ? nullptr : s_.password.c_str();
  const char* database = s_.database.empty() ? nullptr : s_.database.c_str();
  const int status =
      mysql_real_connect_start(&connected, mysql_, address.c_str(), s_.username.c_str(), password,
                               database, s_.address.port, nullptr, 0);
  if (status != 0 &&
      !co_await drive(
          status, [&](int events) { return mysql_real_connect_cont(&connected, mysql_, events); },
          "the mysql connection and login at " + where_ + " as \"" + s_.username + "\""))
    co_return false;
  if (!connected) {
    fail_connect();
    co_return false;
  }
  connected_ = true;
  if (s_.tls == "require") {
    // Connector/C 3.3 carries on in plain text when the server offers no TLS, whatever
    // MYSQL_OPT_SSL_ENFORCE says: check what was negotiated.
    if (!mysql_get_ssl_cipher(mysql_)) {
      fail(Layer::tls, "TLS with " + where_ +
                           " is required (tls: true) but was not used: the "
                           "server does not offer it");
      co_return false;
    }
    obs_.timings.tls = clock_.mono_now() - started_;
  }
  co_return true;
}

void Session::fail_connect() {
  const unsigned code = mysql_errno(mysql_);
  if (code == CR_CONNECTION_ERROR || code == CR_CONN_HOST_ERROR || code == CR_UNKNOWN_HOST)
    fail(Layer::connect, "connect to " + where_ + " failed: " + error_text());
  else if (code == CR_SSL_CONNECTION_ERROR)
    fail(Layer::tls, "TLS with " + where_ + " failed: " + error_text());
  else
    fail(Layer::response,
         "mysql login at " + where_ + " as \"" + s_.username + "\" failed: " + error_text());
}

asio::awaitable<std::optional<Answer>> Session::query(std::string_view sql, std::string_view what,
                                                      unsigned* error_number) {
  const std::string name(what);
  int failed = 0;
  const int status =
      mysql_real_query_start(&failed, mysql_, sql.data(), static_cast<unsigned long>(sql.size()));
  if (status != 0 &&
      !co_await drive(
          status, [&](int events) { return mysql_real_query_cont(&failed, mysql_, events); },
          "the answer to " + name + " from " + where_))
    co_return std::nullopt;
  if (!obs_.timings.first_byte) obs_.timings.first_byte = clock_.mono_now() - started_;
  if (failed) {
    if (error_number) *error_number = mysql_errno(mysql_);
    fail(Layer::response, name + " failed on " + where_ + ": " + error_text());
    co_return std::nullopt;
  }

  Answer answer;
  MYSQL_RES* result = mysql_use_result(mysql_);  // no I/O: rows are fetched one by one below
  if (!result) {
    if (mysql_field_count(mysql_) == 0) co_return answer;  // a statement without rows
    fail(Layer::response,
         "reading the answer to " + name + " from " + where_ + " failed: " + error_text());
    co_return std::nullopt;
  }
  const unsigned fields = mysql_num_fields(result);
  const MYSQL_FIELD* field_info = mysql_fetch_fields(result);
  for (unsigned i = 0; i < fields; ++i) answer.columns.emplace_back(field_info[i].name);

  MYSQL_ROW row = nullptr;
  bool ok = true;
  for (;;) {
    // Rows already received are fetched without suspending; only a wait goes through drive.
    const int fetching = mysql_fetch_row_start(&row, result);
    if (fetching != 0)
      ok = co_await drive(
          fetching, [&](int events) { return mysql_fetch_row_cont(&row, result, events); },
          "the rows of " + name + " from " + where_);
    if (!ok || !row) break;
    if (answer.rows++ == 0) {
      const unsigned long* lengths = mysql_fetch_lengths(result);
      std::vector<std::optional<std::string>> first;
      bool cut = false;
      for (unsigned i = 0; i < fields; ++i) {
        if (!row[i]) {
          first.emplace_back(std::nullopt);
          continue;
        }
        cut = cut || lengths[i] > kMaxValue;
        first.emplace_back(std::string(row[i], std::min<std::size_t>(lengths[i], kMaxValue)));
      }
      keep_first_row(answer, std::move(first));
      answer.truncated = answer.truncated || cut;
    }
  }
  if (ok && mysql_errno(mysql_) != 0) {
    fail(Layer::response,
         "reading the rows of " + name + " from " + where_ + " failed: " + error_text());
    ok = false;
  }
  // Every row has been read, or the connection is cut or broken: freeing does not wait.
  mysql_free_result(result);
  if (!ok) co_return std::nullopt;
  co_return answer;
}

asio::awaitable<void> Session::close() {
  if (!mysql_ || !connected_ || cancelled_) co_return;
  int status = mysql_close_start(mysql_);
  while (status != 0) {
    const unsigned want = ((status & MYSQL_WAIT_READ) ? kReadable : 0u) |
                          ((status & MYSQL_WAIT_WRITE) ? kWritable : 0u);
    const unsigned ready =
        co_await wait_socket(io_, static_cast<int>(mysql_get_socket(mysql_)), want, deadline_);
    if (ready == 0) {
      // Out of time: cut the connection, after which the close completes at once.
      mariadb_cancel(mysql_);
      for (int i = 0; i < 16 && status != 0; ++i)
        status = mysql_close_cont(mysql_, MYSQL_WAIT_READ | MYSQL_WAIT_WRITE);
      break;
    }
    status = mysql_close_cont(mysql_, ((ready & kReadable) ? MYSQL_WAIT_READ : 0) |
                                          ((ready & kWritable) ? MYSQL_WAIT_WRITE : 0));
  }
  if (status == 0)
    mysql_ = nullptr;  // mysql_close_start/_cont freed the handle
  else
    cancelled_ = true;
}

}  // namespace lk::probe::sql::mysql
