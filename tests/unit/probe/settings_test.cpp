// The http check's settings: what a plain check keeps, how the config is read, and the lean plan
// that is built on first use.

#include "probe/http/settings.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "probe/http/lean_request.hpp"

namespace lk::probe::http {
namespace {

Settings settings(std::string url) {
  Settings s;
  s.url = std::move(url);
  return s;
}

using Values = std::map<std::string, std::string, std::less<>>;

/// Fields of one check given as text, with the option table's defaults; keeps the errors.
class FakeFields final : public config::Fields {
 public:
  explicit FakeFields(Values values, Settings::Headers headers = {})
      : values_(std::move(values)), headers_(std::move(headers)) {}

  bool has(std::string_view key) const override { return values_.contains(key); }
  std::string string(std::string_view key) override { return text(key); }
  std::optional<std::string> optional_string(std::string_view key) override { return text(key); }
  bool boolean(std::string_view key) override { return text(key) == "true"; }
  std::int64_t integer(std::string_view key, std::int64_t, std::int64_t) override {
    return std::stoll(text(key));
  }
  Duration duration(std::string_view) override { return {}; }
  std::uint64_t size(std::string_view key) override {
    return text(key) == "1MiB" ? 1 << 20 : std::stoull(text(key));
  }
  std::vector<std::string> string_list(std::string_view) override { return {}; }
  Settings::Headers string_map(std::string_view) override { return headers_; }
  void error(std::string_view key, std::string message) override {
    errors.push_back(std::string(key) + ": " + message);
  }
  std::string path(std::string_view key) const override { return std::string(key); }

  std::vector<std::string> errors;

 private:
  std::string text(std::string_view key) const {
    if (auto it = values_.find(key); it != values_.end()) return it->second;
    for (const auto& option : options())
      if (option.key == key) return std::string(option.default_value);
    ADD_FAILURE() << "not an http option: " << key;
    return {};
  }

  Values values_;
  Settings::Headers headers_;
};

std::shared_ptr<const Settings> parsed(FakeFields& fields) {
  CheckSpec spec;
  auto s = std::static_pointer_cast<const Settings>(parse(fields, spec));
  EXPECT_EQ(spec.target, s->url);
  return s;
}

TEST(HttpSettings, APlainCheckKeepsNoExtrasAndReadsThemAsEmpty) {
  FakeFields fields(Values{{"url", "http://127.0.0.1:8080/health"}});
  auto s = parsed(fields);
  EXPECT_TRUE(fields.errors.empty());
  EXPECT_EQ(&s->extras(), &Settings().extras());  // the shared empty set: nothing allocated
  EXPECT_TRUE(s->headers().empty());
  EXPECT_TRUE(s->body().empty());
  EXPECT_TRUE(s->ca_file().empty());
  EXPECT_TRUE(s->client_cert().empty());
  EXPECT_TRUE(s->client_key().empty());
  EXPECT_EQ(s->method, "GET");
  EXPECT_EQ(s->max_body, 1u << 20);
  EXPECT_EQ(s->max_redirects, 10);
  EXPECT_TRUE(s->follow_redirects);
  EXPECT_TRUE(s->verify_tls);
  EXPECT_FALSE(s->reuse_connection);
}

TEST(HttpSettings, RarelySetOptionsAreReadIntoTheExtras) {
  FakeFields fields(Values{{"url", "https://shop.example/"},
                           {"method", "post"},
                           {"body", "a=1"},
                           {"ca_file", "ca.pem"},
                           {"client_cert", "client.pem"},
                           {"client_key", "client.key"}},
                    {{"X-Token", "t"}});
  auto s = parsed(fields);
  EXPECT_TRUE(fields.errors.empty());
  EXPECT_EQ(s->method, "POST");
  EXPECT_EQ(s->headers(), (Settings::Headers{{"X-Token", "t"}}));
  EXPECT_EQ(s->body(), "a=1");
  EXPECT_EQ(s->ca_file(), "ca.pem");
  EXPECT_EQ(s->client_cert(), "client.pem");
  EXPECT_EQ(s->client_key(), "client.key");
}

TEST(HttpSettings, ReadingReportsTheSameMistakes) {
  FakeFields fields(Values{{"url", "ftp://x/"}, {"method", "fetch"}, {"client_key", "k.pem"}});
  parsed(fields);
  EXPECT_EQ(fields.errors,
            (std::vector<std::string>{
                "url: expected an http:// or https:// URL, got \"ftp://x/\"",
                "method: unsupported method \"FETCH\"; use GET, HEAD, POST, PUT, PATCH, DELETE "
                "or OPTIONS",
                "client_key: client_key needs client_cert"}));
}

TEST(HttpSettings, ACopyHasItsOwnExtras) {
  auto original = settings("http://127.0.0.1/");
  original.edit_extras().headers = {{"X-A", "1"}};
  Settings copy = original;
  copy.edit_extras().headers.clear();
  copy.edit_extras().body = "b";
  EXPECT_EQ(original.headers(), (Settings::Headers{{"X-A", "1"}}));
  EXPECT_TRUE(original.body().empty());
  Settings assigned;
  assigned = copy;
  EXPECT_EQ(assigned.body(), "b");
  EXPECT_NE(&assigned.extras(), &copy.extras());
}

TEST(HttpSettings, APlainCheckIsSmall) {
  // What 100,000 checks cost: a plain check's settings and lean plan allocate nothing else
  // (the URL and the request aside). Figures for 64-bit libstdc++.
  if constexpr (sizeof(void*) == 8 && sizeof(std::string) == 32) {
    EXPECT_LE(sizeof(Settings), 104u);
    EXPECT_LE(sizeof(LeanPlan), 64u);
  }
}

TEST(LazyLeanPlan, IsBuiltOnFirstUseAndThenReused) {
  const auto s = settings("http://127.0.0.1:8080/health");
  const LeanPlan* plan = s.lean_plan();
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->endpoint.port(), 8080);
  EXPECT_EQ(plan->request.rfind("GET /health HTTP/1.1\r\n", 0), 0u);
  EXPECT_EQ(s.lean_plan(), plan);
  EXPECT_EQ(s.lean_plan(), plan);
}

TEST(LazyLeanPlan, StaysNullForACheckThatRunsOnCurl) {
  for (const char* url : {"https://127.0.0.1/", "http://localhost/", "not a url"}) {
    const auto s = settings(url);
    EXPECT_EQ(s.lean_plan(), nullptr) << url;
    EXPECT_EQ(s.lean_plan(), nullptr) << url;
  }
}

TEST(LazyLeanPlan, ThreadsUsingItFirstAtOnceAllGetTheSamePlan) {
  constexpr int kThreads = 8;
  for (int round = 0; round < 50; ++round) {
    const auto s = settings("http://127.0.0.1:" + std::to_string(1000 + round) + "/");
    std::vector<const LeanPlan*> seen(kThreads);
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        seen[i] = s.lean_plan();
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_NE(seen[0], nullptr);
    for (const LeanPlan* plan : seen) EXPECT_EQ(plan, seen[0]);
    EXPECT_EQ(s.lean_plan(), seen[0]);
    EXPECT_EQ(seen[0]->endpoint.port(), 1000 + round);
  }
}

TEST(LazyLeanPlan, ADisabledCheckStaysOnCurlAndSoDoItsCopies) {
  auto s = settings("http://127.0.0.1/");
  ASSERT_NE(s.lean_plan(), nullptr);
  s.disable_lean();
  EXPECT_EQ(s.lean_plan(), nullptr);
  Settings copy = s;
  EXPECT_EQ(copy.lean_plan(), nullptr);
  Settings assigned = settings("http://127.0.0.2/");
  ASSERT_NE(assigned.lean_plan(), nullptr);
  assigned = s;
  EXPECT_EQ(assigned.lean_plan(), nullptr);
}

TEST(LazyLeanPlan, ACopyStartsUnbuiltAndPlansFromItsOwnFields) {
  auto original = settings("http://127.0.0.1:8080/");
  const LeanPlan* first = original.lean_plan();
  ASSERT_NE(first, nullptr);
  Settings copy = original;
  copy.url = "http://127.0.0.1:9090/";
  ASSERT_NE(copy.lean_plan(), nullptr);
  EXPECT_NE(copy.lean_plan(), first);
  EXPECT_EQ(copy.lean_plan()->endpoint.port(), 9090);
  EXPECT_EQ(original.lean_plan(), first);

  // Assignment drops the plan built for the old fields; so does a move.
  Settings assigned = settings("http://127.0.0.2:7070/");
  ASSERT_NE(assigned.lean_plan(), nullptr);
  assigned = copy;
  ASSERT_NE(assigned.lean_plan(), nullptr);
  EXPECT_EQ(assigned.lean_plan()->endpoint.port(), 9090);
  Settings moved = std::move(assigned);
  moved.url = "http://127.0.0.1:6060/";
  ASSERT_NE(moved.lean_plan(), nullptr);
  EXPECT_EQ(moved.lean_plan()->endpoint.port(), 6060);
}

TEST(LazyLeanPlan, ANotLeanVerdictIsNotCopied) {
  auto tls = settings("https://127.0.0.1/");
  ASSERT_EQ(tls.lean_plan(), nullptr);
  Settings copy = tls;
  copy.url = "http://127.0.0.1/";
  EXPECT_NE(copy.lean_plan(), nullptr);
}

}  // namespace
}  // namespace lk::probe::http
