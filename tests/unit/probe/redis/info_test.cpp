// INFO replication text as masters and replicas of Redis 6/7 print it.

#include "probe/redis/info.hpp"

#include <gtest/gtest.h>

namespace lk::probe::redis {
namespace {

constexpr std::string_view kMaster =
    "# Replication\r\n"
    "role:master\r\n"
    "connected_slaves:2\r\n"
    "slave0:ip=127.0.0.1,port=6380,state=online,offset=1000,lag=0\r\n"
    "slave1:ip=10.0.0.7,port=6381,state=wait_bgsave,offset=400,lag=3\r\n"
    "master_failover_state:no-failover\r\n"
    "master_replid:8f2c0e2d6a\r\n"
    "master_repl_offset:1200\r\n"
    "second_repl_offset:-1\r\n";

constexpr std::string_view kReplicaUp =
    "# Replication\r\n"
    "role:slave\r\n"
    "master_host:127.0.0.1\r\n"
    "master_port:6379\r\n"
    "master_link_status:up\r\n"
    "master_last_io_seconds_ago:2\r\n"
    "master_sync_in_progress:0\r\n"
    "slave_repl_offset:1200\r\n"
    "connected_slaves:0\r\n"
    "master_repl_offset:1200\r\n";

constexpr std::string_view kReplicaDown =
    "role:slave\nmaster_host:::1\nmaster_port:6379\nmaster_link_status:down\n"
    "master_last_io_seconds_ago:-1\nmaster_sync_in_progress:0\n"
    "master_link_down_since_seconds:42\nconnected_slaves:0\n";

TEST(RedisInfo, AMasterReportsItsReplicasAndTheSlowestLag) {
  auto info = parse_info(kMaster);
  EXPECT_EQ(info.role, "master");
  EXPECT_FALSE(info.is_replica());
  EXPECT_EQ(info.connected_slaves, 2);
  ASSERT_EQ(info.replicas.size(), 2u);
  EXPECT_EQ(info.replicas[1].ip, "10.0.0.7");
  EXPECT_EQ(info.replicas[1].state, "wait_bgsave");
  EXPECT_EQ(info.lag_seconds(), 3);
  EXPECT_EQ(info.lag_bytes(), 800);
  EXPECT_EQ(
      info.to_json("PONG"),
      R"({"ping":"PONG","role":"master","connected_slaves":2,"lag_s":3,"lag_bytes":800,)"
      R"("replicas":[{"ip":"127.0.0.1","port":6380,"state":"online","offset":1000,"lag_s":0},)"
      R"({"ip":"10.0.0.7","port":6381,"state":"wait_bgsave","offset":400,"lag_s":3}]})");
}

TEST(RedisInfo, AMasterWithoutReplicasHasNoLag) {
  auto info = parse_info("role:master\r\nconnected_slaves:0\r\nmaster_repl_offset:0\r\n");
  EXPECT_EQ(info.lag_seconds(), std::nullopt);
  EXPECT_EQ(info.lag_bytes(), std::nullopt);
  EXPECT_EQ(info.to_json("PONG"), R"({"ping":"PONG","role":"master","connected_slaves":0})");
}

TEST(RedisInfo, AReplicaWithItsLinkUpLagsBySecondsSinceItHeardFromItsMaster) {
  auto info = parse_info(kReplicaUp);
  EXPECT_TRUE(info.is_replica());
  EXPECT_EQ(info.master_link_status, "up");
  EXPECT_EQ(info.lag_seconds(), 2);
  EXPECT_EQ(info.lag_bytes(), std::nullopt);
  EXPECT_EQ(info.to_json("PONG"),
            R"({"ping":"PONG","role":"slave","connected_slaves":0,"master_host":"127.0.0.1",)"
            R"("master_port":6379,"master_link_status":"up","master_sync_in_progress":false,)"
            R"("lag_s":2})");
}

TEST(RedisInfo, AReplicaWithItsLinkDownLagsSinceTheLinkWentDown) {
  auto info = parse_info(kReplicaDown);  // LF line ends, an IPv6 master
  EXPECT_EQ(info.master_host, "::1");
  EXPECT_EQ(info.master_link_status, "down");
  EXPECT_EQ(info.lag_seconds(), 42);
}

TEST(RedisInfo, AReplicaWhoseLinkWasNeverUpHasUnknownLag) {
  auto info = parse_info(
      "role:slave\r\nmaster_link_status:down\r\nmaster_last_io_seconds_ago:-1\r\n"
      "master_link_down_since_seconds:-1\r\n");
  EXPECT_EQ(info.lag_seconds(), std::nullopt);
}

TEST(RedisInfo, GarbageGivesAnEmptyResultAndValidJson) {
  auto info =
      parse_info(std::string_view("\x00\xff garbage\r\nrole\r\n:::\r\nslave0:junk\r\n"
                                  "connected_slaves:many\r\nrole:ma\x01ster\xff\r\n",
                                  74));
  EXPECT_EQ(info.role, "master");  // control and non-ASCII bytes dropped
  EXPECT_EQ(info.connected_slaves, std::nullopt);
  ASSERT_EQ(info.replicas.size(), 1u);
  EXPECT_EQ(info.replicas[0].ip, "");
  EXPECT_EQ(parse_info("").role, "");
}

}  // namespace
}  // namespace lk::probe::redis
