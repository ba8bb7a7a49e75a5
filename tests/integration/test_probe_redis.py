"""`lightkeeper check redis://...` against real redis-server instances (a master, one with a
password, a replica) and hostile imitations; each failure names its layer and comes within
the deadline."""

import json
import os
import unittest

import dbpeers
import lktest
from lktest import CRITICAL, OK, SLACK, UNKNOWN
from dbpeers import GARBAGE, RedisServer, ScriptedServer


@unittest.skipUnless(dbpeers.REDIS_SERVER, "redis-server is not installed (apt install redis-server)")
class RedisProbe(lktest.CheckTestCase):
    @classmethod
    def setUpClass(cls):
        cls.master = RedisServer()
        cls.addClassCleanup(cls.master.stop)
        cls.locked = RedisServer(password="s3cret")
        cls.addClassCleanup(cls.locked.stop)
        cls.replica = RedisServer(replica_of=cls.master)
        cls.addClassCleanup(cls.replica.stop)

    def url(self, server, auth="", query=""):
        return "redis://%s127.0.0.1:%d%s" % (auth, server.port, query)

    def test_a_healthy_master_answers_pong_with_its_role_as_json(self):
        run = self.check(self.url(self.master), "-e", 'json.ping == "PONG"', "-e",
                         'json.role == "master"')
        self.assertOutcome(run, OK, "ok in")
        run, metrics = self.check_metrics(self.url(self.master))
        self.assertEqual(run.returncode, OK, run.describe())
        for name in ("connect_time", "ping_time", "connected_slaves"):
            self.assertIn(name, metrics, run.describe())

    def test_auth_with_the_password_from_the_environment(self):
        env = dict(os.environ, LKTEST_REDIS_PASSWORD="s3cret")
        run = self.check(self.url(self.locked, auth=":${LKTEST_REDIS_PASSWORD}@"), env=env)
        self.assertOutcome(run, OK)

    def test_a_wrong_password_is_refused_at_auth(self):
        run = self.check(self.url(self.locked, auth=":wrong@"))
        self.assertOutcome(run, CRITICAL, "refused AUTH", "WRONGPASS")

    def test_a_missing_password_is_refused_at_ping(self):
        run = self.check(self.url(self.locked))
        self.assertOutcome(run, CRITICAL, "refused PING", "NOAUTH")

    def test_a_replica_reports_its_link_and_lag_and_the_master_its_replica(self):
        lktest.wait_for(lambda: "master_link_status:up" in self.replica.info_replication(),
                        30, "the replica's link to its master to come up")
        run = self.check(self.url(self.replica, query="?replication=true"),
                         "-e", 'json.role == "slave"', "-e", 'json.master_link_status == "up"',
                         "-e", "metric.replication_lag < 30")
        self.assertOutcome(run, OK)
        run = self.check(self.url(self.master), "-e", "metric.connected_slaves == 1",
                         "-e", 'json.replicas[0].state == "online"')
        self.assertOutcome(run, OK)

    def test_a_replica_whose_master_is_gone_fails_when_replication_is_checked(self):
        master = RedisServer()
        self.addCleanup(master.stop)
        replica = self.target(RedisServer(replica_of=master))
        lktest.wait_for(lambda: "master_link_status:up" in replica.info_replication(), 30,
                        "the replica's link to its master to come up")
        master.stop()
        lktest.wait_for(lambda: "master_link_status:down" in replica.info_replication(), 30,
                        "the replica to notice its master is gone")
        run = self.check(self.url(replica, query="?replication=true"))
        self.assertOutcome(run, CRITICAL, "replica at 127.0.0.1:%d is not replicating" % replica.port,
                           "link to its master 127.0.0.1:%d is down" % master.port)
        # Without replication: true the answer is still there to judge.
        run = self.check(self.url(replica), "-e", 'json.master_link_status == "up"')
        self.assertOutcome(run, CRITICAL, 'json.master_link_status was "down"')

    def test_a_refused_connection_names_the_connect_layer(self):
        port = self.target(lktest.refusing_port()).port
        run = self.check("redis://127.0.0.1:%d" % port)
        self.assertOutcome(run, CRITICAL, "connect to 127.0.0.1:%d refused" % port)

    def test_a_malformed_url_is_unknown(self):
        run = self.check("redis://127.0.0.1:6379?db=2")
        self.assertOutcome(run, UNKNOWN, 'unknown URL parameter "db"')


class HostileRedis(lktest.CheckTestCase):
    """Servers that are not (good) Redis servers: each fails clearly, by the deadline."""

    def run_against(self, server, timeout="3s"):
        self.target(server)
        return self.check("redis://127.0.0.1:%d" % server.port, "-t", timeout)

    def test_a_server_that_never_answers_times_out_on_time(self):
        run = self.run_against(dbpeers.hanging_server(), "2s")
        self.assertOutcome(run, CRITICAL, "timed out after 2s", "the answer to PING")
        self.assertGreaterEqual(run.elapsed, 1.9, run.describe())
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_garbage_is_recognised_at_once(self):
        run = self.run_against(ScriptedServer(payload=GARBAGE, close=False))
        self.assertOutcome(run, CRITICAL, "answered PING with something that is not RESP", '"HTTP/1.1 400')
        self.assertLess(run.elapsed, 3, run.describe())

    def test_a_huge_bulk_length_is_refused_without_waiting_for_it(self):
        run = self.run_against(ScriptedServer(payload=b"$99999999999\r\n", close=False))
        self.assertOutcome(run, CRITICAL, "bulk string of 99999999999 bytes")
        self.assertLess(run.elapsed, 3, run.describe())

    def test_a_server_that_closes_mid_dialogue(self):
        run = self.run_against(ScriptedServer(payload=b"", close=True))
        self.assertOutcome(run, CRITICAL, "closed the connection before answering PING")

    def test_a_reply_cut_short_then_silence_times_out(self):
        run = self.run_against(ScriptedServer(payload=b"+PO", close=False), "2s")
        self.assertOutcome(run, CRITICAL, "timed out after 2s", "the answer to PING")
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())


if __name__ == "__main__":
    lktest.main()
