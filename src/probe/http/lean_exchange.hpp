#pragma once
// One check's plain-http exchange as a callback state machine on the shard's io_context:
// connect, send, read the answer, follow redirects. At most one socket operation is pending at
// any time, so closing the socket (at the deadline) always produces exactly one last callback.

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "probe/http/answer_parser.hpp"
#include "probe/http/lean_request.hpp"

namespace lk::probe::http {

class Exchange {
 public:
  enum class Outcome : unsigned char { running, answered, failed, handoff };

  /// `buffer` is a reusable read buffer (its size is the read size; it may grow for huge headers).
  Exchange(boost::asio::io_context& io, const Clock& clock, const Settings& settings,
           Observation& obs, MonoTime started, Deadline deadline, std::vector<char>& buffer);
  ~Exchange();
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  /// Starts the first request of the plan.
  void start(const LeanPlan& plan);
  /// The deadline passed: abandon the pending operation (its callback ends the exchange).
  void on_deadline();

  bool finished() const { return outcome_ != Outcome::running; }
  Outcome outcome() const { return outcome_; }
  /// The final status code, when answered.
  int status() const { return parser_.status(); }
  /// Fires at the deadline and is cancelled when the exchange ends: the coroutine waits on it.
  boost::asio::steady_timer& timer() { return timer_; }

  // When failed: what curl would have reported.
  CURLcode error_code() const { return error_code_; }
  const std::string& error_detail() const { return error_detail_; }
  int os_errno() const { return os_errno_; }

  // When handed off: the rest goes through curl from this URL.
  const RedirectTarget& handoff_target() const { return handoff_; }
  const RequestAdjustments& handoff_adjustments() const { return handoff_adjust_; }
  int redirects_followed() const { return redirects_; }

 private:
  void begin_hop();
  void on_connected(const boost::system::error_code& ec);
  void on_sent(const boost::system::error_code& ec);
  void receive();
  void on_received(const boost::system::error_code& ec, std::size_t n);
  void after_answer();
  void follow(const std::string& location);
  void fail(CURLcode code, std::string detail, int os_errno = 0);
  void finish(Outcome outcome);
  /// Adds the time since the hop started to a cumulative phase time, like curl (at least 1us).
  void reached(std::optional<Duration>& phase);

  const Clock& clock_;
  const Settings& settings_;
  Observation& obs_;
  const MonoTime started_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  std::vector<char>& buffer_;
  std::size_t begin_ = 0;  ///< unconsumed bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  AnswerParser parser_;

  boost::asio::ip::tcp::endpoint endpoint_;  ///< of the current hop
  std::string_view request_;
  // Only after a redirect to another lean target.
  std::string next_request_;
  std::string current_url_;
  RequestAdjustments adjust_;
  int redirects_ = 0;

  MonoTime hop_started_{};
  bool first_byte_seen_ = false;
  bool timed_out_ = false;
  Outcome outcome_ = Outcome::running;
  CURLcode error_code_ = CURLE_OK;
  std::string error_detail_;
  int os_errno_ = 0;
  RedirectTarget handoff_;
  RequestAdjustments handoff_adjust_;
};

}  // namespace lk::probe::http
