#pragma once
// Plain http:// checks without libcurl: a lean HTTP/1.1 client on the shard's io_context that
// reports exactly what the curl path reports (same Observation, timings, errors), for a fraction
// of the CPU. Used for checks whose settings carry a LeanPlan; everything else stays on curl.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <vector>

#include "core/check.hpp"
#include "core/result.hpp"
#include "probe/http/settings.hpp"

namespace lk::probe::http {

class LeanClient {
 public:
  /// Runs a request through libcurl: used when a redirect leads where the lean client does not
  /// go (https://, a host name), to finish the check from there.
  using CurlRunner = std::function<boost::asio::awaitable<Observation>(const CheckSpec&,
                                                                       const Settings&, Deadline)>;

  LeanClient(boost::asio::io_context& io, const Clock& clock, CurlRunner curl);

  /// Runs the check, whose settings must have a lean plan. Never throws for a failing target and
  /// completes by the deadline.
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline);

 private:
  std::vector<char> take_buffer();
  void give_back(std::vector<char> buffer);

  boost::asio::io_context& io_;
  const Clock& clock_;
  CurlRunner curl_;
  std::vector<std::vector<char>> idle_buffers_;  ///< read buffers, reused across checks
};

}  // namespace lk::probe::http
