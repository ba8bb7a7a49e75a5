#pragma once
// HTTP(S) checks on the shard's event loop: plain http:// to a literal address through the lean
// client (lean_client.hpp), everything else through libcurl's multi interface.

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "probe/http/curl_multi.hpp"
#include "probe/http/lean_client.hpp"
#include "probe/http/settings.hpp"
#include "probe/probe.hpp"

namespace lk::probe::http {

/// Which client runs the checks the lean client can run.
enum class Engine : unsigned char { lean, curl };

/// Reads the environment once (at probe construction): LIGHTKEEPER_HTTP_ENGINE=curl sends every
/// check through libcurl, to compare the two engines (bench/); a proxy set in `http_proxy` or
/// `all_proxy` (which libcurl honours and the lean client does not) does the same.
Engine engine_from_environment();

class HttpProbe final : public Probe {
 public:
  HttpProbe(boost::asio::io_context& io, const Clock& clock,
            Engine engine = engine_from_environment());
  ~HttpProbe() override;
  boost::asio::awaitable<Observation> run(const CheckSpec& check, Deadline deadline) override;

 private:
  boost::asio::awaitable<Observation> run_curl(const CheckSpec& check, const Settings& settings,
                                               Deadline deadline);
  CURL* acquire_handle();
  void release_handle(CURL* easy);

  boost::asio::io_context& io_;
  const Clock& clock_;
  CurlMulti multi_;
  std::vector<CURL*> idle_handles_;  ///< reset and reused, so steady state allocates no handles
  Engine engine_;
  LeanClient lean_;
};

/// Makes an http probe for a shard.
std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::http
