"""`lightkeeper check postgres://...` against a real PostgreSQL (a primary and a streaming
standby made with pg_basebackup) and hostile imitations; each failure names its layer and
comes within the deadline."""

import os
import unittest

import dbpeers
import lktest
from lktest import CRITICAL, OK, SLACK, UNKNOWN
from dbpeers import GARBAGE, PostgresServer, ScriptedServer


@unittest.skipUnless(dbpeers.POSTGRES, "PostgreSQL is not installed (apt install postgresql)")
class PostgresProbe(lktest.CheckTestCase):
    @classmethod
    def setUpClass(cls):
        cls.primary = PostgresServer(password="secret")
        cls.addClassCleanup(cls.primary.stop)
        cls.primary.psql("CREATE TABLE jobs (id int, note text);"
                         "INSERT INTO jobs VALUES (1, 'a'), (2, NULL), (3, 'c')")

    def test_select_one_is_ok_with_connect_and_query_times(self):
        run = self.check(self.primary.url(), "-e", 'body == "1"')
        self.assertOutcome(run, OK)
        run, metrics = self.check_metrics(self.primary.url())
        self.assertEqual(run.returncode, OK, run.describe())
        for name in ("connect_time", "query_time", "rows"):
            self.assertIn(name, metrics, run.describe())
        self.assertEqual(metrics["rows"], 1)
        self.assertNotIn("replica", metrics, "replication was not asked for")

    def test_the_password_comes_from_the_environment(self):
        env = dict(os.environ, LKTEST_PG_PASSWORD="secret")
        run = self.check(self.primary.url(password="${LKTEST_PG_PASSWORD}"), env=env)
        self.assertOutcome(run, OK)

    def test_a_wrong_password_is_a_login_failure_with_the_servers_words(self):
        run = self.check(self.primary.url(password="wrong"))
        self.assertOutcome(run, CRITICAL, 'postgres login at 127.0.0.1:%d as "postgres" failed'
                           % self.primary.port,
                           'password authentication failed for user "postgres"')

    def test_a_failing_query_passes_the_servers_error_through(self):
        run = self.check(self.primary.url(query="?query=SELECT%20*%20FROM%20nope"))
        self.assertOutcome(run, CRITICAL, "the query failed on 127.0.0.1:%d" % self.primary.port,
                           'relation "nope" does not exist', "42P01")

    def test_conditions_on_the_first_value_and_the_row_count(self):
        count = self.primary.url(query="?query=SELECT%20count(*)%20FROM%20jobs")
        self.assertOutcome(self.check(count, "-e", 'body == "3"'), OK)
        self.assertOutcome(self.check(count, "-e", 'body == "4"'), CRITICAL,
                           'body was "3" (expected body == "4")')
        rows = self.primary.url(query="?query=SELECT%20note%20FROM%20jobs%20ORDER%20BY%20id%20DESC")
        self.assertOutcome(self.check(rows, "-e", "metric.rows == 3", "-e", 'body == "c"'), OK)

    def test_a_slow_query_times_out_on_time(self):
        run = self.check(self.primary.url(query="?query=SELECT%20pg_sleep(30)"), "-t", "2s")
        self.assertOutcome(run, CRITICAL, "timed out after 2s", "the answer to the query")
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_a_primary_is_not_a_replica(self):
        run, metrics = self.check_metrics(self.primary.url(query="?replication=true"))
        self.assertEqual(run.returncode, OK, run.describe())
        self.assertEqual(metrics.get("replica"), 0, run.describe())
        self.assertNotIn("replication_lag", metrics, run.describe())

    def test_tls_required_from_a_server_without_it_fails_at_the_tls_layer(self):
        run = self.check(self.primary.url(query="?tls=require"))
        self.assertOutcome(run, CRITICAL, "TLS negotiation with 127.0.0.1:%d failed"
                           % self.primary.port, "SSL")

    def test_a_standby_reports_its_lag_and_fails_when_replication_stops(self):
        primary = PostgresServer(password="secret")
        self.addCleanup(primary.stop)
        standby = PostgresServer(primary=primary)
        self.addCleanup(standby.stop)
        lktest.wait_for(lambda: standby.psql("SELECT count(*) FROM pg_stat_wal_receiver") == "1",
                        30, "the standby to stream from its primary")
        url = standby.url(query="?replication=true")
        run, metrics = self.check_metrics(url)
        self.assertEqual(run.returncode, OK, run.describe())
        self.assertEqual(metrics.get("replica"), 1, run.describe())
        self.assertIn("replication_lag", metrics, run.describe())
        self.assertOutcome(self.check(url, "-e", "metric.replication_lag < 60"), OK)

        primary.stop()
        lktest.wait_for(lambda: standby.psql("SELECT count(*) FROM pg_stat_wal_receiver") == "0",
                        30, "the standby's WAL receiver to stop")
        run = self.check(url)
        self.assertOutcome(run, CRITICAL, "standby at 127.0.0.1:%d is not replicating"
                           % standby.port, "WAL receiver is not running")

    def test_a_refused_connection_names_the_connect_layer(self):
        port = self.target(lktest.refusing_port()).port
        run = self.check("postgres://postgres@127.0.0.1:%d/postgres" % port)
        self.assertOutcome(run, CRITICAL, "connect to 127.0.0.1:%d failed" % port, "refused")

    def test_a_malformed_url_is_unknown(self):
        run = self.check("postgres://127.0.0.1:5432?tls=maybe")
        self.assertOutcome(run, UNKNOWN, "invalid check")
        self.assertIn("tls", run.stdout, run.describe())


class HostilePostgres(lktest.CheckTestCase):
    """Servers that are not (good) PostgreSQL servers: each fails clearly, by the deadline."""

    def run_against(self, server, query="", timeout="3s"):
        self.target(server)
        return self.check("postgres://postgres:pw@127.0.0.1:%d/postgres%s" % (server.port, query),
                          "-t", timeout)

    def test_a_server_that_never_answers_times_out_on_time(self):
        run = self.run_against(dbpeers.hanging_server(), timeout="2s")
        self.assertOutcome(run, CRITICAL, "timed out after 2s", "TLS negotiation with")
        self.assertGreaterEqual(run.elapsed, 1.9, run.describe())
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())
        run = self.run_against(dbpeers.hanging_server(), query="?tls=disable", timeout="2s")
        self.assertOutcome(run, CRITICAL, "timed out after 2s", "the postgres login at")
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_garbage_fails_at_once(self):
        run = self.run_against(ScriptedServer(payload=GARBAGE, close=False))
        self.assertOutcome(run, CRITICAL, "TLS negotiation with", "invalid response")
        self.assertLess(run.elapsed, 3, run.describe())
        run = self.run_against(ScriptedServer(payload=GARBAGE, close=False), query="?tls=disable")
        self.assertOutcome(run, CRITICAL, "postgres login at", "failed")
        self.assertLess(run.elapsed, 3, run.describe())

    def test_a_server_that_closes_mid_dialogue(self):
        run = self.run_against(ScriptedServer(payload=b"N", close=True))
        self.assertOutcome(run, CRITICAL, "postgres login at", "server closed the connection")
        self.assertLess(run.elapsed, 3, run.describe())


if __name__ == "__main__":
    lktest.main()
