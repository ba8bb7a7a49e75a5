#include "web/ping.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace lk::web;

namespace {

/// Knows one token and records what it was given.
struct RecordingSink final : PingSink {
  struct Ping {
    std::string token;
    PingSignal signal;
    std::string body;
  };
  std::vector<Ping> pings;
  bool ping(std::string_view token, PingSignal signal, std::string_view body) override {
    if (token != "known-token-0123456789") return false;
    pings.push_back({std::string(token), signal, std::string(body)});
    return true;
  }
};

Request request(std::string_view method, std::string_view target, std::string body = "") {
  Request r = make_request(method, target);
  r.body = std::move(body);
  return r;
}

TEST(Ping, SuccessStartAndFailReachTheSinkAndAnswerOk) {
  RecordingSink sink;
  for (auto [method, target] : {std::pair{"GET", "/ping/known-token-0123456789"},
                                {"POST", "/ping/known-token-0123456789/start"},
                                {"HEAD", "/ping/known-token-0123456789/fail/"}}) {
    Response r = answer_ping(request(method, target, "log"), &sink);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, "OK");
  }
  ASSERT_EQ(sink.pings.size(), 3u);
  EXPECT_EQ(sink.pings[0].signal, PingSignal::success);
  EXPECT_EQ(sink.pings[1].signal, PingSignal::start);
  EXPECT_EQ(sink.pings[2].signal, PingSignal::fail);
  EXPECT_EQ(sink.pings[1].body, "log");
}

TEST(Ping, UnknownTokensAndActionsAre404JsonThatSaysNothing) {
  RecordingSink sink;
  for (auto target : {"/ping/unknown-token-0000000", "/ping/known-token-0123456789/stop", "/ping/",
                      "/ping/known-token-0123456789/fail/more"}) {
    Response r = answer_ping(request("GET", target), &sink);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body, R"({"error": {"message": "not found"}})");
  }
  EXPECT_EQ(answer_ping(request("GET", "/ping/known-token-0123456789"), nullptr).status, 404);
  EXPECT_TRUE(sink.pings.empty());
}

TEST(Ping, OtherMethodsAre405AndLongBodiesAreCut) {
  RecordingSink sink;
  Response r = answer_ping(request("DELETE", "/ping/known-token-0123456789"), &sink);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, HEAD, POST");
  answer_ping(request("POST", "/ping/known-token-0123456789", std::string(50'000, 'x')), &sink);
  ASSERT_EQ(sink.pings.size(), 1u);
  EXPECT_EQ(sink.pings[0].body.size(), kMaxPingBody);
}

}  // namespace
