#pragma once
// What a server's certificate says and how it is judged: chain problems in words, host name
// match, expiry against warn/fail thresholds, and the JSON facts that conditions read
// (json.protocol, json.days_left ...). Everything but inspect() is pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

struct ssl_st;             // OpenSSL's SSL
struct x509_store_ctx_st;  // OpenSSL's X509_STORE_CTX

namespace lk::probe::tls {

/// A problem the chain verification found, at one certificate of the chain.
struct VerifyProblem {
  int depth = 0;        ///< 0 is the server's own certificate
  int code = 0;         ///< X509_V_ERR_*
  std::string subject;  ///< of the certificate at that depth, RFC 2253 ("CN=a,O=b")
  std::string issuer;
  std::optional<TimePoint> not_before, not_after;
};

struct CertificateReport {
  std::string protocol;  ///< "TLSv1.3"
  std::string cipher;    ///< "TLS_AES_256_GCM_SHA384"
  std::string subject;   ///< of the server's certificate, RFC 2253
  std::string issuer;
  std::vector<std::string> names;  ///< subjectAltName DNS names and addresses
  std::optional<TimePoint> not_before, not_after;
  /// The certificate of the presented chain that expires first (usually the server's own).
  std::optional<TimePoint> earliest_not_after;
  std::string earliest_subject;
  std::vector<VerifyProblem> problems;  ///< empty: the chain is trusted
  bool hostname_valid = false;

  bool chain_valid() const { return problems.empty(); }
};

/// The problem the verification is reporting (its error, depth and current certificate).
VerifyProblem problem_at(x509_store_ctx_st* ctx);

/// Reads the negotiated session and the peer's chain after a handshake; `problems` are those
/// the verification callback collected.
CertificateReport inspect(ssl_st* ssl, std::vector<VerifyProblem> problems,
                          std::string_view servername);

/// "CN=mail.example" from an RFC 2253 name (the CN when there is one, else the whole name).
std::string short_name(std::string_view rfc2253);

/// "2020-02-01" (UTC).
std::string format_day(TimePoint t);

/// Whole days from `now` to `t`, rounded down (negative once `t` is past).
long days_until(TimePoint t, TimePoint now);

/// One problem in words: "certificate CN=localhost expired on 2020-02-01",
/// "self-signed certificate CN=localhost", "untrusted issuer CN=Example CA".
std::string describe(const VerifyProblem& problem);

/// Every problem in words, most telling first, joined by "; ". With `skip_expiry`, expiry
/// problems are left out (already reported by the expiry thresholds).
std::string describe_problems(const std::vector<VerifyProblem>& problems, bool skip_expiry);

/// "certificate is not valid for other.example (it names localhost, 127.0.0.1)".
std::string describe_hostname_mismatch(const CertificateReport& report,
                                       std::string_view servername);

enum class ExpiryLevel { ok, warn, fail };

struct ExpiryVerdict {
  ExpiryLevel level = ExpiryLevel::ok;
  std::string message;  ///< empty when ok
};

/// Judges the expiry of `subject`'s certificate: fail under `fail_days` days left (or once
/// expired), warn under `warn_days`.
ExpiryVerdict judge_expiry(TimePoint not_after, std::string_view subject, TimePoint now,
                           int warn_days, int fail_days);

/// What is wrong with the certificate for a check, in words, "" when nothing: `expiry` when it
/// failed, then (when asked to verify them) an untrusted chain and a name that does not match.
std::string certificate_failure(const CertificateReport& report, std::string_view servername,
                                bool verify_chain, bool verify_hostname,
                                const ExpiryVerdict& expiry);

/// The facts conditions read, as a JSON object: protocol, cipher, subject, issuer, names,
/// not_before, not_after, days_left, chain_valid, chain_problems, hostname_valid, servername.
std::string report_json(const CertificateReport& report, std::string_view servername,
                        TimePoint now);

}  // namespace lk::probe::tls
