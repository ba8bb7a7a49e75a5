"""dns checks against a real NSD on loopback, and against hostile DNS servers.

NSD serves a test zone (every record type), a reverse zone, a zone it cannot load (so it answers
SERVFAIL) and nothing else (so it answers REFUSED for other names). The hostile servers are
small Python ones: one that never answers, one that answers garbage, and one whose UDP answers
are truncated while its TCP connection closes in the middle of the answer. Each run of
`lightkeeper check` must give the right verdict, a message naming the layer and the server, and
return within its timeout; `serve` must judge the same checks from a config.
"""

import os
import select
import shutil
import socket
import struct
import subprocess
import threading
import time

import lktest
from lktest import (CRITICAL, HOST, MAX_LIFETIME, NotYet, OK, SLACK, UNKNOWN, check_yaml,
                    config_yaml, stop_process, wait_for)


NSD = shutil.which("nsd") or ("/usr/sbin/nsd" if os.access("/usr/sbin/nsd", os.X_OK) else None)

TEST_ZONE = """$ORIGIN test.example.
$TTL 300
@       IN SOA ns1 hostmaster 2024010101 3600 900 604800 60
@       IN NS ns1
ns1     IN A 127.0.0.1
www     IN A 192.0.2.1
www     IN A 192.0.2.2
www     IN AAAA 2001:db8::1
alias 600 IN CNAME www
@       IN MX 10 mail
@       IN MX 20 mail2
mail    IN A 192.0.2.25
mail2   IN A 192.0.2.26
@       IN TXT "v=spf1 -all"
"""
# Nine 90-byte strings: about 900 bytes, more than a plain (non-EDNS) 512-byte UDP answer holds
# and less than the 1232 bytes an EDNS query offers.
TEST_ZONE += "".join('big IN TXT "%s"\n' % (str(i) * 90) for i in range(1, 10))

REVERSE_ZONE = """$ORIGIN 2.0.192.in-addr.arpa.
$TTL 300
@ IN SOA ns1.test.example. hostmaster.test.example. 1 3600 900 604800 60
@ IN NS ns1.test.example.
1 IN PTR www.test.example.
"""

BROKEN_ZONE = """$ORIGIN broken.example.
@ IN SOA ns1 hostmaster ( this is not a serial
www IN A 999.1.2.3
"""


def free_udp_and_tcp_port():
    """A port free for both UDP and TCP on 127.0.0.1 a moment ago (DNS serves both)."""
    for _ in range(50):
        port = lktest.free_port()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            try:
                u.bind((HOST, port))
            except OSError:
                continue
        return port
    raise AssertionError("no port free for both UDP and TCP after 50 tries")


def dns_query(name, qtype=6, qid=0x4242):
    """A plain DNS query (no EDNS), for the readiness probe."""
    labels = b"".join(bytes([len(l)]) + l.encode() for l in name.strip(".").split(".") if l)
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", qtype, 1)


def query_udp(port, name, qtype=6, timeout=0.5):
    """Sends one query; returns the answer's rcode, or None without an answer."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(dns_query(name, qtype), (HOST, port))
        try:
            data, _ = s.recvfrom(4096)
        except OSError:
            return None
    return data[3] & 0x0F if len(data) >= 12 and data[:2] == b"\x42\x42" else None


class Nsd:
    """NSD in the foreground on 127.0.0.1:PORT with its own config, zones, pidfile and state in
    a temp dir; stopped by PID."""

    def __init__(self, tmp):
        self.dir = tmp.join("nsd")
        os.makedirs(self.dir)
        self.port = free_udp_and_tcp_port()
        files = {"test.example.zone": TEST_ZONE, "reverse.zone": REVERSE_ZONE,
                 "broken.example.zone": BROKEN_ZONE}
        for name, text in files.items():
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(text)
        d = self.dir
        config = """server:
  ip-address: 127.0.0.1@%(port)d
  port: %(port)d
  username: ""
  chroot: ""
  zonesdir: "%(d)s"
  pidfile: "%(d)s/nsd.pid"
  database: ""
  xfrdfile: "%(d)s/xfrd.state"
  zonelistfile: "%(d)s/zone.list"
  xfrdir: "%(d)s"
  logfile: "%(d)s/nsd.log"
  server-count: 1
  tcp-count: 16
  reuseport: no
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: test.example
  zonefile: test.example.zone
zone:
  name: 2.0.192.in-addr.arpa
  zonefile: reverse.zone
zone:
  name: broken.example
  zonefile: broken.example.zone
""" % {"port": self.port, "d": d}
        self.config = os.path.join(d, "nsd.conf")
        with open(self.config, "w") as f:
            f.write(config)
        self.out = open(os.path.join(d, "stdout.log"), "w")
        self.proc = subprocess.Popen([NSD, "-d", "-c", self.config], stdout=self.out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=d)

        def answering():
            if self.proc.poll() is not None:
                raise lktest.GiveUp("nsd exited with %s:\n%s" % (self.proc.returncode, self.log()))
            return query_udp(self.port, "test.example") == 0
        wait_for(answering, 30, "NSD to answer the SOA of test.example on port %d" % self.port)

    def log(self):
        text = ""
        for name in ("stdout.log", "nsd.log"):
            try:
                with open(os.path.join(self.dir, name), errors="replace") as f:
                    text += "--- %s ---\n%s" % (name, f.read())
            except OSError:
                pass
        return text

    def url(self, name, **params):
        query = "&".join("%s=%s" % kv for kv in params.items())
        return "dns://127.0.0.1:%d/%s%s" % (self.port, name, "?" + query if query else "")

    def stop(self):
        stop_process(self.proc)
        self.out.close()


class _DnsHostile:
    """A UDP socket (and optionally a TCP listener) on one free port, served by threads that
    watch `stopped`; stop() closes the sockets and joins the threads."""

    def __init__(self, with_tcp=False):
        self.stopped = threading.Event()
        self.port = free_udp_and_tcp_port()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((HOST, self.port))
        self.tcp = None
        if with_tcp:
            self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.tcp.bind((HOST, self.port))
            self.tcp.listen(16)
        self.udp_queries = 0
        self.tcp_queries = 0
        self._started = time.monotonic()
        self._threads = [threading.Thread(target=self._udp_loop, daemon=True)]
        if with_tcp:
            self._threads.append(threading.Thread(target=self._tcp_loop, daemon=True))
        for t in self._threads:
            t.start()

    def _expired(self):
        return self.stopped.is_set() or time.monotonic() - self._started > MAX_LIFETIME

    def url(self, name="www.test.example", **params):
        query = "&".join("%s=%s" % kv for kv in params.items())
        return "dns://127.0.0.1:%d/%s%s" % (self.port, name, "?" + query if query else "")

    def _udp_loop(self):
        while not self._expired():
            try:
                readable, _, _ = select.select([self.udp], [], [], 0.1)
                if not readable:
                    continue
                query, peer = self.udp.recvfrom(4096)
            except (OSError, ValueError):
                return
            self.udp_queries += 1
            answer = self.answer_udp(query)
            if answer is not None:
                try:
                    self.udp.sendto(answer, peer)
                except OSError:
                    pass

    def _tcp_loop(self):
        while not self._expired():
            try:
                readable, _, _ = select.select([self.tcp], [], [], 0.1)
                if not readable:
                    continue
                conn, _ = self.tcp.accept()
            except (OSError, ValueError):
                return
            with conn:
                conn.settimeout(5)
                try:
                    data = b""
                    while len(data) < 2 or len(data) < 2 + struct.unpack(">H", data[:2])[0]:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    self.tcp_queries += 1
                    conn.sendall(self.answer_tcp(data[2:]))
                except OSError:
                    pass

    def answer_udp(self, query):
        return None

    def answer_tcp(self, query):
        return b""

    def stop(self):
        self.stopped.set()
        for s in (self.udp, self.tcp):
            if s is not None:
                s.close()
        for t in self._threads:
            t.join(timeout=10)


def answer_to(query, flags=0x8400, answer_a=None):
    """The answer to `query`: its id and question, `flags`, and optionally one A record."""
    end = 12
    while end < len(query) and query[end] != 0:
        end += query[end] + 1
    question = query[12:end + 5]
    ancount = 1 if answer_a else 0
    out = query[:2] + struct.pack(">HHHHH", flags, 1, ancount, 0, 0) + question
    if answer_a:
        out += b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 300, 4) + socket.inet_aton(answer_a)
    return out


class SilentServer(_DnsHostile):
    """Reads queries and never answers."""


class GarbageServer(_DnsHostile):
    def answer_udp(self, query):
        return b"this is not DNS at all\r\n"


class TruncatingServer(_DnsHostile):
    """Over UDP: a truncated answer (TC set). Over TCP: 10 bytes of a longer answer, then close."""

    def __init__(self):
        super().__init__(with_tcp=True)

    def answer_udp(self, query):
        return answer_to(query, flags=0x8600)

    def answer_tcp(self, query):
        whole = answer_to(query, answer_a="192.0.2.1")
        return (struct.pack(">H", len(whole)) + whole)[:10]


class ProbeDns(lktest.CheckTestCase):
    @classmethod
    def setUpClass(cls):
        if NSD is None:
            raise lktest.unittest.SkipTest("nsd is not installed (Debian package nsd; "
                                           "scripts/install-deps.sh --test installs it)")

    def setUp(self):
        super().setUp()
        self.nsd = Nsd(self.tmp)
        self.addCleanup(self._stop_nsd)

    def _stop_nsd(self):
        self.nsd.stop()
        if self._test_failed():
            print("\n===== NSD =====\n%s===== end =====" % self.nsd.log())

    # --- answers from NSD ----------------------------------------------------------------------

    def test_every_record_type_answers_as_in_the_zone(self):
        cases = [
            ("www.test.example", "A", ['json.answer_set == "192.0.2.1, 192.0.2.2"',
                                       "metric.ttl == 300", "metric.answers == 2"]),
            ("www.test.example", "AAAA", ['json.answers contains "2001:db8::1"']),
            ("alias.test.example", "CNAME", ['json.answers[0] == "www.test.example."',
                                             "metric.ttl == 600"]),
            ("test.example", "MX", ['json.answer_set == "10 mail.test.example., 20 mail2.test.example."']),
            ("test.example", "NS", ['json.answers contains "ns1.test.example."']),
            ("test.example", "TXT", ['json.answers contains "v=spf1 -all"']),
            ("test.example", "SOA", ['json.answers[0] == "ns1.test.example. hostmaster.test.example. '
                                     '2024010101 3600 900 604800 60"']),
            ("192.0.2.1", "PTR", ['json.answers contains "www.test.example."',
                                  'json.query == "1.2.0.192.in-addr.arpa."']),
        ]
        for name, qtype, conditions in cases:
            with self.subTest(name=name, type=qtype):
                args = []
                for c in conditions + ['json.rcode == "NOERROR"', "json.authoritative == true"]:
                    args += ["-e", c]
                run = self.check(self.nsd.url(name, type=qtype), *args)
                self.assertOutcome(run, OK)
                # Without conditions the default (NOERROR and at least one record) holds too, and
                # the summary shows the answer.
                plain = self.check(self.nsd.url(name, type=qtype))
                self.assertOutcome(plain, OK, "NOERROR: ", "(%s, TTL " % qtype)

    def test_the_summary_shows_the_answers(self):
        run = self.check(self.nsd.url("www.test.example", type="A"))
        first = self.assertOutcome(run, OK)
        self.assertRegex(first, r"^OK - NOERROR: 192\.0\.2\.1, 192\.0\.2\.2 \(A, TTL 300s\) in \S+$",
                         run.describe())
        self.assertIn("peer        127.0.0.1:%d" % self.nsd.port, run.stdout, run.describe())

    def test_a_wrong_answer_fails_naming_what_came(self):
        run = self.check(self.nsd.url("www.test.example"), "-e", 'json.answers contains "192.0.2.99"')
        self.assertOutcome(run, CRITICAL, "json.answers was", "192.0.2.1", "192.0.2.2",
                           'expected json.answers contains "192.0.2.99"')
        run = self.check(self.nsd.url("test.example", type="MX"), "-e",
                         'json.answer_set == "10 mail.test.example."')
        self.assertOutcome(run, CRITICAL, '"10 mail.test.example., 20 mail2.test.example."')

    def test_nxdomain_fails_by_default_and_passes_when_expected(self):
        url = self.nsd.url("nope.test.example")
        run = self.check(url)
        self.assertOutcome(run, CRITICAL, "DNS server 127.0.0.1:%d answered NXDOMAIN" % self.nsd.port,
                           "nope.test.example. A (expected NOERROR)")
        run = self.check(url, "-e", 'json.rcode == "NXDOMAIN"', "-e", "json.authoritative == true")
        self.assertOutcome(run, OK, "NXDOMAIN for nope.test.example. A")

    def test_a_name_without_records_of_the_type_fails_by_default(self):
        run = self.check(self.nsd.url("mail.test.example", type="AAAA"))
        self.assertOutcome(run, CRITICAL, "answered NOERROR with no AAAA record for mail.test.example.")
        run = self.check(self.nsd.url("mail.test.example", type="AAAA"), "-e", "metric.answers == 0")
        self.assertOutcome(run, OK)

    def test_servfail_from_a_zone_nsd_cannot_load(self):
        run = self.check(self.nsd.url("www.broken.example"))
        self.assertOutcome(run, CRITICAL, "answered SERVFAIL for www.broken.example. A")

    def test_refused_for_a_zone_the_server_does_not_serve(self):
        run = self.check(self.nsd.url("www.other.example"))
        self.assertOutcome(run, CRITICAL, "answered REFUSED")

    def test_a_truncated_udp_answer_is_asked_again_over_tcp(self):
        # A plain query gets at most 512 bytes over UDP: the ~900-byte RRset comes back truncated.
        run = self.check(self.nsd.url("big.test.example", type="TXT", edns="false"),
                         "-e", 'json.transport == "tcp"', "-e", "json.udp_truncated == true",
                         "-e", "json.truncated == false", "-e", "metric.answers == 9")
        self.assertOutcome(run, OK)
        # With EDNS (the default) the same answer fits in UDP.
        run = self.check(self.nsd.url("big.test.example", type="TXT"),
                         "-e", 'json.transport == "udp"', "-e", "metric.answers == 9")
        self.assertOutcome(run, OK)

    def test_tcp_can_be_forced_and_recursion_turned_off(self):
        run = self.check(self.nsd.url("www.test.example", tcp="true", recursion="false"),
                         "-e", 'json.transport == "tcp"', "-e", "json.udp_truncated == false")
        self.assertOutcome(run, OK, "over TCP")

    def test_a_wrong_option_is_unknown_with_the_reason(self):
        run = self.check(self.nsd.url("www.test.example", type="SRV"))
        self.assertEqual(run.returncode, UNKNOWN, run.describe())
        self.assertIn('unsupported record type "SRV"', run.stdout, run.describe())
        run = self.check("dns://127.0.0.1:%d" % self.nsd.port)
        self.assertEqual(run.returncode, UNKNOWN, run.describe())
        self.assertIn("expected dns://SERVER[:PORT]/NAME", run.stdout, run.describe())

    # --- hostile servers -----------------------------------------------------------------------

    def test_a_server_that_never_answers_times_out_on_time(self):
        server = self.target(SilentServer())
        run = self.check(server.url(), "-t", "2s")
        self.assertOutcome(run, CRITICAL, "timed out after 2s waiting for an answer from DNS server "
                                          "127.0.0.1:%d over UDP" % server.port)
        self.assertGreaterEqual(run.elapsed, 1.9, run.describe())
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())
        self.assertGreaterEqual(server.udp_queries, 1)

    def test_a_server_that_answers_garbage_fails_at_once_saying_so(self):
        server = self.target(GarbageServer())
        run = self.check(server.url(), "-t", "5s")
        self.assertOutcome(run, CRITICAL, "DNS server 127.0.0.1:%d sent a 24-byte reply that is not "
                                          "a DNS answer" % server.port, 'it starts "this is not DNS')
        self.assertLess(run.elapsed, 5, "garbage should not wait for the timeout\n" + run.describe())

    def test_a_tcp_connection_closed_in_the_middle_of_the_answer_is_named(self):
        server = self.target(TruncatingServer())
        # UDP says "truncated", the TCP retry is cut off after 10 bytes.
        run = self.check(server.url(), "-t", "5s")
        self.assertOutcome(run, CRITICAL, "the TCP connection to DNS server 127.0.0.1:%d was closed "
                                          "after 10 bytes, in the middle of an answer" % server.port)
        self.assertLess(run.elapsed, 5, run.describe())
        self.assertEqual((server.udp_queries, server.tcp_queries), (1, 1))
        # Forced TCP goes there directly.
        run = self.check(server.url(tcp="true"), "-t", "5s")
        self.assertOutcome(run, CRITICAL, "in the middle of an answer")
        self.assertEqual((server.udp_queries, server.tcp_queries), (1, 2))

    def test_nothing_listening_is_a_connect_failure(self):
        port = free_udp_and_tcp_port()
        run = self.check("dns://127.0.0.1:%d/www.test.example" % port, "-t", "3s")
        self.assertOutcome(run, CRITICAL, "127.0.0.1:%d" % port, "nothing listens")
        run = self.check("dns://127.0.0.1:%d/www.test.example?tcp=true" % port, "-t", "3s")
        self.assertOutcome(run, CRITICAL, "connect to DNS server 127.0.0.1:%d refused" % port)

    # --- serve --------------------------------------------------------------------------------

    def test_serve_judges_dns_checks_from_the_config(self):
        silent = self.target(SilentServer())
        server = "127.0.0.1:%d" % self.nsd.port
        common = dict(interval="1s", timeout="1s", failure_threshold=1)
        checks = [
            check_yaml("dns-www", "dns", server=server, query="www.test.example",
                       expect=['json.answers contains "192.0.2.1"', "metric.ttl >= 300"], **common),
            check_yaml("dns-mx", "dns", server=server, query="test.example", record_type="MX",
                       **common),
            check_yaml("dns-nxdomain", "dns", server=server, query="nope.test.example", **common),
            check_yaml("dns-nx-expected", "dns", server=server, query="nope.test.example",
                       expect=['json.rcode == "NXDOMAIN"'], **common),
            check_yaml("dns-servfail", "dns", server=server, query="www.broken.example", **common),
            check_yaml("dns-wrong", "dns", server=server, query="www.test.example",
                       expect=['json.answers contains "192.0.2.99"'], **common),
            check_yaml("dns-slow-warn", "dns", server=server, query="www.test.example",
                       warn=["latency < 1us"], **common),
            check_yaml("dns-silent", "dns", server="127.0.0.1:%d" % silent.port,
                       query="www.test.example", **common),
        ]
        expected = {"dns-www": "ok", "dns-mx": "ok", "dns-nxdomain": "fail",
                    "dns-nx-expected": "ok", "dns-servfail": "fail", "dns-wrong": "fail",
                    "dns-slow-warn": "warn", "dns-silent": "fail"}
        config = self.tmp.write("lightkeeper.yaml", config_yaml(self.tmp.join("lk.db"), checks))
        lk = self.serve(config)

        def settled():
            found = lk.checks()
            states = {n: c["state"] for n, c in found.items()}
            return found if states == expected else NotYet(states)
        found = wait_for(settled, 45, "the dns checks to reach %r" % expected)
        messages = {n: c["message"] for n, c in found.items()}
        self.assertRegex(messages["dns-www"], r"^NOERROR: 192\.0\.2\.1, 192\.0\.2\.2 \(A, TTL 300s\)",
                         messages)
        self.assertIn("10 mail.test.example.", messages["dns-mx"], messages)
        self.assertIn("answered NXDOMAIN", messages["dns-nxdomain"], messages)
        self.assertIn("answered SERVFAIL", messages["dns-servfail"], messages)
        self.assertIn('expected json.answers contains "192.0.2.99"', messages["dns-wrong"], messages)
        self.assertIn("latency", messages["dns-slow-warn"], messages)
        self.assertIn("timed out after 1s", messages["dns-silent"], messages)
        # Metrics are stored with each result.
        def stored_metrics():
            results = lk.results("dns-www", time.time() - 600)
            names = {m["name"] for m in results[-1]["metrics"]} if results else set()
            return names if {"latency", "answers", "ttl"} <= names else NotYet(names)
        wait_for(stored_metrics, 15, "a stored dns-www result with latency, answers and ttl")

    def test_config_validate_names_dns_mistakes_with_positions(self):
        config = self.tmp.write("bad.yaml", config_yaml(self.tmp.join("lk.db"), [
            check_yaml("d1", "dns", query="www.example", record_type="SRV"),
            check_yaml("d2", "dns", query="a..example", server="ns1:99999"),
        ]))
        run = lktest.run_binary(["config", "validate", "-c", config])
        self.assertNotEqual(run.returncode, 0, run.describe())
        self.assertRegex(run.stdout + run.stderr,
                         r"bad\.yaml:\d+:\d+: checks\[0\]\.record_type: unsupported record type \"SRV\"")
        self.assertRegex(run.stdout + run.stderr,
                         r"bad\.yaml:\d+:\d+: checks\[1\]\.query: cannot ask for \"a\.\.example\"")
        self.assertRegex(run.stdout + run.stderr, r"bad\.yaml:\d+:\d+: checks\[1\]\.server: expected host")


if __name__ == "__main__":
    lktest.main()
