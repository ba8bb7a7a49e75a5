// How a certificate is judged and described: expiry thresholds, chain problems in words, name
// mismatches, and the JSON facts conditions read.

#include "probe/tls/certificate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/x509_vfy.h>

#include <nlohmann/json.hpp>

namespace lk::probe::tls {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

// 2026-11-21 12:00:00 UTC.
const TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 21} + 12h;

VerifyProblem problem(int code, int depth = 0, std::string subject = "CN=www.example,O=Example",
                      std::string issuer = "CN=Example CA,O=Example") {
  VerifyProblem p;
  p.code = code;
  p.depth = depth;
  p.subject = std::move(subject);
  p.issuer = std::move(issuer);
  p.not_after = std::chrono::sys_days{std::chrono::year{2020} / 2 / 1};
  return p;
}

CertificateReport good_report() {
  CertificateReport r;
  r.protocol = "TLSv1.3";
  r.cipher = "TLS_AES_256_GCM_SHA384";
  r.subject = "CN=www.example";
  r.issuer = "CN=Example CA,O=Example";
  r.names = {"www.example", "127.0.0.1"};
  r.not_after = kNow + 41 * 24h + 3h;
  r.earliest_not_after = r.not_after;
  r.earliest_subject = r.subject;
  r.hostname_valid = true;
  return r;
}

TEST(CertificateNames, ShortNameIsTheCommonName) {
  EXPECT_EQ(short_name("CN=www.example,O=Example,C=DE"), "CN=www.example");
  EXPECT_EQ(short_name("O=Example\\, Inc.,CN=x"), "CN=x");
  EXPECT_EQ(short_name("O=Example,C=DE"), "O=Example,C=DE");
  EXPECT_EQ(short_name(""), "(no subject)");
}

TEST(CertificateExpiry, DaysAreWholeDaysRoundedDown) {
  EXPECT_EQ(days_until(kNow + 24h * 41 + 23h, kNow), 41);
  EXPECT_EQ(days_until(kNow + 1h, kNow), 0);
  EXPECT_EQ(days_until(kNow - 1h, kNow), -1);
  EXPECT_EQ(format_day(kNow), "2026-11-21");
}

TEST(CertificateExpiry, FarFromExpiryIsOk) {
  auto v = judge_expiry(kNow + 15 * 24h, "CN=a", kNow, 14, 3);
  EXPECT_EQ(v.level, ExpiryLevel::ok);
  EXPECT_EQ(v.message, "");
}

TEST(CertificateExpiry, UnderWarnDaysWarnsWithDateAndThreshold) {
  auto v = judge_expiry(kNow + 13 * 24h + 1h, "CN=a,O=b", kNow, 14, 3);
  EXPECT_EQ(v.level, ExpiryLevel::warn);
  EXPECT_EQ(v.message, "certificate CN=a expires in 13 days, on 2026-12-04 (warn_days: 14)");
}

TEST(CertificateExpiry, UnderFailDaysFails) {
  auto v = judge_expiry(kNow + 2 * 24h, "CN=a", kNow, 14, 3);
  EXPECT_EQ(v.level, ExpiryLevel::fail);
  EXPECT_EQ(v.message, "certificate CN=a expires in 2 days, on 2026-11-23 (fail_days: 3)");
  EXPECT_THAT(judge_expiry(kNow + 2h, "CN=a", kNow, 14, 3).message,
              HasSubstr("expires in less than a day"));
}

TEST(CertificateExpiry, AnExpiredCertificateSaysWhen) {
  auto v =
      judge_expiry(std::chrono::sys_days{std::chrono::year{2020} / 2 / 1}, "CN=a", kNow, 14, 0);
  EXPECT_EQ(v.level, ExpiryLevel::fail);
  EXPECT_THAT(v.message, HasSubstr("certificate CN=a expired on 2020-02-01 ("));
  EXPECT_THAT(v.message, HasSubstr("days ago)"));
}

TEST(CertificateExpiry, ZeroThresholdsOnlyFailOnExpiry) {
  EXPECT_EQ(judge_expiry(kNow + 1h, "CN=a", kNow, 0, 0).level, ExpiryLevel::ok);
  EXPECT_EQ(judge_expiry(kNow - 1s, "CN=a", kNow, 0, 0).level, ExpiryLevel::fail);
}

TEST(CertificateProblems, EachCommonProblemReadsLikeASentence) {
  EXPECT_EQ(describe(problem(X509_V_ERR_CERT_HAS_EXPIRED)),
            "certificate CN=www.example expired on 2020-02-01");
  EXPECT_EQ(describe(problem(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)),
            "self-signed certificate CN=www.example");
  EXPECT_EQ(describe(problem(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, 1, "CN=Root")),
            "self-signed certificate in the chain: untrusted root CN=Root");
  EXPECT_EQ(describe(problem(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)),
            "untrusted issuer CN=Example CA (of CN=www.example)");
  EXPECT_EQ(describe(problem(X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE)),
            "cannot verify CN=www.example: issuer CN=Example CA not found (incomplete chain?)");
  EXPECT_THAT(describe(problem(X509_V_ERR_CERT_REVOKED)), HasSubstr("revoked"));
}

TEST(CertificateProblems, MostTellingFirstAndEachOnce) {
  std::vector<VerifyProblem> problems{
      problem(X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE),
      problem(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT),
      problem(X509_V_ERR_CERT_HAS_EXPIRED),
      problem(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT),
  };
  EXPECT_EQ(describe_problems(problems, false),
            "certificate CN=www.example expired on 2020-02-01; self-signed certificate "
            "CN=www.example; cannot verify CN=www.example: issuer CN=Example CA not found "
            "(incomplete chain?)");
  EXPECT_THAT(describe_problems(problems, true), Not(HasSubstr("expired")));
}

TEST(CertificateProblems, HostnameMismatchListsTheNamesTheCertificateHas) {
  auto r = good_report();
  EXPECT_EQ(describe_hostname_mismatch(r, "other.example"),
            "certificate is not valid for other.example (it names www.example, 127.0.0.1)");
  r.names.clear();
  EXPECT_EQ(describe_hostname_mismatch(r, "other.example"),
            "certificate is not valid for other.example (it names CN=www.example)");
}

TEST(CertificateFailure, AGoodCertificateHasNone) {
  EXPECT_EQ(certificate_failure(good_report(), "www.example", true, true, {}), "");
}

TEST(CertificateFailure, ReportsExpiryOnceThenChainThenName) {
  auto r = good_report();
  r.problems = {problem(X509_V_ERR_CERT_HAS_EXPIRED),
                problem(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)};
  r.hostname_valid = false;
  ExpiryVerdict expired{ExpiryLevel::fail,
                        "certificate CN=www.example expired on 2020-02-01 (2485 days ago)"};
  EXPECT_EQ(certificate_failure(r, "x.example", true, true, expired),
            "certificate CN=www.example expired on 2020-02-01 (2485 days ago); self-signed "
            "certificate CN=www.example; certificate is not valid for x.example (it names "
            "www.example, 127.0.0.1)");
}

TEST(CertificateFailure, VerificationSwitchesLeaveOnlyExpiry) {
  auto r = good_report();
  r.problems = {problem(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)};
  r.hostname_valid = false;
  EXPECT_EQ(certificate_failure(r, "x.example", false, false, {}), "");
  EXPECT_EQ(certificate_failure(r, "x.example", false, false, {ExpiryLevel::fail, "soon"}), "soon");
  EXPECT_EQ(certificate_failure(r, "x.example", true, false, {}),
            "self-signed certificate CN=www.example");
}

TEST(CertificateJson, HoldsTheFactsConditionsRead) {
  auto r = good_report();
  r.problems = {problem(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)};
  auto j = nlohmann::json::parse(report_json(r, "www.example", kNow));
  EXPECT_EQ(j["protocol"], "TLSv1.3");
  EXPECT_EQ(j["cipher"], "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(j["subject"], "CN=www.example");
  EXPECT_EQ(j["issuer"], "CN=Example CA,O=Example");
  EXPECT_EQ(j["names"], nlohmann::json::array({"www.example", "127.0.0.1"}));
  EXPECT_EQ(j["days_left"], 41);
  EXPECT_EQ(j["chain_valid"], false);
  EXPECT_EQ(j["chain_problems"][0], "self-signed certificate CN=www.example");
  EXPECT_EQ(j["hostname_valid"], true);
  EXPECT_EQ(j["servername"], "www.example");
  EXPECT_EQ(j["not_after"], format_time(*r.not_after));
}

}  // namespace
}  // namespace lk::probe::tls
