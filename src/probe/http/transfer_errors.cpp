#include "probe/http/transfer_errors.hpp"

#include <cstring>

#include "probe/probe.hpp"

namespace lk::probe::http {

namespace {

std::string host_of(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = url.find_first_of("/?#", start);
  auto authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  return authority;
}

std::string detail(const FailedTransfer& f) {
  if (f.curl_error && *f.curl_error) return f.curl_error;
  return curl_easy_strerror(f.code);
}

/// What the check was waiting for when it ran out of time, from the phases it reached.
std::string waiting_for(const FailedTransfer& f) {
  bool https = f.url.rfind("https", 0) == 0 || f.url.rfind("HTTPS", 0) == 0;
  std::string target = f.peer.empty() ? host_of(f.url) : f.peer;
  if (!f.timings.dns) return "DNS resolution of " + host_of(f.url);
  if (!f.timings.connect) return "TCP connect to " + target;
  if (https && !f.timings.tls) return "the TLS handshake with " + target;
  if (!f.timings.first_byte) return "the first byte of the answer from " + target;
  return "the rest of the answer body from " + target;
}

}  // namespace

Failure describe_failure(const FailedTransfer& f) {
  std::string target = f.peer.empty() ? host_of(f.url) : f.peer;
  switch (f.code) {
    case CURLE_OPERATION_TIMEDOUT:
      return {Layer::timeout, timeout_message(f.budget, waiting_for(f))};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {Layer::dns, "DNS lookup of " + host_of(f.url) + " failed: " + detail(f)};
    case CURLE_COULDNT_CONNECT: {
      if (f.os_errno == ECONNREFUSED) return {Layer::connect, "connect to " + target + " refused"};
      if (f.os_errno == EHOSTUNREACH || f.os_errno == ENETUNREACH)
        return {Layer::connect, "connect to " + target + " failed: " + std::strerror(f.os_errno)};
      return {Layer::connect, "connect to " + target + " failed: " + detail(f)};
    }
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
      return {Layer::tls, "TLS with " + target + " failed: " + detail(f)};
    case CURLE_SEND_ERROR:
      return {Layer::send, "sending the request to " + target + " failed: " + detail(f)};
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {Layer::response, "unexpected answer from " + target + ": " + detail(f)};
    case CURLE_URL_MALFORMAT:
      return {Layer::internal, "malformed URL " + f.url + ": " + detail(f)};
    default:
      return {Layer::internal, "request to " + target + " failed: " + detail(f)};
  }
}

}  // namespace lk::probe::http
