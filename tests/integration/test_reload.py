"""Reloading the config of a running `lightkeeper serve` without losing state.

The daemon reloads by itself when the file changes (it compares mtime and size), and on
SIGHUP. To prove that SIGHUP is what reloaded, some files are swapped in with the same size
and modification time as the file they replace, so the file watcher cannot notice them.
"""

import os
import re
import signal

import lktest
from lktest import HttpServer, NotYet, check_yaml, config_yaml, refusing_port, wait_for

PAD_TO = 4096  # every config file is padded with a comment to this size


def padded(text):
    filler = PAD_TO - len(text.encode("utf-8")) - 3
    assert filler > 0, "config text too long for PAD_TO"
    return text + "#" + "x" * filler + "\n\n"


def write_unnoticed(path, text):
    """Replaces `path` by `text` (same padded size) and gives it the old mtime, atomically, so
    that a watcher comparing mtime and size sees nothing."""
    old = os.stat(path)
    data = padded(text).encode("utf-8")
    assert len(data) == old.st_size, (len(data), old.st_size)
    tmp = path + ".new"
    with open(tmp, "wb") as f:
        f.write(data)
    os.utime(tmp, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(tmp, path)
    new = os.stat(path)
    assert (new.st_mtime_ns, new.st_size) == (old.st_mtime_ns, old.st_size)


def write_noticed(path, text):
    old = os.stat(path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(padded(text))
    # On a coarse-timestamp file system two writes in one tick could look the same.
    if os.stat(path).st_mtime_ns == old.st_mtime_ns:
        os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns + 1_000_000_000))


def reload_counts(lk):
    metrics = lk.get_text("/metrics")
    counts = dict(re.findall(r'(?m)^lightkeeper_config_reloads_total\{result="(\w+)"\} (\d+)',
                             metrics))
    return int(counts.get("ok", -1)), int(counts.get("error", -1))


class Reload(lktest.LkTestCase):
    def setUp(self):
        super().setUp()
        self.server_a = self.target(HttpServer(status=200, body="a is fine"))
        self.server_c = self.target(HttpServer(status=200, body="c is fine"))
        self.refused_b = self.target(refusing_port())
        self.storage = self.tmp.join("lk.db")
        self.path = self.tmp.join("lightkeeper.yaml")
        self.listen = "127.0.0.1:%d" % lktest.free_port()

    def check_a(self, interval="1s"):
        return check_yaml("a", "http", url=self.server_a.url("/a"), interval=interval,
                          timeout="1s", failure_threshold=2)

    def check_b(self, interval="1s"):
        return check_yaml("b", "http", url="http://127.0.0.1:%d/" % self.refused_b.port,
                          interval=interval, timeout="1s", failure_threshold=2)

    def check_c(self):
        return check_yaml("c", "http", url=self.server_c.url("/c"), interval="1s", timeout="1s")

    def config(self, *checks):
        # debug: a check's first result ("pending -> ok") is logged at debug level only.
        return config_yaml(self.storage, list(checks), listen=self.listen, log_level="debug")

    def b_incidents(self):
        return self.lk.incidents("?check=b")

    def wait_states(self, expected, timeout=30):
        def states():
            checks = self.lk.checks()
            seen = {n: c["state"] for n, c in checks.items()}
            return checks if seen == expected else NotYet(seen)
        return wait_for(states, timeout, "check states %r" % expected)

    def wait_more_results(self, name, status, more, timeout=30):
        start = self.lk.checks()[name]["results"][status]

        def grown():
            now = self.lk.checks()[name]["results"][status]
            return now if now >= start + more else NotYet(now)
        return wait_for(grown, timeout, "%d more %s results of check %s (had %d)"
                        % (more, status, name, start))

    def test_reload_keeps_state_and_incidents_and_refuses_a_bad_file(self):
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(padded(self.config(self.check_a(), self.check_b())))
        self.lk = self.serve(self.path)

        checks = self.wait_states({"a": "ok", "b": "fail"})
        incident = wait_for(lambda: self.b_incidents(), 10, "an incident for check b")
        self.assertEqual(len(incident), 1, incident)
        incident_id = incident[0]["id"]
        self.assertTrue(incident[0]["open"], incident)
        self.assertEqual(checks["b"]["open_incident"], incident_id)
        self.assertEqual(reload_counts(self.lk), (0, 0))

        # 1. Only a's interval changes; the daemon notices the file by itself.
        b_fails = self.lk.checks()["b"]["results"]["fail"]
        a_oks = self.lk.checks()["a"]["results"]["ok"]
        b_stored = len(self.lk.results("b", 0))
        write_noticed(self.path, self.config(self.check_a(interval="2s"), self.check_b()))

        def a_has_new_interval():
            a = self.lk.checks()["a"]
            return a if a["interval_ms"] == 2000 else NotYet(a["interval_ms"])
        wait_for(a_has_new_interval, 20, "check a's interval to become 2s after the file changed")
        self.assertIn("config reloaded: 0 added, 0 removed, 1 changed, 1 unchanged", self.lk.log())
        self.assertEqual(reload_counts(self.lk)[0], 1)

        checks = self.lk.checks()
        self.assertEqual(checks["b"]["state"], "fail", checks["b"])
        self.assertEqual(checks["b"]["open_incident"], incident_id, checks["b"])
        self.assertGreaterEqual(checks["b"]["results"]["fail"], b_fails,
                                "b's result counters were reset by the reload")
        self.assertGreaterEqual(len(self.lk.results("b", 0)), b_stored)
        incidents = self.b_incidents()
        self.assertEqual([(i["id"], i["open"]) for i in incidents], [(incident_id, True)], incidents)
        self.assertEqual(checks["a"]["state"], "ok", checks["a"])
        self.assertGreaterEqual(checks["a"]["results"]["ok"], a_oks,
                                "a's result counters were reset by the reload")

        # 2. A file the watcher cannot notice adds c; nothing happens until SIGHUP.
        write_unnoticed(self.path, self.config(self.check_a(interval="2s"), self.check_b(),
                                               self.check_c()))
        # Two of a's runs at 2s take longer than two watch periods (2s each).
        self.wait_more_results("a", "ok", 3)
        self.assertNotIn("c", self.lk.checks(), "the unnoticeable file was loaded without SIGHUP")
        self.lk.signal(signal.SIGHUP)
        self.wait_states({"a": "ok", "b": "fail", "c": "ok"})
        self.assertIn("config reloaded: 1 added, 0 removed, 0 changed, 2 unchanged", self.lk.log())
        self.assertEqual(self.server_c.paths[:1], ["/c"])
        self.assertEqual([i["id"] for i in self.b_incidents()], [incident_id])

        # 3. An invalid file on SIGHUP is refused with its position; the old checks go on.
        bad = self.config(self.check_a(interval="2s"), self.check_b(interval="soon"),
                          self.check_c())
        bad_line = bad.splitlines().index("    interval: soon") + 1
        write_unnoticed(self.path, bad)
        self.lk.signal(signal.SIGHUP)
        wait_for(lambda: "reload (SIGHUP) refused" in self.lk.log(), 10,
                 "the log line saying the SIGHUP reload was refused")
        log = self.lk.log()
        self.assertRegex(log, r'%s:%d:15: checks\[1\]\.interval: .*"soon"'
                         % (re.escape(self.path), bad_line))
        wait_for(lambda: reload_counts(self.lk) == (2, 1), 5, "reload counters ok=2 error=1")
        self.wait_more_results("a", "ok", 2)
        self.wait_more_results("c", "ok", 2)
        checks = self.lk.checks()
        self.assertEqual(set(checks), {"a", "b", "c"})
        self.assertEqual(checks["b"]["interval_ms"], 1000, checks["b"])
        self.assertEqual(checks["b"]["open_incident"], incident_id, checks["b"])
        self.assertTrue(self.lk.alive())

        # 4. A fixed file (b slowed down, d added) is picked up by the watcher.
        check_d = check_yaml("d", "tcp", target="127.0.0.1:%d" % self.server_a.port,
                             interval="1s", timeout="1s")
        write_noticed(self.path, self.config(self.check_a(interval="2s"),
                                             self.check_b(interval="2s"), self.check_c(),
                                             check_d))
        self.wait_states({"a": "ok", "b": "fail", "c": "ok", "d": "ok"})
        self.assertEqual(self.lk.checks()["b"]["interval_ms"], 2000)
        self.assertIn("config reloaded: 1 added, 0 removed, 1 changed, 2 unchanged", self.lk.log())
        wait_for(lambda: reload_counts(self.lk) == (3, 1), 5, "reload counters ok=3 error=1")
        incidents = self.b_incidents()
        self.assertEqual([(i["id"], i["open"]) for i in incidents], [(incident_id, True)], incidents)

        # No reload started a kept check over, and none touched listen or storage.
        log = self.lk.log()
        self.assertEqual(log.count("check a: pending -> ok"), 1, log)
        self.assertEqual(log.count("check b: pending -> fail"), 1, log)
        self.assertEqual(log.count("incident #"), 1, log)
        self.assertNotIn("listen and storage changes take effect after a restart", log)


if __name__ == "__main__":
    lktest.main()
