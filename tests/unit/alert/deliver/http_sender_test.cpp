#include "alert/deliver/http_sender.hpp"

#include <gtest/gtest.h>

#include <future>

#include "alert/deliver/retry_policy.hpp"
#include "loopback_server.hpp"

namespace lk::alert::deliver {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::LoopbackServer;

std::string response(std::string_view status_line, std::string_view extra_headers,
                     std::string_view body) {
  return "HTTP/1.1 " + std::string(status_line) + "\r\n" + std::string(extra_headers) +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         std::string(body);
}

HttpRequest post(std::string url, std::string body = R"({"text":"DOWN: api-health"})") {
  HttpRequest r;
  r.method = "POST";
  r.url = std::move(url);
  r.headers = {{"Content-Type", "application/json"}};
  r.body = std::move(body);
  r.idempotency_key = "msg-1";
  return r;
}

// Sends through the asynchronous interface with an executor that runs completions inline,
// and waits for the answer.
Attempt send_and_wait(const HttpRequest& request, Duration timeout = seconds{5}) {
  HttpSender sender([](std::function<void()> f) { f(); });
  std::promise<Attempt> result;
  sender.send(request, timeout, [&result](Attempt a) { result.set_value(std::move(a)); });
  return result.get_future().get();
}

TEST(HttpSender, A200IsSent) {
  LoopbackServer server(response("200 OK", "", "ok"));
  Attempt a = send_and_wait(post(server.url("/hook")));
  EXPECT_EQ(a.http_status, 200);
  EXPECT_EQ(a.failed_layer, FailedLayer::none);
  EXPECT_EQ(a.error, "");
  EXPECT_EQ(a.response_start, "ok");
  EXPECT_GT(a.duration, Duration::zero());
  EXPECT_EQ(classify(a), Verdict::sent);
}

TEST(HttpSender, A500IsReportedWithTheFirstBytesOfTheAnswer) {
  LoopbackServer server(response("500 Internal Server Error", "", "database is down\nsorry"));
  Attempt a = send_and_wait(post(server.url("/hook")));
  EXPECT_EQ(a.http_status, 500);
  EXPECT_EQ(a.error, "POST " + server.url("/hook") + ": HTTP 500: database is down sorry");
  EXPECT_EQ(classify(a), Verdict::retry);
}

TEST(HttpSender, A429CarriesRetryAfter) {
  LoopbackServer server(response("429 Too Many Requests", "Retry-After: 120\r\n", "slow down"));
  Attempt a = send_and_wait(post(server.url("/hook")));
  EXPECT_EQ(a.http_status, 429);
  EXPECT_EQ(a.retry_after, "120");
  RetryOptions options;
  TimePoint now{};
  auto d = decide(options, a, 1, now, now, [] { return 0.0; });
  EXPECT_EQ(d.verdict, Verdict::retry);
  EXPECT_EQ(d.next_attempt_at, now + seconds{120});
}

TEST(HttpSender, AReceiverThatNeverAnswersTimesOutWithinTheBound) {
  LoopbackServer server("");
  auto started = std::chrono::steady_clock::now();
  Attempt a = send_and_wait(post(server.url("/hook")), milliseconds{300});
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(a.failed_layer, FailedLayer::timeout);
  EXPECT_EQ(a.http_status, 0);
  EXPECT_NE(a.error.find(": timeout: no answer within 300ms"), std::string::npos) << a.error;
  EXPECT_GE(took, milliseconds{250});
  EXPECT_LT(took, seconds{5});  // the bound holds; the margin is for a loaded machine
  EXPECT_EQ(classify(a), Verdict::retry);
}

TEST(HttpSender, AClosedPortIsAConnectError) {
  auto url = "http://127.0.0.1:" + std::to_string(LoopbackServer::closed_port()) + "/hook";
  Attempt a = send_and_wait(post(url));
  EXPECT_EQ(a.failed_layer, FailedLayer::connect);
  EXPECT_EQ(a.error.rfind("POST " + url + ": connect: ", 0), 0u) << a.error;
  EXPECT_EQ(classify(a), Verdict::retry);
}

TEST(HttpSender, ARedirectIsReportedAndNotFollowed) {
  LoopbackServer server("");
  LoopbackServer redirecting(
      response("301 Moved Permanently", "Location: " + server.url("/new") + "\r\n", ""));
  Attempt a = send_and_wait(post(redirecting.url("/old")));
  EXPECT_EQ(a.http_status, 301);
  EXPECT_EQ(a.failed_layer, FailedLayer::redirect);
  EXPECT_NE(a.error.find("redirect: HTTP 301 to " + server.url("/new")), std::string::npos)
      << a.error;
  EXPECT_EQ(classify(a), Verdict::permanent);
  EXPECT_EQ(redirecting.requests().size(), 1u);
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpSender, SendsExactlyTheRequestTheChannelBuilt) {
  LoopbackServer server(response("202 Accepted", "", ""));
  HttpRequest r = post(server.url("/v1/hook?team=ops"), R"({"text":"DOWN"})");
  r.method = "PUT";
  r.headers.emplace_back("X-Custom", "yes");
  Attempt a = send_and_wait(r);
  ASSERT_EQ(a.http_status, 202);
  ASSERT_EQ(server.requests().size(), 1u);
  const std::string raw = server.requests()[0];
  const auto host = "127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(raw,
            "PUT /v1/hook?team=ops HTTP/1.1\r\n"
            "Host: " +
                host +
                "\r\n"
                "User-Agent: lightkeeper\r\n"
                "Accept: */*\r\n"
                "Content-Type: application/json\r\n"
                "X-Custom: yes\r\n"
                "Idempotency-Key: msg-1\r\n"
                "Content-Length: 15\r\n"
                "\r\n"
                R"({"text":"DOWN"})");
}

TEST(HttpSender, AnIdempotencyHeaderOfTheChannelIsNotDoubled) {
  LoopbackServer server(response("200 OK", "", ""));
  HttpRequest r = post(server.url("/"));
  r.headers.emplace_back("Idempotency-Key", "own");
  send_and_wait(r);
  ASSERT_EQ(server.requests().size(), 1u);
  const std::string raw = server.requests()[0];
  EXPECT_NE(raw.find("Idempotency-Key: own\r\n"), std::string::npos);
  EXPECT_EQ(raw.find("msg-1"), std::string::npos);
}

TEST(HttpSender, SecretsNeverReachTheErrorText) {
  LoopbackServer server(response("403 Forbidden", "", "bad token s3cr3t/tok"));
  HttpRequest r = post(server.url("/bot/s3cr3t%2Ftok/send"));
  r.secrets = {"s3cr3t/tok"};
  Attempt a = send_and_wait(r);
  EXPECT_EQ(a.http_status, 403);
  EXPECT_EQ(a.error.find("s3cr3t"), std::string::npos) << a.error;
  EXPECT_EQ(a.response_start.find("s3cr3t"), std::string::npos) << a.response_start;
  EXPECT_NE(a.error.find("/bot/***/send"), std::string::npos) << a.error;
  EXPECT_EQ(classify(a), Verdict::permanent);
}

TEST(HttpSender, ReadsAtMostTheFirstBytesOfALargeAnswer) {
  LoopbackServer server(response("200 OK", "", std::string(200'000, 'x')));
  Attempt a = send_and_wait(post(server.url("/")));
  EXPECT_EQ(a.http_status, 200);
  EXPECT_EQ(a.failed_layer, FailedLayer::none);
  EXPECT_EQ(a.response_start.size(), 4096u);
  EXPECT_EQ(classify(a), Verdict::sent);
}

TEST(HttpSender, AnUnsupportedSchemeIsAPermanentRequestError) {
  HttpRequest r = post("ftp://127.0.0.1/hook");
  Attempt a = send_and_wait(r);
  EXPECT_EQ(a.failed_layer, FailedLayer::request);
  EXPECT_EQ(classify(a), Verdict::permanent);
}

TEST(HttpSender, SendNeverBlocksAndCompletesThroughTheExecutor) {
  LoopbackServer silent("");
  std::mutex mutex;
  std::vector<std::function<void()>> posted;
  HttpSender sender([&](std::function<void()> f) {
    std::lock_guard lock(mutex);
    posted.push_back(std::move(f));
  });
  std::promise<Attempt> result;
  auto started = std::chrono::steady_clock::now();
  sender.send(post(silent.url()), seconds{2},
              [&result](Attempt a) { result.set_value(std::move(a)); });
  // A blocking send would take the request's whole 2 s timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds{1});
  // Nothing completes until the executor runs what was posted.
  auto future = result.get_future();
  for (int i = 0; i < 1000; ++i) {  // at most 10 s
    {
      std::lock_guard lock(mutex);
      if (!posted.empty()) break;
    }
    std::this_thread::sleep_for(milliseconds{10});
  }
  EXPECT_EQ(future.wait_for(milliseconds{0}), std::future_status::timeout);
  std::lock_guard lock(mutex);
  ASSERT_EQ(posted.size(), 1u);
  posted[0]();
  EXPECT_EQ(future.get().failed_layer, FailedLayer::timeout);
}

TEST(HttpSender, ShuttingDownAbortsARequestInFlight) {
  LoopbackServer silent("");
  std::promise<Attempt> result;
  auto started = std::chrono::steady_clock::now();
  {
    HttpSender sender([](std::function<void()> f) { f(); });
    sender.send(post(silent.url()), seconds{30},
                [&result](Attempt a) { result.set_value(std::move(a)); });
    for (int i = 0; i < 2000 && silent.requests().empty(); ++i)  // at most 10 s
      std::this_thread::sleep_for(milliseconds{5});
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds{5});
  EXPECT_EQ(result.get_future().get().failed_layer, FailedLayer::cancelled);
}

}  // namespace
}  // namespace lk::alert::deliver
