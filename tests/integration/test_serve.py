"""`lightkeeper serve`: a set of healthy and hostile targets, judged every second, shown on the
API, the status page and /metrics; malformed requests do not hurt the server."""

import re
import socket
import time
import urllib.parse

import lktest
from lktest import (HangingServer, NotYet, HttpServer, SlowServer, TlsServer, check_yaml, config_yaml,
                    make_expired_cert, make_self_signed_cert, refusing_port, wait_for)

SETTLE = 45.0  # seconds for every check to reach its hard state (interval 1s, threshold 2)


def raw_exchange(port, data, timeout=10.0, max_bytes=1 << 20):
    """Sends raw bytes to 127.0.0.1:port and reads the answer until the server closes, the
    timeout passes or `max_bytes` arrived."""
    deadline = time.monotonic() + timeout
    out = b""
    with socket.create_connection((lktest.HOST, port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may answer and close before reading everything
        while len(out) < max_bytes:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            s.settimeout(remaining)
            try:
                chunk = s.recv(65536)
            except (socket.timeout, OSError):
                break
            if not chunk:
                break
            out += chunk
    return out


def status_of(answer):
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    return int(m.group(1)) if m else None


class Serve(lktest.LkTestCase):
    def setUp(self):
        super().setUp()
        self.started = time.time()
        expired_cert, expired_key, ca = make_expired_cert(self.tmp)
        good_cert, good_key = make_self_signed_cert(self.tmp)
        self.servers = {
            "web-ok": self.target(HttpServer(status=200, body="fine")),
            "web-500": self.target(HttpServer(status=500, body="boom")),
            "web-hang": self.target(HangingServer()),
            "web-slow": self.target(SlowServer(delay=0.3)),
            "tls-expired": self.target(TlsServer(expired_cert, expired_key)),
            "tls-ok": self.target(TlsServer(good_cert, good_key)),
        }
        self.refused = self.target(refusing_port())
        common = dict(interval="1s", timeout="1s", failure_threshold=2)
        checks = [
            check_yaml("web-ok", "http", url=self.servers["web-ok"].url("/health"), **common),
            check_yaml("web-500", "http", url=self.servers["web-500"].url(), **common),
            check_yaml("web-refused", "http", url="http://127.0.0.1:%d/" % self.refused.port,
                       **common),
            check_yaml("web-hang", "http", url=self.servers["web-hang"].url(), **common),
            check_yaml("web-slow", "http", url=self.servers["web-slow"].url(),
                       warn=["latency < 100ms"], **common),
            check_yaml("tls-expired", "http", url=self.servers["tls-expired"].url(), ca_file=ca,
                       **common),
            check_yaml("tls-ok", "http", url=self.servers["tls-ok"].url(), ca_file=good_cert,
                       **common),
        ]
        self.config = self.tmp.write("lightkeeper.yaml",
                                     config_yaml(self.tmp.join("lk.db"), checks))
        self.lk = self.serve(self.config)

    EXPECTED_STATES = {
        "web-ok": "ok",
        "tls-ok": "ok",
        "web-slow": "warn",
        "web-500": "fail",
        "web-refused": "fail",
        "web-hang": "fail",
        "tls-expired": "fail",
    }
    FAILING = sorted(n for n, s in EXPECTED_STATES.items() if s == "fail")

    def settled_checks(self):
        def settled():
            checks = self.lk.checks()
            states = {n: c["state"] for n, c in checks.items()}
            return checks if states == self.EXPECTED_STATES else NotYet(states)
        return wait_for(settled, SETTLE, "every check's expected state %r" % self.EXPECTED_STATES)

    def test_states_messages_and_incidents_settle(self):
        checks = self.settled_checks()
        self.assertEqual(set(checks), set(self.EXPECTED_STATES))

        messages = {n: c["message"] for n, c in checks.items()}
        self.assertRegex(messages["web-ok"], r"^HTTP 200 in ", messages)
        self.assertIn("status was 500", messages["web-500"], messages)
        self.assertIn("connect to 127.0.0.1:%d refused" % self.refused.port,
                      messages["web-refused"], messages)
        self.assertIn("timed out after", messages["web-hang"], messages)
        self.assertIn("first byte", messages["web-hang"], messages)
        self.assertIn("latency", messages["web-slow"], messages)
        self.assertIn("TLS", messages["tls-expired"], messages)
        self.assertIn("expired", messages["tls-expired"], messages)
        self.assertRegex(messages["tls-ok"], r"^HTTP 200 in ", messages)
        self.assertIsNotNone(checks["tls-ok"]["cert_not_after"], checks["tls-ok"])
        self.assertEqual(checks["web-ok"]["interval_ms"], 1000, checks["web-ok"])
        self.assertGreater(checks["web-ok"]["timings"]["total_ms"], 0, checks["web-ok"])
        self.assertGreaterEqual(checks["web-ok"]["results"]["ok"], 2, checks["web-ok"])

        # One open incident per failing check, none for the others, and the check points at it.
        def incidents_per_check():
            open_ = self.lk.incidents("?open=true")
            found = sorted(i["check"] for i in open_)
            return open_ if found == self.FAILING else NotYet(found)
        open_incidents = wait_for(incidents_per_check, 10, "one open incident per failing check")
        by_check = {i["check"]: i for i in open_incidents}
        for name in self.FAILING:
            incident = by_check[name]
            self.assertTrue(incident["open"], incident)
            self.assertIsNone(incident["closed_at"], incident)
            self.assertEqual(checks[name]["open_incident"], incident["id"], (checks[name], incident))
        for name in ("web-ok", "tls-ok", "web-slow"):
            self.assertIsNone(checks[name]["open_incident"], checks[name])

        # More failures of the same checks must not open more incidents.
        fails_now = {n: checks[n]["results"]["fail"] for n in self.FAILING}

        def three_more_failures_each():
            c = self.lk.checks()
            return all(c[n]["results"]["fail"] >= fails_now[n] + 3 for n in self.FAILING)
        wait_for(three_more_failures_each, 30, "three more failed results for each failing check")
        all_incidents = self.lk.incidents()
        self.assertEqual(sorted(i["check"] for i in all_incidents), self.FAILING, all_incidents)
        self.assertEqual({i["check"]: i["id"] for i in all_incidents},
                         {n: by_check[n]["id"] for n in self.FAILING})

    def test_results_api_returns_statuses_and_timings(self):
        self.settled_checks()
        since = self.started - 60
        ok = self.lk.results("web-ok", since)
        self.assertGreaterEqual(len(ok), 2, ok)
        for r in ok:
            self.assertEqual(r["check"], "web-ok", r)
            self.assertEqual(r["status"], "ok", r)
            self.assertRegex(r["message"], r"^HTTP 200 in ", r)
            t = r["timings"]
            for phase in ("connect_ms", "first_byte_ms", "total_ms"):
                self.assertIsInstance(t[phase], (int, float), r)
                self.assertGreater(t[phase], 0, r)
            self.assertLessEqual(t["connect_ms"], t["total_ms"], r)
        started = [r["started_at"] for r in ok]
        self.assertEqual(started, sorted(started), "results are oldest first")
        self.assertEqual(len(started), len(set(started)), "no result is listed twice")

        refused = self.lk.results("web-refused", since)
        self.assertGreaterEqual(len(refused), 2, refused)
        for r in refused:
            self.assertEqual(r["status"], "fail", r)
            self.assertIn("refused", r["message"], r)

        # A window entirely before the daemon started is empty; limit is honoured.
        before = self.lk.get_json("/api/v1/checks/web-ok/results?from=%d&to=%d"
                                  % (self.started - 3600, self.started - 1800))
        self.assertEqual(before["results"], [], before)
        limited = self.lk.results("web-ok", since, limit=1)
        self.assertEqual(len(limited), 1, limited)

        # Bad parameters and unknown checks are answered in JSON, naming the problem.
        bad = self.lk.get_json("/api/v1/checks/web-ok/results?from=yesterday", expect_status=400)
        self.assertEqual(bad["error"]["field"], "from", bad)
        missing = self.lk.get_json("/api/v1/checks/no-such-check/results", expect_status=404)
        self.assertIn("no-such-check", missing["error"]["message"], missing)
        one = self.lk.get_json("/api/v1/checks/web-500")
        self.assertEqual(one["name"], "web-500", one)
        self.assertEqual(one["state"], "fail", one)

    def test_status_page_and_metrics_show_every_check(self):
        checks = self.settled_checks()
        # Without components in the config each check is a component of the default page: four
        # of seven judged ones are down, some but not all, a partial outage. Each outage opens
        # an incident report of its own on the page.
        def page_settled():
            page = self.lk.get_text("/")
            done = "Partial outage" in page and all(
                "Disruption of %s" % name in page for name in self.FAILING)
            return page if done else None
        page = wait_for(page_settled, 15,
                        "the banner to say Partial outage and a report for each outage")
        self.assertRegex(page, r'<p id="banner" class="banner s-dn" role="status">Partial outage')
        for name in self.EXPECTED_STATES:
            self.assertIn('href="/status/status/components/%s"' % name, page)
        self.assertNotIn("Disruption of web-ok", page)

        metrics = self.lk.get_text("/metrics")
        up = dict(re.findall(r'(?m)^lightkeeper_check_up\{[^}]*check="([^"]+)"[^}]*\} (\d+)$',
                             metrics))
        self.assertEqual(set(up), set(checks), metrics[:3000])
        for name, state in self.EXPECTED_STATES.items():
            self.assertEqual(up[name], "1" if state in ("ok", "warn") else "0", name)

    def test_malformed_requests_get_4xx_and_the_server_stays_healthy(self):
        port = self.lk.port
        garbage = raw_exchange(port, b"\x00\x01\x02 GARBAGE \xff\r\n\r\n")
        self.assertIn(status_of(garbage) or 0, range(400, 500), garbage[:300])

        huge_header = (b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 64 * 1024 +
                       b"\r\n\r\n")
        answer = raw_exchange(port, huge_header)
        self.assertEqual(status_of(answer), 431, answer[:300])

        for path, expected in (("/api/v1/checks/%zz", 400),
                               ("/api/v1/checks/web-ok/results?from=%zz", 400),
                               ("/no/such/page", 404),
                               ("/api/v1/nothing-here", 404),
                               ("/api/v1/checks/no-such-check", 404)):
            answer = raw_exchange(port, b"GET " + path.encode() +
                                  b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            self.assertEqual(status_of(answer), expected, (path, answer[:300]))

        answer = raw_exchange(port, b"POST /api/v1/checks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
        self.assertEqual(status_of(answer), 405, answer[:300])

        # A client that connects and goes silent must not block others.
        with socket.create_connection((lktest.HOST, port), timeout=5):
            status, _, body = self.lk.get("/healthz")
            self.assertEqual((status, body), (200, b"ok\n"))

        status, _, body = self.lk.get("/healthz")
        self.assertEqual((status, body), (200, b"ok\n"))
        self.assertTrue(self.lk.alive())
        self.assertEqual(self.lk.get_json("/api/v1/checks/%s" % urllib.parse.quote("web-ok"))["name"],
                         "web-ok")


class ListenPortZero(lktest.LkTestCase):
    def test_listen_port_zero_picks_a_free_port(self):
        # Documented for `listen`: "port 0 picks a free port". A fixed fallback port would
        # collide with whatever else runs on the machine (and with parallel test runs).
        server = self.target(HttpServer())
        config = self.tmp.write("lightkeeper.yaml", config_yaml(
            self.tmp.join("lk.db"),
            [check_yaml("web", "http", url=server.url(), interval="1s", timeout="1s")],
            listen="127.0.0.1:0"))
        lk = self.serve(config)
        self.assertNotEqual(lk.port, 8080, "listen 127.0.0.1:0 bound the default port 8080")
        self.assertNotEqual(lk.port, 0)
        self.assertEqual(lk.get("/healthz")[0], 200)


class Shutdown(lktest.LkTestCase):
    def test_sigterm_stops_the_daemon_cleanly_and_frees_the_port(self):
        server = self.target(HttpServer())
        config = self.tmp.write("lightkeeper.yaml", config_yaml(
            self.tmp.join("lk.db"),
            [check_yaml("web", "http", url=server.url(), interval="1s", timeout="1s")]))
        lk = self.serve(config)
        wait_for(lambda: lk.checks()["web"]["state"] == "ok", 20, "check web to be ok")
        started = time.monotonic()
        code = lk.stop(timeout=10)
        self.assertEqual(code, 0, "exit code after SIGTERM (-9 means it had to be killed)")
        self.assertLess(time.monotonic() - started, 5.0, "SIGTERM took too long")
        self.assertIn("stopped", lk.log().splitlines()[-1])
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection((lktest.HOST, lk.port), timeout=5).close()


if __name__ == "__main__":
    lktest.main()
