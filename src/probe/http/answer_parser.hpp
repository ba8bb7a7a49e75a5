#pragma once
// Reads one HTTP/1.x answer (after any 1xx interim answers) from bytes as they arrive, into an
// Observation. Pure: no I/O, no clock. Follows libcurl 7.88's reading rules and error texts, so
// that the lean client and the curl path report the same thing for the same bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace lk::probe::http {

/// Bytes of answer headers accepted per request, 1xx answers included (curl's limit).
inline constexpr std::size_t kMaxHeaderBytes = 300 * 1024;

class AnswerParser {
 public:
  struct Request {
    bool head = false;              ///< a HEAD request: no body follows the headers
    bool stop_at_redirect = false;  ///< a 3xx with a Location ends the answer after its headers
    std::uint64_t max_body = 0;     ///< bytes kept; past them the answer ends, truncated
  };

  /// Starts reading a new answer into `obs` (headers, body, body_truncated).
  void start(const Request& request, Observation& obs);

  /// Consumes bytes and returns how many. Header lines are only consumed whole: when fewer
  /// bytes than given are consumed and the answer is not finished, call again with the rest plus
  /// more bytes. Body bytes are always consumed; bytes past the end of the answer are not.
  std::size_t feed(std::string_view data);
  /// The peer closed the connection: ends a close-delimited body, or fails.
  void end_of_stream();

  bool finished() const { return state_ == State::done || state_ == State::failed; }
  bool failed() const { return state_ == State::failed; }
  /// The final status code (valid once finished without failure).
  int status() const { return status_; }
  /// Non-empty when the answer ended at a redirect to follow.
  const std::string& redirect_location() const { return redirect_; }
  /// What was wrong with the answer, in curl's words (valid when failed()).
  const std::string& error() const { return error_; }

 private:
  enum class State : unsigned char {
    status_line,
    headers,
    body_length,
    body_until_close,
    chunked,
    done,
    failed
  };
  enum class Chunk : unsigned char {
    hex,
    lf,
    data,
    post_lf,
    trailer,
    trailer_cr,
    trailer_post_cr,
    stop
  };

  void on_status_line(std::string_view line);
  void on_header_line(std::string_view line);
  void end_of_headers();
  void check_partial_line(std::string_view partial);
  std::size_t feed_chunked(std::string_view data);
  bool end_trailer_line();
  void deliver(std::string_view bytes);
  void fail(std::string message);

  Request request_;
  Observation* obs_ = nullptr;
  State state_ = State::status_line;
  int status_ = 0;
  std::size_t header_bytes_ = 0;
  // Per answer, from its headers.
  bool chunked_ = false;
  bool length_known_ = false;
  std::uint64_t remaining_ = 0;  ///< body bytes still expected when length_known_
  std::string location_;
  // Chunked framing (curl's state machine).
  Chunk chunk_ = Chunk::hex;
  char hex_[17] = {};
  std::size_t hex_len_ = 0;
  std::string trailer_;

  std::string redirect_;
  std::string error_;
};

}  // namespace lk::probe::http
