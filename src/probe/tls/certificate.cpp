#include "probe/tls/certificate.hpp"

#include <arpa/inet.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "probe/tls/target.hpp"

namespace lk::probe::tls {

namespace {

constexpr auto kDay = std::chrono::hours{24};

std::optional<TimePoint> to_time_point(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string name_text(const X509_NAME* name) {
  if (!name) return {};
  BIO* bio = BIO_new(BIO_s_mem());
  if (!bio) return {};
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(std::max(size, 0L)));
  BIO_free(bio);
  return out;
}

std::vector<std::string> alt_names(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      const ASN1_STRING* s = name->d.dNSName;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<std::size_t>(ASN1_STRING_length(s)));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* s = name->d.iPAddress;
      char buf[INET6_ADDRSTRLEN] = {};
      int length = ASN1_STRING_length(s);
      int family = length == 4 ? AF_INET : (length == 16 ? AF_INET6 : 0);
      if (family && inet_ntop(family, ASN1_STRING_get0_data(s), buf, sizeof buf))
        out.push_back(buf);
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

bool is_expiry(int code) {
  return code == X509_V_ERR_CERT_HAS_EXPIRED || code == X509_V_ERR_CERT_NOT_YET_VALID;
}

/// Lower sorts first: what a reader most needs to know about a chain.
int rank(int code) {
  switch (code) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return 0;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return 1;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return 2;
    default:
      return 3;
  }
}

std::string json_time(const std::optional<TimePoint>& t) {
  return t ? format_time(*t) : std::string();
}

}  // namespace

std::string short_name(std::string_view rfc2253) {
  // RFC 2253 lists the most specific part first; the CN is what people recognise.
  std::size_t at = 0;
  while (at < rfc2253.size()) {
    auto comma = rfc2253.find(',', at);
    while (comma != std::string_view::npos && comma > 0 && rfc2253[comma - 1] == '\\')
      comma = rfc2253.find(',', comma + 1);
    auto part =
        rfc2253.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
    if (part.starts_with("CN=")) return std::string(part);
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  return rfc2253.empty() ? std::string("(no subject)") : std::string(rfc2253);
}

std::string format_day(TimePoint t) {
  auto secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

long days_until(TimePoint t, TimePoint now) {
  auto d = std::chrono::floor<std::chrono::duration<long, std::ratio<86400>>>(t - now);
  return d.count();
}

std::string describe(const VerifyProblem& p) {
  std::string who = short_name(p.subject);
  switch (p.code) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "certificate " + who + " expired" +
             (p.not_after ? " on " + format_day(*p.not_after) : "");
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "certificate " + who + " is not valid yet" +
             (p.not_before ? " (from " + format_day(*p.not_before) + ")" : "");
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return "self-signed certificate " + who;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return "self-signed certificate in the chain: untrusted root " + who;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      return "untrusted issuer " + short_name(p.issuer) + " (of " + who + ")";
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return "cannot verify " + who + ": issuer " + short_name(p.issuer) +
             " not found (incomplete chain?)";
    default:
      return std::string(X509_verify_cert_error_string(p.code)) + " (" + who + ")";
  }
}

std::string describe_problems(const std::vector<VerifyProblem>& problems, bool skip_expiry) {
  std::vector<const VerifyProblem*> sorted;
  for (const auto& p : problems)
    if (!(skip_expiry && is_expiry(p.code))) sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return rank(a->code) != rank(b->code) ? rank(a->code) < rank(b->code) : a->depth < b->depth;
  });
  std::string out;
  for (const auto* p : sorted) {
    auto text = describe(*p);
    if (out.find(text) != std::string::npos) continue;
    out += (out.empty() ? "" : "; ") + text;
  }
  return out;
}

std::string describe_hostname_mismatch(const CertificateReport& report,
                                       std::string_view servername) {
  std::string names;
  for (const auto& n : report.names) names += (names.empty() ? "" : ", ") + n;
  if (names.empty()) names = short_name(report.subject);
  return "certificate is not valid for " + std::string(servername) + " (it names " + names + ")";
}

ExpiryVerdict judge_expiry(TimePoint not_after, std::string_view subject, TimePoint now,
                           int warn_days, int fail_days) {
  std::string who = short_name(subject);
  std::string day = format_day(not_after);
  if (not_after <= now) {
    long ago = -days_until(not_after, now);
    return {ExpiryLevel::fail, "certificate " + who + " expired on " + day + " (" +
                                   std::to_string(ago) + (ago == 1 ? " day" : " days") + " ago)"};
  }
  auto left = not_after - now;
  long days = days_until(not_after, now);
  std::string in = days == 0 ? "in less than a day"
                             : "in " + std::to_string(days) + (days == 1 ? " day" : " days");
  if (left < fail_days * kDay)
    return {ExpiryLevel::fail, "certificate " + who + " expires " + in + ", on " + day +
                                   " (fail_days: " + std::to_string(fail_days) + ")"};
  if (left < warn_days * kDay)
    return {ExpiryLevel::warn, "certificate " + who + " expires " + in + ", on " + day +
                                   " (warn_days: " + std::to_string(warn_days) + ")"};
  return {};
}

std::string certificate_failure(const CertificateReport& report, std::string_view servername,
                                bool verify_chain, bool verify_hostname,
                                const ExpiryVerdict& expiry) {
  std::string out;
  auto add = [&out](const std::string& text) {
    if (!text.empty()) out += (out.empty() ? "" : "; ") + text;
  };
  bool expiry_failed = expiry.level == ExpiryLevel::fail;
  if (expiry_failed) add(expiry.message);
  if (verify_chain) add(describe_problems(report.problems, expiry_failed));
  if (verify_hostname && !report.hostname_valid)
    add(describe_hostname_mismatch(report, servername));
  return out;
}

std::string report_json(const CertificateReport& r, std::string_view servername, TimePoint now) {
  nlohmann::json j;
  j["protocol"] = r.protocol;
  j["cipher"] = r.cipher;
  j["subject"] = r.subject;
  j["issuer"] = r.issuer;
  j["names"] = r.names;
  j["not_before"] = json_time(r.not_before);
  j["not_after"] = json_time(r.not_after);
  if (r.earliest_not_after) {
    j["days_left"] = days_until(*r.earliest_not_after, now);
    j["expires_first"] = r.earliest_subject;
  } else {
    j["days_left"] = nullptr;
  }
  j["chain_valid"] = r.chain_valid();
  auto problems = nlohmann::json::array();
  for (const auto& p : r.problems) problems.push_back(describe(p));
  j["chain_problems"] = std::move(problems);
  j["hostname_valid"] = r.hostname_valid;
  j["servername"] = servername;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

VerifyProblem problem_at(X509_STORE_CTX* ctx) {
  VerifyProblem p;
  p.code = X509_STORE_CTX_get_error(ctx);
  p.depth = X509_STORE_CTX_get_error_depth(ctx);
  if (X509* cert = X509_STORE_CTX_get_current_cert(ctx)) {
    p.subject = name_text(X509_get_subject_name(cert));
    p.issuer = name_text(X509_get_issuer_name(cert));
    p.not_before = to_time_point(X509_get0_notBefore(cert));
    p.not_after = to_time_point(X509_get0_notAfter(cert));
  }
  return p;
}

CertificateReport inspect(ssl_st* ssl, std::vector<VerifyProblem> problems,
                          std::string_view servername) {
  CertificateReport r;
  r.protocol = SSL_get_version(ssl);
  if (const char* cipher = SSL_get_cipher_name(ssl)) r.cipher = cipher;
  r.problems = std::move(problems);
  X509* leaf = SSL_get0_peer_certificate(ssl);
  if (!leaf) return r;
  r.subject = name_text(X509_get_subject_name(leaf));
  r.issuer = name_text(X509_get_issuer_name(leaf));
  r.names = alt_names(leaf);
  r.not_before = to_time_point(X509_get0_notBefore(leaf));
  r.not_after = to_time_point(X509_get0_notAfter(leaf));
  r.earliest_not_after = r.not_after;
  r.earliest_subject = r.subject;
  // The client's view of the chain includes the leaf first.
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) {
    for (int i = 1; i < sk_X509_num(chain); ++i) {
      X509* cert = sk_X509_value(chain, i);
      auto t = to_time_point(X509_get0_notAfter(cert));
      if (t && (!r.earliest_not_after || *t < *r.earliest_not_after)) {
        r.earliest_not_after = t;
        r.earliest_subject = name_text(X509_get_subject_name(cert));
      }
    }
  }
  std::string name(servername);
  if (!name.empty()) {
    if (is_ip_address(name))
      r.hostname_valid = X509_check_ip_asc(leaf, name.c_str(), 0) == 1;
    else
      r.hostname_valid = X509_check_host(leaf, name.data(), name.size(), 0, nullptr) == 1;
  }
  return r;
}

}  // namespace lk::probe::tls
