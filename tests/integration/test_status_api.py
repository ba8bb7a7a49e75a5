"""The status page, its REST API and `lightkeeper ctl` against the real daemon, as the issue's
"done when" reads: an outage of a check appears on the status page by itself (an automatic
incident report of the component the check belongs to, announced to live pages over
Server-Sent Events), an update posted with `lightkeeper ctl` (a write token from
$LK_API_TOKEN) is on the page and in the Atom feed, and the report resolves itself when the
check recovers. Around it: what the API refuses (no token, a wrong one, a read-only token on a
write, bad JSON, an unknown field) and a runtime pause that stops a check's runs until resumed.

Targets are HTTP servers on 127.0.0.1 whose answer the test toggles."""

import json
import os
import socket
import threading
import time

import lktest
from lktest import HOST, Toggle, check_yaml, config_yaml, run_binary, wait_for

WRITE_TOKEN = "ci-token-" + "7" * 24
READ_TOKEN = "grafana-token-" + "3" * 24
# Start-up, two failing results (interval 1s, failure_threshold 2) and the report's write, on a
# loaded 2-core machine.
DETECTION = 30.0


class EventStream:
    """A raw GET /events connection whose frames a thread collects (bounded in time)."""

    def __init__(self, port):
        self.sock = socket.create_connection((HOST, port), timeout=5)
        self.sock.sendall(b"GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        self.data = b""
        self.lock = threading.Lock()
        self.stopped = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        deadline = time.monotonic() + lktest.MAX_LIFETIME
        self.sock.settimeout(0.5)
        while not self.stopped and time.monotonic() < deadline:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.data += chunk

    def text(self):
        with self.lock:
            return self.data.decode("utf-8", "replace")

    def events(self):
        return [line for line in self.text().split("\n") if line.startswith("event:")]

    def stop(self):
        self.stopped = True
        self.thread.join(timeout=5)
        self.sock.close()


class StatusApiTest(lktest.LkTestCase):
    def start(self):
        self.web = self.target(Toggle())
        self.db = self.target(Toggle())
        checks = [
            check_yaml("web-1", "http", url=self.web.url(), interval="1s", timeout="1s"),
            check_yaml("db", "http", url=self.db.url(), interval="1s", timeout="1s"),
        ]
        extra = ('api:\n  tokens:\n'
                 '    - {name: ci, token: "${LK_API_TOKEN}", scope: write}\n'
                 '    - {name: grafana, token: %s, scope: read}\n'
                 'components:\n'
                 '  - {id: shop, name: Shop, group: Acme, checks: [web-1]}\n'
                 '  - {id: database, name: Database, group: Acme, checks: [db]}\n'
                 'status_pages:\n'
                 '  - {slug: acme, title: Acme status}\n' % READ_TOKEN)
        path = self.tmp.write("lk.yaml", config_yaml(self.tmp.join("lk.db"), checks, extra=extra))
        os.environ["LK_API_TOKEN"] = WRITE_TOKEN
        self.addCleanup(os.environ.pop, "LK_API_TOKEN", None)
        self.d = self.serve(path)
        return self.d

    def api(self, method, path, body=None, token=WRITE_TOKEN):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        data = json.dumps(body) if isinstance(body, (dict, list)) else body
        status, hdrs, raw = self.d.request(method, path, body=data, headers=headers)
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw

    def ctl(self, *args):
        run = run_binary(["ctl", "--server", "http://%s:%d" % (HOST, self.d.port)] + list(args),
                         timeout=30, env=dict(os.environ, LK_API_TOKEN=WRITE_TOKEN))
        self.assertEqual(run.returncode, 0, run.describe())
        return run.stdout

    def page(self, path="/"):
        return self.d.get_text(path)

    def test_outage_update_and_recovery_reach_page_feed_and_live_clients(self):
        self.start()
        wait_for(lambda: "All systems operational" in self.page(), DETECTION,
                 "the page to say all systems are operational")
        stream = EventStream(self.d.port)
        self.addCleanup(stream.stop)
        wait_for(lambda: "retry:" in stream.text() or stream.text().startswith("HTTP/1.1 200"),
                 10, "the event stream to open")
        self.assertTrue(stream.text().startswith("HTTP/1.1 200"), stream.text()[:300])
        self.assertIn("text/event-stream", stream.text().split("\r\n\r\n")[0])
        events_before = len(stream.events())

        self.web.healthy = False
        def automatic_report():
            status, body = self.api("GET", "/api/v1/status-reports?open=true", token=READ_TOKEN)
            reports = [r for r in body["reports"] if r["automatic"]] if status == 200 else []
            return reports[0] if reports else None
        report = wait_for(automatic_report, DETECTION, "an automatic report for the outage")
        self.assertEqual(report["components"], ["shop"])
        self.assertEqual(report["state"], "investigating")
        self.assertEqual(report["updates"][0]["author"], "lightkeeper")
        page = wait_for(lambda: (lambda p: p if report["title"] in p else None)(self.page()), 10,
                        "the report on the page")
        self.assertIn("Investigating", page)
        self.assertNotIn("All systems operational", page)
        # The check's own message (its address) stays off the public page.
        self.assertNotIn("127.0.0.1:%d" % self.web.server.port, page)
        wait_for(lambda: len(stream.events()) > events_before, 10,
                 "a Server-Sent Event after the outage")

        # An engineer posts an update from a script: it is on the page and in the feed.
        out = self.ctl("incident", "update", str(report["id"]), "--state", "identified",
                       "-m", "A **bad deploy** of the shop; rolling back.")
        self.assertIn("identified", out)
        page = self.page("/status/acme/")
        self.assertIn("<strong>bad deploy</strong>", page)
        self.assertIn("Identified", page)
        feed = self.page("/status/acme/feed.atom")
        self.assertIn("<feed", feed)
        self.assertIn("bad deploy", feed)
        # The other component's page has nothing of it... there is only one page here; the
        # report names its component:
        self.assertIn("Shop", self.page("/status/acme/incidents/%d" % report["id"]))

        self.web.healthy = True
        def resolved():
            status, body = self.api("GET", "/api/v1/status-reports/%d" % report["id"],
                                    token=READ_TOKEN)
            return body if status == 200 and body["state"] == "resolved" else None
        done = wait_for(resolved, DETECTION, "the report to resolve when the check recovers")
        self.assertEqual(done["updates"][0]["author"], "lightkeeper")
        self.assertEqual([u["state"] for u in done["updates"]],
                         ["resolved", "identified", "investigating"])
        wait_for(lambda: "All systems operational" in self.page(), 10,
                 "the page to be all operational again")

    def test_the_api_refuses_what_it_should_and_says_why(self):
        self.start()
        body = {"title": "x", "message": "y"}
        status, answer = self.api("POST", "/api/v1/status-reports", body, token=None)
        self.assertEqual(status, 401, answer)
        status, answer = self.api("POST", "/api/v1/status-reports", body, token="wrong-" * 5)
        self.assertEqual(status, 401, answer)
        status, answer = self.api("POST", "/api/v1/status-reports", body, token=READ_TOKEN)
        self.assertEqual(status, 403, answer)
        self.assertNotIn(READ_TOKEN, json.dumps(answer))
        status, answer = self.api("POST", "/api/v1/status-reports", "{oops")
        self.assertEqual(status, 400, answer)
        status, answer = self.api("POST", "/api/v1/status-reports", dict(body, colour="red"))
        self.assertEqual((status, answer["error"]["field"]), (400, "colour"), answer)
        status, answer = self.api("GET", "/api/v1/checks", token=None)
        self.assertEqual(status, 401, answer)
        status, answer = self.api("GET", "/api/v1/checks", token=READ_TOKEN)
        self.assertEqual(status, 200, answer)
        # Nothing was created by any of the refused writes, and no token reached the log.
        status, answer = self.api("GET", "/api/v1/status-reports", token=READ_TOKEN)
        self.assertEqual(answer["reports"], [])
        log = self.d.log()
        self.assertNotIn(WRITE_TOKEN, log)
        self.assertNotIn(READ_TOKEN, log)

    def test_a_paused_check_stops_running_until_resumed(self):
        self.start()
        wait_for(lambda: self.db.server.requests >= 2, DETECTION, "db to be checked")
        self.ctl("pause", "db", "--reason", "migrating the database")
        status, answer = self.api("GET", "/api/v1/pauses", token=READ_TOKEN)
        self.assertEqual([p["check"] for p in answer["pauses"]], ["db"])
        self.assertEqual(answer["pauses"][0]["author"], "ci")
        # A run in flight may still finish; after that the count stays put while web-1 (same
        # interval) runs four more times.
        settled = self.db.server.requests
        web_mark = self.web.server.requests
        wait_for(lambda: self.web.server.requests >= web_mark + 4, 15, "four more runs of web-1")
        self.assertLessEqual(self.db.server.requests - settled, 1)
        paused_at = self.db.server.requests
        self.ctl("resume", "db")
        wait_for(lambda: self.db.server.requests > paused_at + 1, 15, "db to run again")


if __name__ == "__main__":
    lktest.main()
