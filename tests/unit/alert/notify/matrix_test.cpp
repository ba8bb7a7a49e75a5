#include "alert/notify/matrix/matrix.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_message.hpp"

namespace lk::alert {
namespace {

const matrix::Settings kSettings{.homeserver = "https://matrix.example.org/",
                                 .room_id = "!ops:example.org",
                                 .access_token = "syt_secret"};

TEST(MatrixChannel, PutsAnMTextEventWithTheIdempotencyKeyAsTransactionId) {
  HttpRequest r = matrix::build(test::sample_problem(), kSettings);
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.url,
            "https://matrix.example.org/_matrix/client/v3/rooms/%21ops%3Aexample.org/send/"
            "m.room.message/n-42");
  EXPECT_EQ(r.idempotency_key, "n-42");
  EXPECT_EQ(r.header("Authorization"), "Bearer syt_secret");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["msgtype"], "m.text");
  EXPECT_EQ(body["body"].get<std::string>().rfind("DOWN: api-health\napi-health is fail", 0), 0u);
  EXPECT_EQ(r.redacted().find("syt_secret"), std::string::npos);
}

TEST(MatrixChannel, RecoveryIsANewTransactionAndSaysResolved) {
  HttpRequest r = matrix::build(test::sample_recovery(), kSettings);
  EXPECT_TRUE(r.url.ends_with("/send/m.room.message/n-43"));
  EXPECT_NE(r.body.find("resolved"), std::string::npos);
}

}  // namespace
}  // namespace lk::alert
