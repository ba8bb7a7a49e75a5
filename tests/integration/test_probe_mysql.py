"""`lightkeeper check mysql://...` (and mariadb://) against a real MariaDB (a primary and a
replica following it) and hostile imitations; each failure names its layer and comes within
the deadline."""

import os
import unittest

import dbpeers
import lktest
from lktest import CRITICAL, OK, SLACK
from dbpeers import GARBAGE, MariadbServer, ScriptedServer


@unittest.skipUnless(dbpeers.MARIADBD and dbpeers.MARIADB_INSTALL_DB and dbpeers.MARIADB_CLIENT,
                     "MariaDB is not installed (apt install mariadb-server)")
class MysqlProbe(lktest.CheckTestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = MariadbServer(root_password="secret", server_id=1, binlog=True)
        cls.addClassCleanup(cls.db.stop)
        cls.db.sql("CREATE USER mon@localhost IDENTIFIED BY 'pw';"
                   "GRANT SELECT ON *.* TO mon@localhost;"
                   "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT, note TEXT);"
                   "INSERT INTO shop.orders VALUES (1, 'a'), (2, NULL), (3, 'c');"
                   "CREATE USER repl@'%' IDENTIFIED BY 'replpw';"
                   "GRANT REPLICATION SLAVE ON *.* TO repl@'%'")

    def mon(self, password="pw", path="", query="", scheme="mysql"):
        return self.db.url(user="mon", password=password, path=path, query=query, scheme=scheme)

    def test_select_one_is_ok_with_connect_and_query_times(self):
        self.assertOutcome(self.check(self.mon(), "-e", 'body == "1"'), OK)
        run, metrics = self.check_metrics(self.mon(scheme="mariadb"))
        self.assertEqual(run.returncode, OK, run.describe())
        for name in ("connect_time", "query_time", "rows"):
            self.assertIn(name, metrics, run.describe())
        self.assertEqual(metrics["rows"], 1)

    def test_checks_end_their_connections_politely(self):
        for _ in range(3):
            self.assertOutcome(self.check(self.mon()), OK)
        self.assertNotIn("Aborted connection", self.db.error_log())

    def test_the_password_comes_from_the_environment(self):
        env = dict(os.environ, LKTEST_MYSQL_PASSWORD="pw")
        self.assertOutcome(self.check(self.mon(password="${LKTEST_MYSQL_PASSWORD}"), env=env), OK)

    def test_a_wrong_password_is_a_login_failure_with_the_servers_words(self):
        run = self.check(self.mon(password="wrong"))
        self.assertOutcome(run, CRITICAL, 'mysql login at 127.0.0.1:%d as "mon" failed'
                           % self.db.port, "Access denied for user 'mon'", "1045")

    def test_a_failing_query_passes_the_servers_error_through(self):
        run = self.check(self.mon(query="?query=SELECT%20*%20FROM%20shop.nope"))
        self.assertOutcome(run, CRITICAL, "the query failed on 127.0.0.1:%d" % self.db.port,
                           "Table 'shop.nope' doesn't exist", "1146")

    def test_conditions_on_the_first_value_and_the_row_count(self):
        count = self.mon(path="/shop", query="?query=SELECT%20count(*)%20FROM%20orders")
        self.assertOutcome(self.check(count, "-e", 'body == "3"'), OK)
        self.assertOutcome(self.check(count, "-e", 'body == "4"'), CRITICAL,
                           'body was "3" (expected body == "4")')
        rows = self.mon(path="/shop", query="?query=SELECT%20note%20FROM%20orders%20ORDER%20BY%20id")
        self.assertOutcome(self.check(rows, "-e", "metric.rows == 3", "-e", 'body == "a"'), OK)

    def test_a_slow_query_times_out_on_time(self):
        run = self.check(self.mon(query="?query=SELECT%20SLEEP(30)"), "-t", "2s")
        self.assertOutcome(run, CRITICAL, "timed out after 2s", "the answer to the query")
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_a_server_that_is_no_replica_says_so(self):
        run, metrics = self.check_metrics(self.db.url(query="?replication=true"))
        self.assertEqual(run.returncode, OK, run.describe())
        self.assertEqual(metrics.get("replica"), 0, run.describe())
        self.assertNotIn("replication_lag", metrics, run.describe())

    def test_a_missing_privilege_for_replication_status_is_passed_through(self):
        run = self.check(self.mon(query="?replication=true"))
        self.assertOutcome(run, CRITICAL, "SHOW REPLICA STATUS failed on", "Access denied")

    def test_tls_required_from_a_server_without_it_fails_at_the_tls_layer(self):
        run = self.check(self.mon(query="?tls=true"))
        self.assertOutcome(run, CRITICAL, "TLS with 127.0.0.1:%d is required" % self.db.port)

    def test_a_replica_reports_its_lag_and_fails_when_replication_stops(self):
        replica = MariadbServer(root_password="secret", server_id=2)
        self.addCleanup(replica.stop)
        log_file, position = self.db.sql("SHOW MASTER STATUS").split("\t")[:2]
        replica.sql("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%d, "
                    "MASTER_USER='repl', MASTER_PASSWORD='replpw', MASTER_LOG_FILE='%s', "
                    "MASTER_LOG_POS=%s; START SLAVE" % (self.db.port, log_file, position))

        # Slave_running is ON once the I/O thread is connected and the SQL thread runs.
        lktest.wait_for(lambda: replica.sql("SHOW STATUS LIKE 'Slave_running'").endswith("ON"),
                        30, "the replica to follow its primary")
        url = replica.url(query="?replication=true")
        run, metrics = self.check_metrics(url)
        self.assertEqual(run.returncode, OK, run.describe())
        self.assertEqual(metrics.get("replica"), 1, run.describe())
        self.assertIn("replication_lag", metrics, run.describe())
        self.assertOutcome(self.check(url, "-e", "metric.replication_lag < 60"), OK)

        replica.sql("STOP SLAVE")
        run = self.check(url)
        self.assertOutcome(run, CRITICAL, "replica at 127.0.0.1:%d is not replicating" % replica.port,
                           "Slave_IO_Running: No", "Slave_SQL_Running: No")

    def test_a_refused_connection_names_the_connect_layer(self):
        port = self.target(lktest.refusing_port()).port
        run = self.check("mysql://root@127.0.0.1:%d" % port)
        self.assertOutcome(run, CRITICAL, "connect to 127.0.0.1:%d failed" % port)


class HostileMysql(lktest.CheckTestCase):
    """Servers that are not (good) MySQL servers: each fails clearly, by the deadline."""

    def run_against(self, server, timeout="3s"):
        self.target(server)
        return self.check("mysql://root:pw@127.0.0.1:%d" % server.port, "-t", timeout)

    def test_a_server_that_never_greets_times_out_on_time(self):
        run = self.run_against(dbpeers.silent_server(), "2s")
        self.assertOutcome(run, CRITICAL, "timed out after 2s",
                           "the mysql connection and login at")
        self.assertGreaterEqual(run.elapsed, 1.9, run.describe())
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_garbage_instead_of_a_greeting_fails_at_once(self):
        run = self.run_against(ScriptedServer(payload=GARBAGE, wait_for_client=False, close=False))
        self.assertOutcome(run, CRITICAL, "mysql login at")
        self.assertLess(run.elapsed, 3, run.describe())

    def test_a_server_that_closes_mid_dialogue(self):
        # A greeting's first bytes, then the connection closes.
        run = self.run_against(ScriptedServer(payload=b"\x4a\x00\x00\x00\x0a10.11", wait_for_client=False,
                                              close=True))
        self.assertOutcome(run, CRITICAL, "mysql login at", "Lost connection")
        self.assertLess(run.elapsed, 3, run.describe())


if __name__ == "__main__":
    lktest.main()
