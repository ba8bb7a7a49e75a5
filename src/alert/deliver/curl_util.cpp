#include "alert/deliver/curl_util.hpp"

namespace lk::alert::deliver::detail {

FailedLayer layer_of(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return FailedLayer::request;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return FailedLayer::dns;
    case CURLE_COULDNT_CONNECT:
      return FailedLayer::connect;
    case CURLE_OPERATION_TIMEDOUT:
      return FailedLayer::timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:  // STARTTLS not offered or refused: nothing was sent
      return FailedLayer::tls;
    case CURLE_ABORTED_BY_CALLBACK:
      return FailedLayer::cancelled;
    default:
      return FailedLayer::connection;
  }
}

}  // namespace lk::alert::deliver::detail
