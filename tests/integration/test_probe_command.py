"""command checks: real Monitoring Plugins (check_tcp, check_disk, check_dummy) and hostile
plugins (hanging, forking a child that holds the output, ignoring SIGTERM, printing garbage),
through `lightkeeper check` and `lightkeeper serve`.

The plugin's exit code is the status (0 ok, 1 warning, 2 critical, 3 unknown); a timeout kills
the plugin's whole process group, SIGTERM then SIGKILL.
"""

import os
import socket
import threading
import time
import urllib.parse

import lktest
from lktest import (CRITICAL, NotYet, OK, SLACK, UNKNOWN, WARNING, check_yaml, config_yaml,
                    refusing_port, wait_for)

PLUGINS = "/usr/lib/nagios/plugins"


def plugin(name):
    return os.path.join(PLUGINS, name)


def command_url(program, *args):
    query = "&".join("arg=" + urllib.parse.quote(a, safe="") for a in args)
    return "command://" + urllib.parse.quote(program) + ("?" + query if query else "")


def process_gone(pid):
    """True when no process has this PID or it is a zombie (re-parented and not yet reaped)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] == "Z"


class Listener:
    """A TCP port on 127.0.0.1 that accepts and closes connections (for check_tcp)."""

    def __init__(self):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((lktest.HOST, 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self):
        started = time.monotonic()
        while not self._stopped.is_set() and time.monotonic() - started < lktest.MAX_LIFETIME:
            try:
                conn, _ = self._sock.accept()
            except (socket.timeout, OSError):
                continue
            conn.close()

    def stop(self):
        self._stopped.set()
        self._thread.join(timeout=10)
        self._sock.close()


class CommandCheck(lktest.CheckTestCase):
    def require_plugin(self, name):
        if not os.access(plugin(name), os.X_OK):
            self.skipTest("%s is not installed (monitoring-plugins-basic)" % plugin(name))

    def script(self, name, body):
        path = self.tmp.write(name, "#!/bin/sh\n" + body)
        os.chmod(path, 0o755)
        return path

    def pids_in(self, path):
        def read():
            with open(path) as f:
                return [int(p) for p in f.read().split()]
        return wait_for(read, 10, "the PIDs the plugin wrote to " + path)

    def assertAllGone(self, pids):
        wait_for(lambda: all(process_gone(p) for p in pids) or NotYet(
            [p for p in pids if not process_gone(p)]), 5, "the plugin's processes to be gone")

    # --- real plugins ------------------------------------------------------------------------

    def test_check_tcp_against_a_listening_port_is_ok_with_its_time_metric(self):
        self.require_plugin("check_tcp")
        listener = self.target(Listener())
        run = self.check("--json", command_url(plugin("check_tcp"), "-H", "127.0.0.1", "-p",
                                               str(listener.port)))
        doc = self.json_of(run)
        self.assertEqual(run.returncode, OK, run.describe())
        self.assertEqual(doc["status"], "ok", doc)
        self.assertIn("TCP OK", doc["message"])
        times = [m for m in doc["metrics"] if m["name"] == "time"]
        self.assertEqual(len(times), 1, doc)
        self.assertEqual(times[0]["unit"], "s", doc)

    def test_check_tcp_against_a_refusing_port_is_critical(self):
        self.require_plugin("check_tcp")
        port = self.target(refusing_port()).port
        run = self.check(command_url(plugin("check_tcp"), "-H", "127.0.0.1", "-p", str(port)))
        self.assertOutcome(run, CRITICAL, "refused")

    def test_check_disk_reports_the_root_file_system_in_bytes(self):
        self.require_plugin("check_disk")
        url = command_url(plugin("check_disk"), "-w", "0%", "-c", "0%", "-p", "/")
        run = self.check("--json", url)
        doc = self.json_of(run)
        self.assertEqual(doc["status"], "ok", run.describe())
        self.assertIn("DISK OK", doc["message"])
        root = [m for m in doc["metrics"] if m["name"] == "/"]
        self.assertEqual(len(root), 1, doc)
        self.assertGreater(root[0]["value"], 0, doc)
        # A condition on a perfdata label that needs quoting.
        run = self.check(url, "-e", 'metric."/" < 1')
        self.assertOutcome(run, CRITICAL, 'metric."/" was')

    def test_the_exit_code_decides_warning_and_unknown(self):
        self.require_plugin("check_dummy")
        run = self.check(command_url(plugin("check_dummy"), "1", "rather full"))
        self.assertOutcome(run, WARNING, "rather full")
        run = self.check(command_url(plugin("check_dummy"), "3", "cannot tell"))
        self.assertOutcome(run, UNKNOWN, "cannot tell")
        # A failing condition makes a warning critical; the plugin's critical stays critical.
        run = self.check(command_url(plugin("check_dummy"), "1", "x"), "-e", "latency < 1us")
        self.assertOutcome(run, CRITICAL, "latency")

    # --- hostile plugins ---------------------------------------------------------------------

    def test_a_hanging_plugin_is_killed_with_its_group_at_the_timeout(self):
        pids = self.tmp.join("pids")
        path = self.script("check_hang", "echo $$ > %s\nsleep 60 &\necho $! >> %s\nwait\n"
                           % (pids, pids))
        run = self.check(command_url(path), "-t", "1s")
        self.assertOutcome(run, CRITICAL, "timed out after 1s waiting for check_hang to exit",
                           "killed its process group")
        self.assertGreaterEqual(run.elapsed, 0.9, run.describe())
        self.assertLess(run.elapsed, 1 + SLACK, run.describe())
        started = self.pids_in(pids)
        self.assertEqual(len(started), 2, started)
        self.assertAllGone(started)

    def test_a_child_holding_the_output_open_is_killed_at_the_timeout(self):
        pids = self.tmp.join("pids")
        path = self.script("check_fork", "sleep 60 &\necho $! > %s\necho 'OK - fine'\nexit 0\n"
                           % pids)
        run = self.check(command_url(path), "-t", "1s")
        self.assertOutcome(run, CRITICAL, "timed out after 1s",
                           "a process it started kept its output open")
        self.assertLess(run.elapsed, 1 + SLACK, run.describe())
        self.assertAllGone(self.pids_in(pids))

    def test_a_plugin_ignoring_sigterm_gets_sigkill(self):
        pids = self.tmp.join("pids")
        path = self.script("check_stubborn",
                           "trap '' TERM\necho $$ > %s\nwhile :; do sleep 0.1; done\n" % pids)
        run = self.check(command_url(path), "-t", "1s")
        self.assertOutcome(run, CRITICAL, "timed out after 1s")
        # The result comes at the timeout; the process exits after SIGKILL (1 s later).
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())
        self.assertAllGone(self.pids_in(pids))

    def test_binary_garbage_is_unknown_with_a_clear_message(self):
        path = self.script("check_garbage", "head -c 64 /dev/urandom | tr '\\n' x\nprintf '\\000\\001'\nexit 0\n")
        run = self.check(command_url(path))
        self.assertOutcome(run, UNKNOWN, "check_garbage printed binary data, not plugin output")

    def test_an_exit_code_outside_0_to_3_is_unknown(self):
        path = self.script("check_42", "echo 'I am not a plugin'\nexit 42\n")
        run = self.check(command_url(path))
        self.assertOutcome(run, UNKNOWN, "exited with code 42, not a plugin status",
                           "I am not a plugin")

    def test_a_missing_program_is_unknown(self):
        run = self.check(command_url(self.tmp.join("check_absent")))
        self.assertOutcome(run, UNKNOWN, "cannot run", "No such file or directory")

    def test_arguments_reach_the_plugin_unchanged_and_no_shell_runs(self):
        path = self.script("check_args", 'for a in "$@"; do printf "[%s]" "$a"; done\necho\n')
        run = self.check(command_url(path, "a b", "$HOME", "*", "; exit 2"))
        self.assertOutcome(run, OK, "[a b][$HOME][*][; exit 2]")

    # --- in the daemon -------------------------------------------------------------------------

    def test_serve_runs_plugins_and_keeps_their_status_and_metrics(self):
        self.require_plugin("check_dummy")
        listener = self.target(Listener())
        common = dict(interval="1s", timeout="1s", failure_threshold=1)
        checks = [
            check_yaml("dummy-warn", "command", command=plugin("check_dummy"),
                       args=["1", "getting full"], **common),
            check_yaml("tcp-ok", "command", command=plugin("check_tcp"),
                       args=["-H", "127.0.0.1", "-p", str(listener.port)], **common),
            check_yaml("garbage", "command", command=self.script(
                "check_garbage", "printf 'x\\000y'\n"), **common),
        ]
        config = self.tmp.write("lightkeeper.yaml", config_yaml(self.tmp.join("lk.db"), checks))
        started = time.time()
        lk = self.serve(config)
        expected = {"dummy-warn": "warn", "tcp-ok": "ok", "garbage": "unknown"}

        def settled():
            states = {n: c["state"] for n, c in lk.checks().items()}
            return states == expected or NotYet(states)
        wait_for(settled, 30, "states %r" % expected)
        checks = lk.checks()
        self.assertIn("getting full", checks["dummy-warn"]["message"])
        self.assertIn("binary data", checks["garbage"]["message"])
        self.assertIn("TCP OK", checks["tcp-ok"]["message"])

        def stored_time_metric():
            results = lk.results("tcp-ok", started - 1)
            metrics = [m for r in results for m in r.get("metrics", []) if m["name"] == "time"]
            return metrics or NotYet(results[:2])
        metrics = wait_for(stored_time_metric, 10, "a stored result of tcp-ok with its time metric")
        self.assertEqual(metrics[0]["unit"], "s", metrics)


if __name__ == "__main__":
    lktest.main()
