"""Heartbeats (passive checks): a job that pings on time keeps its check up; one that stops
pinging opens an incident; pinging again closes it; /start + success records the run time,
/fail fails it; unknown tokens get a 404; a restart remembers the last ping."""

import time

import lktest
from lktest import HOST, NotYet, check_yaml, config_yaml, run_binary, wait_for

TOKEN = "backup-token-0123456789"


class Heartbeat(lktest.LkTestCase):
    def setUp(self):
        super().setUp()
        self.storage = self.tmp.join("lk.db")
        checks = [
            check_yaml("backup", "heartbeat", period="2s", grace="1s", token=TOKEN),
            # A derived token (from the instance secret); never due during the test.
            check_yaml("yearly", "heartbeat", schedule="@yearly", timezone="Europe/London"),
        ]
        self.config = self.tmp.write("lightkeeper.yaml", config_yaml(self.storage, checks))

    def request(self, lk, method, path, body=None):
        status, headers, body = lk.request(method, path, body)
        return status, headers.get("content-type"), body

    def ping_cli(self, lk, *args):
        return run_binary(["ping", TOKEN, "--server", "http://%s:%d" % (HOST, lk.port)]
                          + list(args), timeout=30)

    def wait_state(self, lk, state, timeout=15):
        def reached():
            check = lk.checks()["backup"]
            return check if check["state"] == state else NotYet(check)
        return wait_for(reached, timeout, "check 'backup' in state %s" % state)

    def latest_result(self, lk, since):
        results = lk.results("backup", since)
        return results[-1] if results else None

    def test_pings_keep_it_up_and_silence_opens_an_incident(self):
        started = time.time()
        lk = self.serve(self.config)

        ran = self.ping_cli(lk, "-m", "42 files copied")
        self.assertEqual(ran.returncode, 0, ran.describe())
        self.wait_state(lk, "ok")
        self.assertIn("42 files copied", lk.checks()["backup"]["message"])

        # Plain HTTP works too: GET, POST with a body, HEAD.
        self.assertEqual(self.request(lk, "GET", "/ping/" + TOKEN)[::2], (200, b"OK"))
        self.assertEqual(self.request(lk, "POST", "/ping/" + TOKEN, b"done")[::2], (200, b"OK"))
        self.assertEqual(self.request(lk, "HEAD", "/ping/" + TOKEN)[::2], (200, b""))
        # An unknown token is a 404 that reveals nothing.
        status, content_type, body = self.request(lk, "GET", "/ping/no-such-token-000000")
        self.assertEqual(status, 404)
        self.assertTrue(content_type.startswith("application/json"), content_type)
        self.assertNotIn("backup", body.decode())
        ran = run_binary(["ping", "no-such-token-000000", "--server",
                          "http://%s:%d" % (HOST, lk.port)], timeout=30)
        self.assertEqual(ran.returncode, 1, ran.describe())
        self.assertIn("HTTP 404", ran.stderr)

        # Silence: late after 2s + 1s, with an incident saying since when.
        self.wait_state(lk, "fail", timeout=15)
        def incident():
            found = [i for i in lk.incidents("?check=backup") if i["open"]]
            return found[0] if found else NotYet(found)
        opened = wait_for(incident, 10, "an open incident for 'backup'")
        self.assertIn("no ping since", opened["cause"])

        # A late ping recovers it and closes the incident.
        self.assertEqual(self.ping_cli(lk).returncode, 0)
        self.wait_state(lk, "ok")
        def closed():
            found = [i for i in lk.incidents("?check=backup") if i["id"] == opened["id"]]
            return found[0] if found and not found[0]["open"] else NotYet(found)
        wait_for(closed, 10, "the incident closed")

        # /start then success records the run time.
        self.assertEqual(self.ping_cli(lk, "--start").returncode, 0)
        time.sleep(0.3)
        self.assertEqual(self.ping_cli(lk, "-m", "-").returncode, 0)
        def run_time():
            r = self.latest_result(lk, started)
            return r if r and r["message"].startswith("run took") else NotYet(r)
        wait_for(run_time, 10, "a result with the run time")

        # /fail fails it at once.
        status, _, _ = self.request(lk, "POST", "/ping/%s/fail" % TOKEN, b"disk full")
        self.assertEqual(status, 200)
        self.wait_state(lk, "fail", timeout=5)
        self.assertIn("job reported failure: disk full", lk.checks()["backup"]["message"])

    def test_the_derived_ping_url_is_printed_and_a_restart_keeps_the_last_ping(self):
        printed = run_binary(["config", "print", "-c", self.config], timeout=30)
        self.assertEqual(printed.returncode, 0, printed.describe())
        urls = [line.split("ping_url: ", 1)[1] for line in printed.stdout.splitlines()
                if "ping_url: " in line]
        self.assertEqual(len(urls), 2, printed.stdout)
        yearly_path = "/ping/" + urls[1].rsplit("/ping/", 1)[1]

        first = self.serve(self.config, name="first")
        # The secret was kept beside the database: the printed URL works.
        self.assertEqual(self.request(first, "GET", yearly_path)[0], 200)
        self.assertNotIn(yearly_path, first.log())  # tokens stay out of the log
        self.assertEqual(self.ping_cli(first).returncode, 0)
        self.wait_state(first, "ok")
        pinged_at = time.time()
        first.stop()

        second = self.serve(self.config, name="second")
        self.assertEqual(self.request(second, "GET", yearly_path)[0], 200)
        # Late about 3s after the last ping, and it knows when that was.
        late = self.wait_state(second, "fail", timeout=15)
        self.assertIn("no ping since", late["message"])
        self.assertNotIn("no ping yet", late["message"])
        self.assertGreater(time.time() - pinged_at, 2.5)


if __name__ == "__main__":
    lktest.main()
