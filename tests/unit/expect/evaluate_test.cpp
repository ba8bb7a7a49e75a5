// Evaluation: every subject and operator, passing and failing, and what a failure says.

#include <gtest/gtest.h>

#include "expect/expect.hpp"
#include "test_support.hpp"

namespace lk::expect {
namespace {

using namespace std::chrono_literals;
using testing::kNow;
using testing::must_parse;

constexpr const char* kJsonBody = R"({"status":"up","count":3,"ratio":0.25,"ok":true,)"
                                  R"("none":null,"items":[{"id":7,"name":"a"},{"id":8}],)"
                                  R"("tags":["eu","prod"],"weird key":{"x":1},)"
                                  R"("nested":{"deep":{"level":"three"}}})";

// One observation with every subject present.
Observation full_observation() {
  Observation o = testing::http_answer(200, kJsonBody, 120ms);
  o.headers = {{"content-type", "application/json; charset=utf-8"}, {"x-version", "2.4.1"}};
  o.timings.dns = 5ms;
  o.timings.connect = 12ms;
  o.timings.tls = 30ms;
  o.timings.first_byte = 80ms;
  o.cert_not_after = kNow + std::chrono::hours{24 * 20};
  o.metrics = {{"rows", 42, ""}, {"disk.used", 0.75, ""}};
  return o;
}

struct Case {
  const char* condition;
  bool passes;
  const char* explanation = nullptr;  ///< checked exactly when given
};

void run_cases(const Observation& o, std::initializer_list<Case> cases) {
  for (const auto& c : cases) {
    Verdict verdict = evaluate(must_parse(c.condition), o, kNow);
    EXPECT_EQ(verdict.passed, c.passes) << c.condition << ": " << verdict.explanation;
    if (c.passes) {
      EXPECT_EQ(verdict.explanation, "") << c.condition;
    } else {
      EXPECT_FALSE(verdict.explanation.empty()) << c.condition;
    }
    if (c.explanation != nullptr) {
      EXPECT_EQ(verdict.explanation, c.explanation) << c.condition;
    }
  }
}

TEST(Expect, StatusComparesWithEveryOperator) {
  run_cases(full_observation(),
            {
                {"status == 200", true},
                {"status == 500", false, "status was 200 (expected status == 500)"},
                {"status != 200", false, "status was 200 (expected status != 200)"},
                {"status != 500", true},
                {"status < 400", true},
                {"status <= 200", true},
                {"status > 200", false},
                {"status >= 200", true},
                {"status in 200..299", true},
                {"status in 300..399", false, "status was 200 (expected status in 300..399)"},
                {"status not in 500..599", true},
                {"status not in [200]", false},
            });
}

TEST(Expect, StatusInListAcceptsEitherCode) {
  auto condition = must_parse("status in [200, 204]");
  EXPECT_TRUE(evaluate(condition, testing::http_answer(200), kNow).passed);
  EXPECT_TRUE(evaluate(condition, testing::http_answer(204), kNow).passed);
  EXPECT_EQ(evaluate(condition, testing::http_answer(201), kNow).explanation,
            "status was 201 (expected status in [200, 204])");
}

TEST(Expect, BodyTextOperatorsNameTheMissingTextNotTheBody) {
  run_cases(full_observation(),
            {
                {"body contains \"up\"", true},
                {"body contains \"down\"", false, "body does not contain \"down\""},
                {"body ~ \"items\"", true},
                {"body !~ \"error\"", true},
                {"body not contains \"status\"", false, "body contains \"status\""},
                {"body matches \"\\\"count\\\":[0-9]+\"", true},
                {"body matches \"v\\d+\\.\"", false, "body does not match \"v\\d+\\.\""},
                {"body not matches \"error\"", true},
                {"body not matches \"^\\{\"", false, "body matches \"^\\{\""},
                {"body != \"\"", true},
                {"body in [\"a\", \"b\"]", false},
            });
}

TEST(Expect, BodyEqualityQuotesAtMostSixtyCharacters) {
  Verdict verdict = evaluate(must_parse("body == \"x\""), full_observation(), kNow);
  EXPECT_EQ(
      verdict.explanation,
      R"(body was "{\"status\":\"up\",\"count\":3,\"ratio\":0.25,\"ok\":true,\"none\":null,...")"
      R"( (expected body == "x"))");
}

TEST(Expect, BodySizeComparesBytesWithNumbersAndSizes) {
  Observation o = testing::http_answer(200, std::string(2000, 'x'));
  run_cases(o,
            {
                {"body.size < 64KiB", true},
                {"body.size > 10", true},
                {"body.size == 2000", true},
                {"body.size < 2KB", false, "body.size was 2000 bytes (expected body.size < 2KB)"},
                {"body.size <= 2KB", true},
                {"body.size < 2KiB", true},
                {"body.size in 1..1MB", true},
                {"body.size > 1MiB", false},
            });
}

TEST(Expect, LatencyAndPhasesCompareAsDurations) {
  run_cases(full_observation(),
            {
                {"latency < 800ms", true},
                {"latency < 100ms", false, "latency was 120ms (expected latency < 100ms)"},
                {"latency >= 0.12s", true},
                {"latency in 100ms..200ms", true},
                {"latency.dns < 10ms", true},
                {"latency.connect == 12ms", true},
                {"latency.tls < 20ms", false, "latency.tls was 30ms (expected latency.tls < 20ms)"},
                {"latency.first_byte <= 80ms", true},
            });
  run_cases(testing::http_answer(200, "", 1200ms),
            {{"latency < 800ms", false, "latency was 1.2s (expected latency < 800ms)"}});
}

TEST(Expect, CertificateExpiryCountsFromNow) {
  run_cases(full_observation(), {
                                    {"cert.expires_in > 14d", true},
                                    {"cert.expires_in > 30d", false,
                                     "cert.expires_in was 20d (expected cert.expires_in > 30d)"},
                                });
  Observation o = full_observation();
  o.cert_not_after = kNow + std::chrono::hours{24 * 3 + 4} + 12min;
  run_cases(o, {{"cert.expires_in > 14d", false,
                 "cert.expires_in was 3d4h (expected cert.expires_in > 14d)"}});
}

TEST(Expect, HeaderNamesAreCaseInsensitive) {
  run_cases(full_observation(),
            {
                {"header.content-type contains \"json\"", true},
                {"header.Content-Type ~ \"json\"", true},
                {"header.CONTENT-TYPE == \"text/html\"", false,
                 "header.CONTENT-TYPE was \"application/json; charset=utf-8\" (expected "
                 "header.CONTENT-TYPE == \"text/html\")"},
                {"header.x-version matches \"^2\\.4\"", true},
                {"header.X-Version in [\"2.4.1\", \"2.5.0\"]", true},
                {"header.x-version not in [\"2.4.1\"]", false},
            });
}

TEST(Expect, MetricsCompareAsNumbers) {
  run_cases(full_observation(),
            {
                {"metric.rows >= 1", true},
                {"metric.rows == 41", false, "metric.rows was 42 (expected metric.rows == 41)"},
                {"metric.disk.used < 0.9", true},
                {"metric.disk.used > 0.9", false,
                 "metric.disk.used was 0.75 (expected metric.disk.used > 0.9)"},
            });
}

TEST(Expect, JsonPathsReachNestedValuesAndArrays) {
  run_cases(full_observation(),
            {
                {"json.status == \"up\"", true},
                {"json.status == \"down\"", false,
                 "json.status was \"up\" (expected json.status == \"down\")"},
                {"body.json.status == \"up\"", true},
                {"json.count == 3", true},
                {"json.count > 2", true},
                {"json.count < 3", false, "json.count was 3 (expected json.count < 3)"},
                {"json.ratio <= 0.25", true},
                {"json.ok == true", true},
                {"json.ok == false", false, "json.ok was true (expected json.ok == false)"},
                {"json.none == null", true},
                {"json.items[0].id == 7", true},
                {"json.items[1].id == 8", true},
                {"json.items[-1].id == 8", true},
                {"json.items.0.name == \"a\"", true},
                {"json.\"weird key\".x == 1", true},
                {"json.nested.deep.level matches \"^th\"", true},
                {"json.nested.deep.level not matches \"^th\"", false},
                {"json.count in [1, 2, 3]", true},
                {"json.count in 1..2", false},
                {"json.count not in 1..2", true},
                {"json.status in [\"up\", \"degraded\"]", true},
                {"json.count != \"3\"", true},
                {"json.count == \"3\"", false, "json.count was 3 (expected json.count == \"3\")"},
                {"json.status > 1", false, "json.status was \"up\" (expected json.status > 1)"},
            });
}

TEST(Expect, JsonContainsLooksInStringsArraysAndObjectKeys) {
  run_cases(full_observation(),
            {
                {"json.tags contains \"prod\"", true},
                {"json.tags contains \"us\"", false,
                 "json.tags was [\"eu\",\"prod\"] (expected json.tags contains \"us\")"},
                {"json.tags not contains \"us\"", true},
                {"json.status contains \"u\"", true},
                {"json.nested contains \"deep\"", true},
                {"json.count contains 3", false},
                {"json.count not contains 3", false},
            });
}

TEST(Expect, MissingJsonNamesTheFirstMissingStep) {
  run_cases(full_observation(),
            {
                {"json.version == 1", false, "json.version missing"},
                {"json.items[5].id == 1", false, "json.items[5] missing"},
                {"json.items[0].price > 1", false, "json.items[0].price missing"},
                {"json.status.x == 1", false, "json.status.x missing"},
                {"body.json.gone == 1", false, "body.json.gone missing"},
            });
  run_cases(testing::http_answer(200, "<html>down</html>"),
            {{"json.status == \"up\"", false, "body is not JSON"}});
  run_cases(testing::http_answer(204), {{"json == null", false, "body is not JSON (it is empty)"}});
  Observation cut = testing::http_answer(200, R"({"status":"u)");
  cut.body_truncated = true;
  run_cases(cut, {{"json.status == \"up\"", false,
                   "body is not JSON (only its first 12 bytes were read)"}});
}

TEST(Expect, AMissingSubjectFailsAndSaysWhatIsMissing) {
  Observation empty;
  run_cases(empty, {
                       {"status == 200", false, "no HTTP status"},
                       {"status != 200", false, "no HTTP status"},
                       {"latency.dns < 1s", false, "no dns phase"},
                       {"latency.connect < 1s", false, "no connect phase"},
                       {"latency.tls < 1s", false, "no tls phase"},
                       {"latency.first_byte < 1s", false, "no first_byte phase"},
                       {"cert.expires_in > 14d", false, "no certificate"},
                       {"header.x-version == \"2\"", false, "header x-version missing"},
                       {"metric.rows > 0", false, "metric rows missing"},
                       {"latency < 1s", true},
                       {"body.size == 0", true},
                   });
}

TEST(Expect, LongActualValuesAreCutAtSixtyCharacters) {
  Observation o = testing::http_answer(200);
  o.headers = {{"server", std::string(100, 's')}};
  Verdict verdict = evaluate(must_parse("header.server == \"x\""), o, kNow);
  EXPECT_EQ(verdict.explanation, "header.server was \"" + std::string(60, 's') +
                                     "...\" (expected header.server == \"x\")");
}

TEST(Expect, ADefaultConditionFailsInsteadOfCrashing) {
  EXPECT_FALSE(evaluate(Condition{}, testing::http_answer(200), kNow).passed);
}

}  // namespace
}  // namespace lk::expect
