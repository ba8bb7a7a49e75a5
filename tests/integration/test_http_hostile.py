"""`lightkeeper serve` under hostile HTTP: slowloris clients, oversized headers, malformed
request lines, absurd Content-Lengths, garbage, TLS and HTTP/2 prefaces, pipelined floods and
silent connections, all at once from threads. Meanwhile a normal client must keep getting
/healthz and the status page within 2 s each, and afterwards the daemon is alive and answers."""

import random
import re
import select
import socket
import threading
import time
import traceback

import lktest
from lktest import HttpServer, check_yaml, config_yaml

# Each answer to the normal client must take less than this.
ANSWER_LIMIT = 2.0
# The server's default header timeout is 10 s, a total for the whole header: slowloris clients
# must be cut off by then (plus slack for a loaded machine), however steadily they dribble.
HEADER_TIMEOUT = 10.0
SLOWLORIS_DEADLINE = HEADER_TIMEOUT + 6.0
SLOWLORIS_CLIENTS = 50
SILENT_CLIENTS = 150
PIPELINED_REQUESTS = 500


def status_of(answer):
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    return int(m.group(1)) if m else None


def exchange(port, data, timeout=10.0, max_bytes=1 << 20):
    """Sends `data` on a fresh connection and reads until the server closes it, the timeout
    passes or `max_bytes` arrived. Returns (answer bytes, True when the server closed)."""
    deadline = time.monotonic() + timeout
    out = b""
    closed = False
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
            except socket.timeout:
                break
            except OSError:
                closed = True  # reset: closed too
                break
            if not chunk:
                closed = True
                break
            out += chunk
    return out, closed


class HostileHttp(lktest.LkTestCase):
    def setUp(self):
        super().setUp()
        target = self.target(HttpServer(status=200, body="fine"))
        checks = [check_yaml("web", "http", url=target.url(), interval="2s", timeout="1s")]
        config = self.tmp.write("lightkeeper.yaml", config_yaml(self.tmp.join("lk.db"), checks))
        self.lk = self.serve(config)
        self.port = self.lk.port
        self.problems = []  # failures seen by the hostile threads
        self.lock = threading.Lock()

    def problem(self, text):
        with self.lock:
            self.problems.append(text)

    def expect(self, what, request, statuses, timeout=5.0):
        """One hostile request: the answer's status must be in `statuses` (None: no answer),
        the server must then hang up, and all of it within `timeout`."""
        started = time.monotonic()
        answer, closed = exchange(self.port, request, timeout=timeout + 1)
        took = time.monotonic() - started
        if status_of(answer) not in statuses:
            self.problem("%s: status %r, expected one of %r: %r"
                         % (what, status_of(answer), statuses, answer[:200]))
        if not closed:
            self.problem("%s: the server did not hang up" % what)
        if took > timeout:
            self.problem("%s: took %.1fs" % (what, took))

    # Hostile clients, each bounded in count and time ---------------------------------------

    def slowloris(self):
        """Many connections that each dribble a header line every 0.5 s and never finish it."""
        socks = []
        for _ in range(SLOWLORIS_CLIENTS):
            s = socket.create_connection((lktest.HOST, self.port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            socks.append(s)
        started = time.monotonic()
        next_line = started
        open_ = set(socks)
        try:
            # Bounded by the deadline; the count only guards it (select returns early whenever a
            # connection is cut off, so rounds can be much shorter than 0.5 s).
            for i in range(10000):
                if not open_ or time.monotonic() - started > SLOWLORIS_DEADLINE:
                    break
                if time.monotonic() >= next_line:  # one header line every 0.5 s
                    next_line = time.monotonic() + 0.5
                    for s in list(open_):
                        try:
                            s.sendall(b"X-Dribble-%d: %d\r\n" % (i, i))
                        except OSError:
                            open_.discard(s)  # reset by the server: cut off
                readable, _, _ = select.select(list(open_), [], [], 0.5)
                for s in readable:
                    try:
                        data = s.recv(4096)
                    except OSError:
                        data = b""
                    if not data:
                        open_.discard(s)
                    else:
                        self.problem("slowloris: unexpected answer %r" % data[:100])
                        open_.discard(s)
            took = time.monotonic() - started
            if open_:
                self.problem("slowloris: %d of %d connections still open after %.1fs: the "
                             "header deadline is not a total" % (len(open_), len(socks), took))
        finally:
            for s in socks:
                s.close()

    def silent_connections(self):
        """Connections that say nothing at all, held until the server hangs up."""
        socks = [socket.create_connection((lktest.HOST, self.port), timeout=5)
                 for _ in range(SILENT_CLIENTS)]
        open_ = set(socks)
        deadline = time.monotonic() + SLOWLORIS_DEADLINE
        try:
            while open_ and time.monotonic() < deadline:
                readable, _, _ = select.select(list(open_), [], [], 0.5)
                for s in readable:
                    try:
                        s.recv(4096)
                    except OSError:
                        pass
                    open_.discard(s)
            if open_:
                self.problem("silent: %d connections still open after %.0fs"
                             % (len(open_), SLOWLORIS_DEADLINE))
        finally:
            for s in socks:
                s.close()

    def malformed(self):
        big = b"a" * (64 * 1024)
        cases = [
            ("oversized header", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + big + b"\r\n\r\n",
             {431}),
            ("many headers", b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 4000 + b"\r\n", {431}),
            ("very long URL", b"GET /" + big + b" HTTP/1.1\r\nHost: x\r\n\r\n", {414}),
            ("malformed request line", b"GET / HTTP/1.1 and more\r\nHost: x\r\n\r\n", {400}),
            ("not a request line", b"HELLO\r\n\r\n", {400}),
            ("HTTP/0.9", b"GET /\r\n", {400}),
            ("invalid method", b"G(E)T / HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
            ("NUL in the target", b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
            ("NUL in a header", b"GET / HTTP/1.1\r\nHost: x\x00y\r\n\r\n", {400}),
            ("huge Content-Length, no body",
             b"POST /api/v1/checks HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
             {413}),
            ("Content-Length beyond 64 bits",
             b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999999999999999\r\n\r\n",
             {400}),
            ("chunked body too big",
             b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
             (b"4000\r\n" + b"x" * 0x4000 + b"\r\n") * 8, {413}),
            ("endless chunk extension",
             b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;" +
             b"e" * (256 * 1024), {400}),
            ("HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", {505}),
            ("TLS ClientHello", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64),
             {400}),
            ("garbage", b"\x00\x01\x02 GARBAGE \xff\xfe\r\n\r\n", {400}),
        ]
        rng = random.Random(20240611)
        for i in range(10):
            # Random bytes, made sure not to start like a method so that the answer is at once.
            cases.append(("random bytes %d" % i, b"\x01" + rng.randbytes(1024), {400}))
        for what, request, statuses in cases:
            self.expect(what, request, statuses)

    def pipelined_flood(self):
        """One connection, hundreds of small requests sent at once, every answer read."""
        request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        with socket.create_connection((lktest.HOST, self.port), timeout=10) as s:
            s.sendall(request * (PIPELINED_REQUESTS - 1) +
                      b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        answers = data.count(b"HTTP/1.1 200 OK\r\n")
        if answers != PIPELINED_REQUESTS:
            self.problem("pipelined: %d answers to %d requests" % (answers, PIPELINED_REQUESTS))

    def run_guarded(self, work):
        try:
            work()
        except Exception:  # noqa: BLE001 - reported as a problem of the test
            self.problem("%s raised:\n%s" % (work.__name__, traceback.format_exc()))

    # The test ---------------------------------------------------------------------------------

    def test_hostile_clients_never_stall_a_normal_client(self):
        workers = [threading.Thread(target=self.run_guarded, args=(work,), daemon=True)
                   for work in (self.slowloris, self.silent_connections, self.malformed,
                                self.pipelined_flood)]
        for w in workers:
            w.start()

        slowest = {"/healthz": 0.0, "/": 0.0}
        answered = 0
        deadline = time.monotonic() + SLOWLORIS_DEADLINE + 30
        for _ in range(2000):
            if not any(w.is_alive() for w in workers) or time.monotonic() > deadline:
                break
            for path in ("/healthz", "/"):
                started = time.monotonic()
                status, _, body = self.lk.get(path, timeout=ANSWER_LIMIT + 3)
                took = time.monotonic() - started
                slowest[path] = max(slowest[path], took)
                self.assertEqual(status, 200, (path, body[:200]))
                self.assertLess(took, ANSWER_LIMIT, "%s took %.2fs among hostile clients"
                                % (path, took))
                answered += 1
            time.sleep(0.05)
        for w in workers:
            w.join(timeout=30)
        self.assertFalse(any(w.is_alive() for w in workers), "a hostile client did not finish")
        self.assertEqual(self.problems, [])
        self.assertGreater(answered, 20, "the normal client ran alongside the hostile ones")
        note = "slowest answers: %r" % slowest
        self.assertLess(max(slowest.values()), ANSWER_LIMIT, note)

        self.assertTrue(self.lk.alive(), self.lk.log())
        status, _, body = self.lk.get("/healthz")
        self.assertEqual((status, body), (200, b"ok\n"))
        self.assertIn("web", self.lk.checks())
        self.assertNotIn("event loop error", self.lk.log())


if __name__ == "__main__":
    lktest.main()
