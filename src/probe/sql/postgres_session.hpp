#pragma once
// One PostgreSQL connection driven through libpq's asynchronous API on an Asio event loop:
// PQconnectStartParams/PQconnectPoll to log in, PQsendQuery and PQconsumeInput/PQisBusy to
// query, waiting on libpq's socket between steps. Private to the postgres kind.

#include <libpq-fe.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "probe/sql/settings.hpp"

namespace lk::probe::sql::postgres {

/// One connection of one check: connects, runs queries, and on any failure fills the
/// observation with the layer and a message.
class Session {
 public:
  Session(boost::asio::io_context& io, const Clock& clock, const Settings& s, Duration budget,
          Deadline deadline, MonoTime started, Observation& obs);

  const std::string& where() const { return where_; }
  /// Records a failure in the observation (layer, message, total time).
  void fail(Layer layer, std::string error);

  /// Connects to `address` (a literal IP, so that libpq does not resolve a name with a
  /// blocking call; the host name still serves TLS verification) and logs in.
  boost::asio::awaitable<bool> connect(const std::string& address);

  /// Runs `sql` (named `what` in messages); `single_row` streams rows one by one so that a big
  /// answer is counted without being held in memory.
  boost::asio::awaitable<std::optional<Answer>> query(std::string_view sql, std::string_view what,
                                                      bool single_row);

 private:
  static void take_rows(Answer& answer, const PGresult* r);
  /// What a connection at `stage` was waiting for, for a timeout message.
  std::string waiting_for(ConnStatusType stage) const;
  void fail_connect(ConnStatusType stage);

  struct Finish {
    void operator()(PGconn* c) const { PQfinish(c); }
  };

  boost::asio::io_context& io_;
  const Clock& clock_;
  const Settings& s_;
  Duration budget_;
  Deadline deadline_;
  MonoTime started_;
  Observation& obs_;
  std::string where_;
  std::unique_ptr<PGconn, Finish> conn_;
};

}  // namespace lk::probe::sql::postgres
