#pragma once
// One MySQL/MariaDB connection driven through Connector/C's non-blocking API on an Asio
// event loop: every call is started, then continued each time the connector's socket is ready,
// until it completes or the check's deadline passes. Private to the mysql kind.

#include <mysql.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "probe/sql/settings.hpp"

namespace lk::probe::sql::mysql {

class Session {
 public:
  Session(boost::asio::io_context& io, const Clock& clock, const Settings& s, Duration budget,
          Deadline deadline, MonoTime started, Observation& obs);
  /// Frees the handle; without close(), the connection is cut rather than ended politely.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& where() const { return where_; }
  /// Records a failure in the observation (layer, message, total time).
  void fail(Layer layer, std::string error);

  /// Connects to `address` (a literal IP: the connector would resolve a name with a blocking
  /// call) and logs in; false, with the observation filled, when that fails (close() is still
  /// to be called: the login may have succeeded without the TLS that was required).
  boost::asio::awaitable<bool> connect(const std::string& address);

  /// Runs `sql` (named `what` in messages) and reads its rows one by one. nullopt with the
  /// observation filled on failure; `error_number` then holds the server's error, if any.
  boost::asio::awaitable<std::optional<Answer>> query(std::string_view sql, std::string_view what,
                                                      unsigned* error_number = nullptr);

  /// Ends the connection with COM_QUIT (so that the server does not log an aborted
  /// connection), within what is left of the deadline.
  boost::asio::awaitable<void> close();

 private:
  /// Finishes one non-blocking call that its _start function left waiting (`status`: the
  /// connector's wait flags): `resume` (its _cont function) is called each time the socket is
  /// ready. On timeout the call is cancelled and unwound, the observation names what was
  /// awaited, and false is returned.
  boost::asio::awaitable<bool> drive(int status, std::function<int(int)> resume,
                                     std::string waiting_for);
  void fail_connect();
  std::string error_text() const;

  boost::asio::io_context& io_;
  const Clock& clock_;
  const Settings& s_;
  Duration budget_;
  Deadline deadline_;
  MonoTime started_;
  Observation& obs_;
  std::string where_;
  MYSQL* mysql_ = nullptr;
  bool connected_ = false;
  bool cancelled_ = false;  ///< the connection was cut (timeout): no COM_QUIT
};

}  // namespace lk::probe::sql::mysql
