"""local checks: disk, load and memory of this machine, and the clock against SNTP stubs on
loopback (one with a known offset, a silent one, one answering garbage, an unsynchronized one
and one sending a kiss-o'-death)."""

import os
import select
import socket
import struct
import threading
import time

import lktest
from lktest import CRITICAL, SLACK, UNKNOWN, WARNING, metrics_with_units

NTP_TO_UNIX = 2208988800


def ntp_timestamp(unix_seconds):
    seconds = int(unix_seconds)
    fraction = int((unix_seconds - seconds) * (1 << 32)) & 0xFFFFFFFF
    return struct.pack("!II", (seconds + NTP_TO_UNIX) & 0xFFFFFFFF, fraction)


class SntpStub:
    """An SNTP server on loopback (RFC 4330 wire format) whose clock runs `offset` seconds
    ahead of ours. `behaviour`: "good", "silent" (reads, never answers), "garbage" (answers
    bytes that are not SNTP), "unsynchronized" (leap indicator 3), "kiss" (stratum 0, RATE)."""

    def __init__(self, behaviour="good", offset=0.0, family=socket.AF_INET):
        self.behaviour = behaviour
        self.offset = offset
        self.requests = 0
        self._sock = socket.socket(family, socket.SOCK_DGRAM)
        self._sock.bind(("::1" if family == socket.AF_INET6 else lktest.HOST, 0))
        self.port = self._sock.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self):
        started = time.monotonic()
        while not self._stopped.is_set() and time.monotonic() - started < lktest.MAX_LIFETIME:
            readable, _, _ = select.select([self._sock], [], [], 0.1)
            if not readable:
                continue
            try:
                data, peer = self._sock.recvfrom(2048)
            except OSError:
                continue
            self.requests += 1
            answer = self._answer(data)
            if answer is not None:
                self._sock.sendto(answer, peer)

    def _answer(self, request):
        if self.behaviour == "silent":
            return None
        if self.behaviour == "garbage":
            return b"HELLO, I AM NOT NTP\r\n"
        leap = 3 if self.behaviour == "unsynchronized" else 0
        stratum = 0 if self.behaviour == "kiss" else 2
        reference = b"RATE" if self.behaviour == "kiss" else b"LOCL"
        now = time.time() + self.offset
        header = struct.pack("!BBbb", (leap << 6) | (4 << 3) | 4, stratum, 6, -20)
        return (header + struct.pack("!II", 0, 0) + reference + ntp_timestamp(now - 10)
                + request[40:48] + ntp_timestamp(now) + ntp_timestamp(now))

    def stop(self):
        self._stopped.set()
        self._thread.join(timeout=10)
        self._sock.close()


class LocalCheck(lktest.CheckTestCase):
    # --- disk, load, memory -----------------------------------------------------------------

    def test_disk_reports_the_same_space_as_statvfs(self):
        run, doc = self.check_json("local://disk/?path=/")
        self.assertEqual(doc["status"], "ok", run.describe())
        m = metrics_with_units(doc)
        st = os.statvfs("/")
        self.assertEqual(m["size_bytes"], (st.f_blocks * st.f_frsize, "B"))
        # Free space moves while other engineers build: compare within 1 GiB.
        self.assertAlmostEqual(m["free_bytes"][0], st.f_bavail * st.f_frsize, delta=1 << 30)
        self.assertEqual(m["free_percent"][1], "%")
        self.assertTrue(0 <= m["free_percent"][0] <= 100, m)
        self.assertRegex(doc["message"], r"^/: [\d.]+ \w+ free of [\d.]+ \w+ \(\d+%\)")

    def test_disk_conditions_judge_the_metrics(self):
        run = self.check("local://disk/?path=/", "-e", "metric.free_percent > 101")
        self.assertOutcome(run, CRITICAL, "metric.free_percent was")
        run = self.check("local://disk/?path=/", "-w", "metric.used_percent < 0")
        self.assertOutcome(run, WARNING, "metric.used_percent was")

    def test_a_missing_path_is_critical(self):
        run = self.check("local://disk/?path=" + self.tmp.join("not-there"))
        self.assertOutcome(run, CRITICAL, "cannot measure", "No such file or directory")

    def test_load_and_memory_report_their_metrics(self):
        run, doc = self.check_json("local://load?per_cpu=true")
        self.assertEqual(doc["status"], "ok", run.describe())
        m = metrics_with_units(doc)
        self.assertEqual(m["cpus"][0], os.cpu_count(), m)
        with open("/proc/loadavg") as f:
            one = float(f.read().split()[0])
        self.assertAlmostEqual(m["load1"][0], one / os.cpu_count(), delta=2.0)
        run, doc = self.check_json("local://memory")
        self.assertEqual(doc["status"], "ok", run.describe())
        m = metrics_with_units(doc)
        with open("/proc/meminfo") as f:
            total_kib = int(next(line for line in f if line.startswith("MemTotal:")).split()[1])
        self.assertEqual(m["total_bytes"], (total_kib * 1024, "B"))
        self.assertTrue(0 < m["available_percent"][0] <= 100, m)

    # --- clock ---------------------------------------------------------------------------------

    def test_clock_measures_a_known_offset(self):
        stub = self.target(SntpStub(offset=2.5))
        run, doc = self.check_json("local://clock?server=127.0.0.1:%d" % stub.port)
        self.assertEqual(doc["status"], "ok", run.describe())
        m = metrics_with_units(doc)
        self.assertAlmostEqual(m["offset"][0], 2500, delta=50)
        self.assertEqual(m["offset"][1], "ms")
        self.assertAlmostEqual(m["abs_offset"][0], 2500, delta=50)
        self.assertGreaterEqual(m["rtt"][0], 0)
        self.assertEqual(m["stratum"][0], 2)
        self.assertIn("clock offset +2", doc["message"])

    def test_clock_behind_the_server_and_a_condition_on_the_offset(self):
        stub = self.target(SntpStub(offset=-1.0))
        url = "local://clock?server=127.0.0.1:%d" % stub.port
        run, doc = self.check_json(url)
        self.assertAlmostEqual(metrics_with_units(doc)["offset"][0], -1000, delta=50)
        run = self.check(url, "-e", "metric.abs_offset < 100")
        self.assertOutcome(run, CRITICAL, "metric.abs_offset was")

    def test_clock_over_ipv6(self):
        try:
            stub = self.target(SntpStub(offset=0.2, family=socket.AF_INET6))
        except OSError as e:
            self.skipTest("no IPv6 loopback here: %s" % e)
        run, doc = self.check_json("local://clock?server=[::1]:%d" % stub.port)
        self.assertEqual(doc["status"], "ok", run.describe())
        self.assertAlmostEqual(metrics_with_units(doc)["offset"][0], 200, delta=50)

    def test_a_silent_server_times_out_on_time(self):
        stub = self.target(SntpStub("silent"))
        run = self.check("local://clock?server=127.0.0.1:%d" % stub.port, "-t", "1s")
        self.assertOutcome(run, CRITICAL, "timed out after 1s waiting for an SNTP reply from "
                           "127.0.0.1:%d" % stub.port)
        self.assertGreaterEqual(run.elapsed, 0.9, run.describe())
        self.assertLess(run.elapsed, 1 + SLACK, run.describe())
        self.assertEqual(stub.requests, 1)

    def test_garbage_is_not_an_sntp_reply(self):
        stub = self.target(SntpStub("garbage"))
        run = self.check("local://clock?server=127.0.0.1:%d" % stub.port)
        self.assertOutcome(run, CRITICAL, "is not an SNTP reply", "got 21 bytes")

    def test_an_unsynchronized_server_or_a_kiss_of_death_fails(self):
        stub = self.target(SntpStub("unsynchronized"))
        run = self.check("local://clock?server=127.0.0.1:%d" % stub.port)
        self.assertOutcome(run, CRITICAL, "not synchronized")
        stub = self.target(SntpStub("kiss"))
        run = self.check("local://clock?server=127.0.0.1:%d" % stub.port)
        self.assertOutcome(run, CRITICAL, "kiss-o'-death (RATE)")

    def test_nothing_listening_is_a_refusal(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind((lktest.HOST, 0))
            port = s.getsockname()[1]
        run = self.check("local://clock?server=127.0.0.1:%d" % port)
        self.assertOutcome(run, CRITICAL, "refused")

    def test_option_mistakes_are_named(self):
        run = self.check("local://clock")
        self.assertEqual(run.returncode, UNKNOWN, run.describe())
        self.assertIn("needs the NTP server", run.stdout, run.describe())
        run = self.check("local://cpu")
        self.assertEqual(run.returncode, UNKNOWN, run.describe())
        self.assertIn("unknown local check", run.stdout, run.describe())


if __name__ == "__main__":
    lktest.main()
