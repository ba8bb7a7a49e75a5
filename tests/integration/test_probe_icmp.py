"""icmp checks: echo to 127.0.0.1 and ::1, and, in network namespaces this test creates (so no
packet leaves the machine), an address nobody answers, a host that ignores echo requests,
unprivileged datagram ICMP sockets allowed by net.ipv4.ping_group_range, and the error when
neither those nor raw sockets are permitted."""

import os
import shutil
import subprocess
import time

import lktest
from lktest import CRITICAL, OK, SLACK, UNKNOWN

NOBODY = 65534


def _can_make_netns():
    if not shutil.which("unshare") or not shutil.which("ip"):
        return "unshare or ip (util-linux, iproute2) is not installed"
    try:
        proc = subprocess.run(["unshare", "--net", "--", "ip", "link", "set", "lo", "up"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "cannot create a network namespace: %s" % e
    if proc.returncode != 0:
        return "cannot create a network namespace (needs root): %s" % proc.stdout.strip()
    return None


NETNS_PROBLEM = None


def run_in_netns(setup, args, as_nobody=False, timeout=60.0):
    """Runs `lightkeeper ARGS` in a new network namespace (loopback up, then the shell commands
    `setup`), optionally as user and group nobody without capabilities. Stopped by PID."""
    script = "set -e\nip link set lo up\n%s\nexec \"$@\"\n" % setup
    argv = ["unshare", "--net", "--", "sh", "-c", script, "sh"]
    if as_nobody:
        argv += ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
                 "--inh-caps=-all"]
    argv += [lktest.BINARY] + list(args)
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        lktest.stop_process(proc, term_timeout=2.0)
        out, err = proc.communicate()
        raise AssertionError("%s did not finish within %.0fs\n%s%s" % (argv, timeout, out, err))
    finally:
        if proc.poll() is None:
            lktest.stop_process(proc, term_timeout=2.0)
    return lktest.RunResult(argv, proc.returncode, out, err, time.monotonic() - started)


class IcmpCheck(lktest.CheckTestCase):
    @classmethod
    def setUpClass(cls):
        global NETNS_PROBLEM
        NETNS_PROBLEM = _can_make_netns()

    def need_netns(self):
        if NETNS_PROBLEM:
            self.skipTest(NETNS_PROBLEM)

    def need_setpriv(self):
        self.need_netns()
        if not shutil.which("setpriv"):
            self.skipTest("setpriv (util-linux) is not installed")
        if os.geteuid() != 0:
            self.skipTest("switching to user nobody needs root")

    def metrics(self, run):
        doc = self.json_of(run)
        return doc, lktest.metrics_with_units(doc)

    def assertAllAnswered(self, run, count):
        doc, m = self.metrics(run)
        self.assertEqual(doc["status"], "ok", run.describe())
        self.assertEqual(m["sent"][0], count, m)
        self.assertEqual(m["received"][0], count, m)
        self.assertEqual(m["loss"], (0, "%"), m)
        for name in ("rtt_min", "rtt_avg", "rtt_max"):
            self.assertEqual(m[name][1], "ms", m)
        self.assertLessEqual(m["rtt_min"][0], m["rtt_avg"][0], m)
        self.assertLessEqual(m["rtt_avg"][0], m["rtt_max"][0], m)
        return doc

    # --- loopback in this namespace ----------------------------------------------------------

    def test_ipv4_loopback_answers_every_request(self):
        run = self.check("--json", "icmp://127.0.0.1?count=3&interval=50ms")
        doc = self.assertAllAnswered(run, 3)
        self.assertIn("3/3 echo replies from 127.0.0.1", doc["message"])

    def test_ipv6_loopback_answers_every_request(self):
        run = self.check("--json", "icmp://[::1]?count=2&interval=50ms")
        doc = self.assertAllAnswered(run, 2)
        self.assertIn("from ::1", doc["message"])

    def test_conditions_on_rtt_and_loss(self):
        run = self.check("icmp://127.0.0.1?count=2&interval=20ms", "-e", "metric.rtt_max < 0.000001")
        self.assertOutcome(run, CRITICAL, "metric.rtt_max was")
        run = self.check("icmp://127.0.0.1?count=2&interval=20ms", "-e", "metric.loss < 1")
        self.assertOutcome(run, OK, "2/2 echo replies")

    def test_option_mistakes_are_named(self):
        run = self.check("icmp://127.0.0.1?count=500")
        self.assertEqual(run.returncode, UNKNOWN, run.describe())
        self.assertIn("must be between 1 and 100", run.stdout)
        run = self.check("icmp://127.0.0.1?count=20&interval=1s", "-t", "5s")
        self.assertEqual(run.returncode, UNKNOWN, run.describe())
        self.assertIn("longer than the timeout 5s", run.stdout)

    # --- namespaces this test creates ---------------------------------------------------------

    def test_an_address_nobody_answers_is_100_percent_loss(self):
        self.need_netns()
        # Routed onto the namespace's own loopback, where no one holds the address: dropped.
        run = run_in_netns("ip route add 10.200.0.0/24 dev lo",
                           ["check", "--json", "icmp://10.200.0.2?count=3&interval=100ms"
                            "&reply_timeout=500ms"])
        doc, m = self.metrics(run)
        self.assertEqual(run.returncode, CRITICAL, run.describe())
        self.assertIn("no echo reply from 10.200.0.2 within 500ms of the last request "
                      "(3 requests, 100% loss)", doc["message"])
        self.assertEqual(m["loss"], (100, "%"), m)
        self.assertEqual(m["sent"][0], 3, m)
        self.assertNotIn("rtt_avg", m)
        # 2 intervals and the reply timeout, not the 10 s check timeout.
        self.assertLess(run.elapsed, 0.7 + SLACK, run.describe())

    def test_a_host_ignoring_echo_requests_fails_over_ipv4_and_ipv6(self):
        self.need_netns()
        setup = ("echo 1 > /proc/sys/net/ipv4/icmp_echo_ignore_all\n"
                 "echo 1 > /proc/sys/net/ipv6/icmp/echo_ignore_all")
        for target in ("127.0.0.1", "[::1]"):
            run = run_in_netns(setup, ["check", "icmp://%s?count=2&interval=50ms"
                                                "&reply_timeout=300ms" % target])
            self.assertOutcome(run, CRITICAL, "no echo reply", "100% loss")

    def test_unprivileged_datagram_sockets_when_ping_group_range_allows(self):
        self.need_setpriv()
        setup = 'echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range'
        for target in ("127.0.0.1", "[::1]"):
            run = run_in_netns(setup, ["check", "--json", "icmp://%s?count=2&interval=20ms"
                                       % target], as_nobody=True)
            self.assertAllAnswered(run, 2)

    def test_without_permission_the_error_names_the_sysctl(self):
        self.need_setpriv()
        # A new namespace starts with ping_group_range "1 0": no group may use ping sockets.
        run = run_in_netns('echo "1 0" > /proc/sys/net/ipv4/ping_group_range',
                           ["check", "icmp://127.0.0.1?count=1"], as_nobody=True)
        first = self.assertOutcome(run, UNKNOWN, "ICMP sockets are not permitted",
                                   "net.ipv4.ping_group_range", "CAP_NET_RAW")
        self.assertIn("group %d" % NOBODY, first)


if __name__ == "__main__":
    lktest.main()
