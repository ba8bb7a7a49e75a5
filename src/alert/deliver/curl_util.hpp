#pragma once
// What the HTTP and SMTP senders share of libcurl (internal to deliver/).

#include <curl/curl.h>

#include "alert/deliver/attempt.hpp"

namespace lk::alert::deliver::detail {

/// The layer at which a transfer that ended with `code` stopped.
FailedLayer layer_of(CURLcode code);

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace lk::alert::deliver::detail
