#pragma once
// HTTP(S) checks through libcurl's multi interface on the shard's event loop.

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "probe/http/curl_multi.hpp"
#include "probe/probe.hpp"

namespace lk::probe::http {

class HttpProbe final : public Probe {
 public:
  HttpProbe(boost::asio::io_context& io, const Clock& clock);
  ~HttpProbe() override;
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override;

 private:
  CURL* acquire_handle();
  void release_handle(CURL* easy);

  boost::asio::io_context& io_;
  const Clock& clock_;
  CurlMulti multi_;
  std::vector<CURL*> idle_handles_;  ///< reset and reused, so steady state allocates no handles
};

/// Makes an http probe for a shard.
std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::http
