#pragma once
// Turns a failed curl transfer into a layer and a message a person understands.

#include <curl/curl.h>

#include <string>

#include "core/result.hpp"

namespace lk::probe::http {

struct FailedTransfer {
  CURLcode code;
  const char* curl_error;  ///< CURLOPT_ERRORBUFFER text (may be empty)
  int os_errno;
  const std::string& url;
  const std::string& peer;  ///< "ip:port" when known
  const PhaseTimings& timings;
  Duration budget;  ///< the timeout the check had
};

struct Failure {
  Layer layer;
  std::string message;
};

Failure describe_failure(const FailedTransfer& f);

}  // namespace lk::probe::http
