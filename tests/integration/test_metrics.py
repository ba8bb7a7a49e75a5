"""`/metrics` of the real daemon: after a check failed and its notification went out through a
webhook, the page passes `promtool check metrics` without a complaint and tells the truth about
the checks, the notification, the store and the process."""

import re
import shutil
import subprocess
import time

import lktest
from lktest import HttpServer, NotYet, check_yaml, config_yaml, refusing_port, wait_for

# Slack for start-up, two results of a failing check, the outbox poll (500 ms), the metrics
# refresh (250 ms) and a loaded 2-core machine.
SETTLE = 45.0

_SAMPLE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
_LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_exposition(text):
    """The samples of a text exposition as {(name, frozenset of (label, value)): float}.

    Label values are left escaped; the names in this test need no escaping."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE_RE.match(line)
        if not m:
            raise AssertionError("not a sample line: %r" % line)
        name, labels, value = m.groups()
        key = (name, frozenset(_LABEL_RE.findall(labels or "")))
        if key in samples:
            raise AssertionError("series listed twice: %r" % line)
        samples[key] = float(value)
    return samples


def value(samples, name, **labels):
    """The value of the series `name{labels}` (exactly those labels), or None."""
    return samples.get((name, frozenset(labels.items())))


def values(samples, name):
    """{frozenset of labels: value} of every series of `name`."""
    return {labels: v for (n, labels), v in samples.items() if n == name}


class Metrics(lktest.LkTestCase):
    def setUp(self):
        super().setUp()
        self.started = time.time()
        self.ok_server = self.target(HttpServer(status=200, body="fine"))
        self.broken_server = self.target(HttpServer(status=500, body="boom"))
        self.refused = self.target(refusing_port())
        self.hook = self.target(HttpServer(status=200, body="thanks"))
        common = dict(interval="1s", timeout="1s", failure_threshold=2, recovery_threshold=1)
        checks = [
            check_yaml("web-ok", "http", url=self.ok_server.url("/health"), **common),
            check_yaml("web-down", "http", url=self.broken_server.url("/"), **common),
            check_yaml("port-refused", "tcp", target="127.0.0.1:%d" % self.refused.port,
                       **common),
        ]
        extra = ("notifiers:\n  - name: ops-hook\n    type: webhook\n    url: %s\n"
                 "routes:\n  - notify: [ops-hook]\n    group_wait: 0s\n"
                 % lktest.yaml_quote(self.hook.url("/hook")))
        config = self.tmp.write("lightkeeper.yaml",
                                config_yaml(self.tmp.join("lk.db"), checks, extra=extra))
        self.lk = self.serve(config)

    def scrape(self):
        status, headers, body = self.lk.get("/metrics")
        self.assertEqual(status, 200, body[:500])
        self.assertTrue(headers.get("content-type", "").startswith("text/plain; version=0.0.4"),
                        headers)
        return body.decode("utf-8")

    def settled_scrape(self):
        """Scrapes until the failing checks are down, a notification was sent and results
        were written; returns (text, samples)."""
        def settled():
            if not self.lk.alive():
                raise lktest.GiveUp("lightkeeper exited\n" + self.lk.log())
            text = self.scrape()
            s = parse_exposition(text)
            seen = {
                "web-down fail": value(s, "lightkeeper_check_state", check="web-down",
                                       state="fail"),
                "port-refused fail": value(s, "lightkeeper_check_state", check="port-refused",
                                           state="fail"),
                "sent": value(s, "lightkeeper_notification_attempts_total", notifier="ops-hook",
                              type="webhook", outcome="sent"),
                "written": value(s, "lightkeeper_store_results_written_total"),
                "hook requests": self.hook.requests,
            }
            done = (seen["web-down fail"] == 1 and seen["port-refused fail"] == 1 and
                    (seen["sent"] or 0) >= 1 and (seen["written"] or 0) >= 1 and
                    seen["hook requests"] >= 1)
            return (text, s) if done else NotYet(seen)
        return wait_for(settled, SETTLE, "failing checks down, a notification sent and results "
                                         "written, as /metrics tells", interval=0.25)

    def test_the_page_passes_promtool_check_metrics(self):
        promtool = shutil.which("promtool")
        if not promtool:
            self.skipTest("promtool is not installed (Debian package prometheus; see "
                          "scripts/install-deps.sh)")
        text, _ = self.settled_scrape()
        run = subprocess.run([promtool, "check", "metrics"], input=text, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        complaints = (run.stdout + run.stderr).strip()
        self.assertEqual((run.returncode, complaints), (0, ""),
                         "promtool check metrics complained:\n%s\n--- the page ---\n%s"
                         % (complaints, text))

    def test_series_tell_what_happened(self):
        text, s = self.settled_scrape()
        page = "\n--- the page ---\n" + text

        # Checks: state, up, results, latency and phases.
        for state in ("pending", "ok", "warn", "unknown"):
            self.assertEqual(value(s, "lightkeeper_check_state", check="web-down", state=state),
                             0, state + page)
        self.assertEqual(value(s, "lightkeeper_check_up", check="web-down", type="http",
                               location="local"), 0, page)
        self.assertEqual(value(s, "lightkeeper_check_up", check="port-refused", type="tcp",
                               location="local"), 0, page)
        self.assertEqual(value(s, "lightkeeper_check_up", check="web-ok", type="http",
                               location="local"), 1, page)
        self.assertEqual(value(s, "lightkeeper_check_state", check="web-ok", state="ok"), 1, page)
        self.assertGreaterEqual(value(s, "lightkeeper_check_results_total", check="web-down",
                                      status="fail"), 2, page)
        self.assertEqual(value(s, "lightkeeper_check_results_total", check="web-down",
                               status="ok"), 0, page)
        self.assertGreaterEqual(value(s, "lightkeeper_check_results_total", check="web-ok",
                                      status="ok"), 1, page)
        latency = value(s, "lightkeeper_check_latency_seconds", check="web-ok")
        self.assertIsNotNone(latency, page)
        self.assertTrue(0 < latency < 1.0 + lktest.SLACK, latency)
        connect = value(s, "lightkeeper_check_phase_seconds", check="web-ok", phase="connect")
        total = value(s, "lightkeeper_check_phase_seconds", check="web-ok", phase="total")
        self.assertIsNotNone(connect, page)
        self.assertIsNotNone(total, page)
        self.assertLessEqual(connect, total, page)
        last_run = value(s, "lightkeeper_check_last_run_timestamp_seconds", check="web-ok")
        self.assertTrue(self.started - 5 <= last_run <= time.time() + 5, (last_run, self.started))
        self.assertGreaterEqual(value(s, "lightkeeper_incidents_open"), 2, page)

        # The notification: sent through the webhook, nothing given up, queue and flight sane.
        hook = dict(notifier="ops-hook", type="webhook")
        sent = value(s, "lightkeeper_notification_attempts_total", outcome="sent", **hook)
        enqueued = value(s, "lightkeeper_notifications_enqueued_total", **hook)
        self.assertGreaterEqual(sent, 1, page)
        self.assertLessEqual(sent, self.hook.requests, "more sent than the receiver saw")
        self.assertGreaterEqual(enqueued, sent, page)
        self.assertEqual(value(s, "lightkeeper_notification_attempts_total", outcome="permanent",
                               **hook), 0, page)
        self.assertIsNotNone(value(s, "lightkeeper_notification_attempts_total",
                                   outcome="retryable", **hook), page)
        queued = value(s, "lightkeeper_notifications_queued", **hook)
        in_flight = value(s, "lightkeeper_notifications_in_flight", **hook)
        self.assertTrue(0 <= in_flight <= queued <= enqueued, (in_flight, queued, enqueued))
        self.assertEqual(value(s, "lightkeeper_notification_enqueue_errors_total"), 0, page)

        # Scheduler and store.
        p99 = value(s, "lightkeeper_scheduler_lateness_seconds", quantile="0.99")
        self.assertTrue(0 <= p99 < lktest.SLACK, page)
        self.assertGreaterEqual(value(s, "lightkeeper_checks_started_total"), 3, page)
        self.assertGreaterEqual(value(s, "lightkeeper_store_batches_written_total"), 1, page)
        self.assertGreater(value(s, "lightkeeper_store_max_batch_seconds"), 0, page)
        self.assertGreaterEqual(value(s, "lightkeeper_store_max_batch_seconds"),
                                value(s, "lightkeeper_store_last_batch_seconds"), page)
        self.assertEqual(value(s, "lightkeeper_store_write_failures_total"), 0, page)
        self.assertEqual(value(s, "lightkeeper_store_results_dropped_total"), 0, page)
        self.assertGreaterEqual(value(s, "lightkeeper_store_queue_depth"), 0, page)

        # The process, under the names every Prometheus client uses.
        self.assertGreater(value(s, "process_resident_memory_bytes"), 1 << 20, page)
        self.assertGreaterEqual(value(s, "process_virtual_memory_bytes"),
                                value(s, "process_resident_memory_bytes"), page)
        self.assertGreater(value(s, "process_cpu_seconds_total"), 0, page)
        open_fds = value(s, "process_open_fds")
        self.assertGreaterEqual(open_fds, 3, page)
        max_fds = value(s, "process_max_fds")
        if max_fds is not None:
            self.assertGreaterEqual(max_fds, open_fds, page)
        start = value(s, "process_start_time_seconds")
        self.assertTrue(self.started - 60 <= start <= time.time(), (start, self.started))
        builds = values(s, "lightkeeper_build_info")
        self.assertEqual(len(builds), 1, page)
        self.assertEqual(list(builds.values()), [1.0], page)

        # Counters only go up from one scrape to the next.
        def later_scrape():
            t = parse_exposition(self.scrape())
            now = value(t, "lightkeeper_check_results_total", check="web-ok", status="ok")
            before = value(s, "lightkeeper_check_results_total", check="web-ok", status="ok")
            return t if now > before else NotYet((before, now))
        t = wait_for(later_scrape, 15, "another result of web-ok in /metrics", interval=0.25)
        for (name, labels), v in s.items():
            if name.endswith("_total"):
                self.assertGreaterEqual(t.get((name, labels), -1), v, (name, dict(labels)))


if __name__ == "__main__":
    lktest.main()
