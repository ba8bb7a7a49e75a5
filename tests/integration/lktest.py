"""Shared helpers for Lightkeeper's integration tests.

The tests run the real `lightkeeper` binary against real peers on 127.0.0.1: well-behaved
HTTP servers and hostile ones (refusing, hanging, slow, dripping, garbage, closing midway,
TLS with a self-signed or an expired certificate). Python 3 standard library only.

Rules every helper keeps:
  * only 127.0.0.1; ports are bound as port 0 (or picked free just before use);
  * nothing waits a fixed time for a condition: `wait_for` polls with a deadline and says
    what it awaited and the last value it saw;
  * every loop is bounded in count and in time;
  * every process started is stopped by PID (SIGTERM, then SIGKILL after a deadline), every
    server thread is stopped and joined, every temp dir removed.
"""

import argparse
import http.client
import http.server
import json
import os
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

HOST = "127.0.0.1"
# No helper thread or server outlives this, whatever happens to the test that started it.
MAX_LIFETIME = 600.0

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------------------------
# Command line and waiting
# ---------------------------------------------------------------------------------------------

BINARY = None


def main():
    """Entry point of every test file: `test_x.py --binary PATH [unittest args]`."""
    global BINARY
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--binary", default=os.environ.get("LIGHTKEEPER_BINARY"))
    args, rest = parser.parse_known_args()
    if not args.binary:
        sys.exit("usage: test_x.py --binary PATH/TO/lightkeeper [unittest options]")
    BINARY = os.path.abspath(args.binary)
    if not os.access(BINARY, os.X_OK):
        sys.exit("not an executable: " + BINARY)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


class WaitTimeout(AssertionError):
    pass


class GiveUp(AssertionError):
    """Raised by a wait_for predicate when waiting longer cannot help (e.g. the process died)."""


class NotYet:
    """A falsy poll result that still carries what was seen, for wait_for's failure message."""

    def __init__(self, seen):
        self.seen = seen

    def __bool__(self):
        return False

    def __repr__(self):
        return "NotYet(%r)" % (self.seen,)


def wait_for(predicate, timeout, what, interval=0.05):
    """Polls `predicate` until it returns a truthy value, which is returned.

    Fails after `timeout` seconds, naming `what` was awaited and the last value (or exception)
    the predicate produced. An exception raised by the predicate counts as "not yet".
    """
    deadline = time.monotonic() + timeout
    max_polls = int(timeout / interval) + 10
    last = "<never polled>"
    for _ in range(max_polls):
        try:
            value = predicate()
        except GiveUp:
            raise
        except Exception as e:  # noqa: BLE001 - a failing poll is just "not yet"
            value = None
            last = "exception %s: %s" % (type(e).__name__, e)
        else:
            if value:
                return value
            last = value
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        time.sleep(min(interval, remaining))
    raise WaitTimeout("timed out after %.1fs waiting for %s; last value seen: %s"
                      % (timeout, what, _short(last)))


def _short(value, limit=2000):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "... (%d chars)" % len(text)


def free_port():
    """A port that was free a moment ago (bound as port 0, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def unix_time_text(t):
    """`t` (seconds since the epoch) as the unix-seconds form the API accepts."""
    return str(int(t))


# ---------------------------------------------------------------------------------------------
# Temp dirs and processes
# ---------------------------------------------------------------------------------------------


class TempDir:
    """A temporary directory, removed by cleanup() (or on leaving a `with` block)."""

    def __init__(self, prefix="lktest-"):
        self.path = tempfile.mkdtemp(prefix=prefix)

    def join(self, *parts):
        return os.path.join(self.path, *parts)

    def write(self, name, text):
        path = self.join(name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()


def stop_process(proc, term_timeout=10.0):
    """SIGTERM by PID, then SIGKILL if it has not exited by the deadline. Returns the exit code."""
    if proc is None:
        return None
    if proc.poll() is None:
        try:
            os.kill(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=term_timeout)
        except subprocess.TimeoutExpired:
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=term_timeout)
    return proc.returncode


class RunResult:
    def __init__(self, args, returncode, stdout, stderr, elapsed):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.elapsed = elapsed

    def describe(self):
        return ("command: %s\nexit code: %s after %.2fs\n--- stdout ---\n%s--- stderr ---\n%s"
                % (" ".join(self.args), self.returncode, self.elapsed, self.stdout, self.stderr))


def run_binary(args, timeout=60.0, env=None):
    """Runs `lightkeeper ARGS` to completion (killed by PID after `timeout`)."""
    argv = [BINARY] + list(args)
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, stdin=subprocess.DEVNULL)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_process(proc, term_timeout=2.0)
        out, err = proc.communicate()
        raise AssertionError("%s did not finish within %.0fs\n--- stdout ---\n%s--- stderr ---\n%s"
                             % (" ".join(argv), timeout, out, err))
    finally:
        if proc.poll() is None:
            stop_process(proc, term_timeout=2.0)
    return RunResult(argv, proc.returncode, out, err, time.monotonic() - started)


_LISTEN_RE = re.compile(r"(?:web: listening on|status page on) http://127\.0\.0\.1:(\d+)")


class Daemon:
    """`lightkeeper serve -c FILE` (or any long-running sub-command) with its log in a file."""

    _count = 0

    def __init__(self, tmp, args, name="daemon"):
        Daemon._count += 1
        self.tmp = tmp
        self.args = [BINARY] + list(args)
        self.log_path = tmp.join("%s-%d.log" % (name, Daemon._count))
        self.proc = None
        self.port = None

    @classmethod
    def serve(cls, tmp, config_path, name="serve"):
        return cls(tmp, ["serve", "-c", config_path], name=name)

    @property
    def pid(self):
        return self.proc.pid

    def start(self):
        self.log_file = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(self.args, stdout=self.log_file, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.tmp.path)
        return self

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError as e:
            return "<no log: %s>" % e

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def _assert_alive(self):
        if not self.alive():
            raise GiveUp("lightkeeper exited with code %s\n--- log ---\n%s"
                                 % (self.proc.returncode, self.log()))

    def wait_healthy(self, timeout=30.0):
        """Waits for the listening line in the log and then for GET /healthz to answer 200."""
        def port_logged():
            self._assert_alive()
            m = _LISTEN_RE.search(self.log())
            return int(m.group(1)) if m else None

        self.port = wait_for(port_logged, timeout, "the web server's listening line in the log")

        def healthy():
            self._assert_alive()
            status, _, body = self.get("/healthz")
            return status == 200 and body.strip() == b"ok"

        wait_for(healthy, timeout, "GET /healthz to answer 200 ok")
        return self

    def get(self, path, timeout=10.0, headers=None):
        """GET `path`; returns (status, headers dict with lower-case names, body bytes)."""
        return self.request("GET", path, timeout=timeout, headers=headers)

    def request(self, method, path, body=None, timeout=10.0, headers=None):
        """`method` `path` with `body`; returns (status, headers dict with lower-case names,
        body bytes)."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()

    def get_json(self, path, expect_status=200):
        status, headers, body = self.get(path)
        if status != expect_status:
            raise AssertionError("GET %s: status %d, expected %d: %s"
                                 % (path, status, expect_status, body[:500]))
        if not headers.get("content-type", "").startswith("application/json"):
            raise AssertionError("GET %s: content-type %r is not JSON"
                                 % (path, headers.get("content-type")))
        return json.loads(body)

    def get_text(self, path):
        status, _, body = self.get(path)
        if status != 200:
            raise AssertionError("GET %s: status %d: %s" % (path, status, body[:500]))
        return body.decode("utf-8")

    # API conveniences ------------------------------------------------------------------------

    def checks(self):
        """Check name -> check object, from /api/v1/checks."""
        return {c["name"]: c for c in self.get_json("/api/v1/checks")["checks"]}

    def incidents(self, query=""):
        return self.get_json("/api/v1/incidents" + query)["incidents"]

    def results(self, name, from_time, limit=None):
        q = {"from": unix_time_text(from_time)}
        if limit:
            q["limit"] = str(limit)
        return self.get_json("/api/v1/checks/%s/results?%s"
                             % (urllib.parse.quote(name, safe=""), urllib.parse.urlencode(q)))["results"]

    # Signals ---------------------------------------------------------------------------------

    def signal(self, sig):
        os.kill(self.proc.pid, sig)

    def stop(self, timeout=10.0):
        code = stop_process(self.proc, term_timeout=timeout)
        if getattr(self, "log_file", None):
            self.log_file.close()
        return code

    def kill9(self):
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        if getattr(self, "log_file", None):
            self.log_file.close()


# ---------------------------------------------------------------------------------------------
# Targets on loopback
# ---------------------------------------------------------------------------------------------


class RefusingPort:
    """A port with nothing listening: a socket is bound to it (so nobody else takes it) but
    never listens, so connecting is refused. close() frees the port for a real server."""

    def __init__(self):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((HOST, 0))
        self.port = self._sock.getsockname()[1]

    def close(self):
        if self._sock:
            self._sock.close()
            self._sock = None

    stop = close


def refusing_port():
    return RefusingPort()


class _RawServer:
    """A TCP server on 127.0.0.1 whose connections are handled by `handle(conn)` in threads.

    The accept loop and every handler watch `self.stopped`; stop() closes the listener and every
    connection and joins the threads.
    """

    MAX_CONNECTIONS = 10000

    def __init__(self, port=0):
        self.stopped = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((HOST, port))
        self._listener.listen(128)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._conns = []
        self._threads = []
        self.connections = 0  # accepted
        self.handled = 0  # whose handler has finished
        self._started = time.monotonic()
        self._accept_thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._accept_thread.start()

    def url(self, path="/"):
        return "http://%s:%d%s" % (HOST, self.port, path)

    def _expired(self):
        return self.stopped.is_set() or time.monotonic() - self._started > MAX_LIFETIME

    def _accept_loop(self):
        while not self._expired() and self.connections < self.MAX_CONNECTIONS:
            try:
                readable, _, _ = select.select([self._listener], [], [], 0.1)
            except (OSError, ValueError):
                return
            if not readable:
                continue
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            with self._lock:
                self.connections += 1
                self._conns.append(conn)
                t = threading.Thread(target=self._run_handler, args=(conn,), daemon=True)
                self._threads.append(t)
            t.start()

    def _run_handler(self, conn):
        try:
            self.handle(conn)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass
            with self._lock:
                self.handled += 1

    def read_request(self, conn, limit=65536, timeout=10.0):
        """Reads until the end of the request head (or `limit` bytes, EOF, timeout or stop)."""
        data = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in data and len(data) < limit and not self._expired():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            readable, _, _ = select.select([conn], [], [], min(0.1, remaining))
            if not readable:
                continue
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        return data

    def handle(self, conn):
        raise NotImplementedError

    def stop(self):
        self.stopped.set()
        self._accept_thread.join(timeout=10)
        try:
            self._listener.close()
        except OSError:
            pass
        with self._lock:
            conns, threads = list(self._conns), list(self._threads)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for t in threads:
            t.join(timeout=10)


class HangingServer(_RawServer):
    """Accepts, reads the request, never answers (until stopped)."""

    def handle(self, conn):
        self.read_request(conn)
        # Say nothing; hold the connection until the client gives up or the server stops.
        while not self._expired():
            readable, _, _ = select.select([conn], [], [], 0.1)
            if readable and not conn.recv(4096):
                return


class GarbageServer(_RawServer):
    """Answers every request with bytes that are not HTTP, then closes."""

    GARBAGE = b"\x16\x03\x01\x00\xffSSH-2.0-not-http \x00\x01\x02\r\n\r\n" + bytes(range(256)) * 4

    def handle(self, conn):
        self.read_request(conn)
        conn.sendall(self.GARBAGE)


class CloseMidwayServer(_RawServer):
    """Accepts and reads; then either closes without a word (`mid_body=False`) or sends the
    head of a 10 000-byte answer and 10 bytes of it before closing (`mid_body=True`)."""

    def __init__(self, mid_body=False, port=0):
        self.mid_body = mid_body
        super().__init__(port)

    def handle(self, conn):
        self.read_request(conn)
        if self.mid_body:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                         b"Content-Length: 10000\r\n\r\n0123456789")


class DripServer(_RawServer):
    """Sends a 200 head with no Content-Length, then an endless body: `chunk` bytes every
    `period` seconds (0: as fast as the client reads), up to `max_bytes` per connection."""

    def __init__(self, chunk=1024, period=0.01, max_bytes=512 * 1024 * 1024, port=0):
        self.chunk = chunk
        self.period = period
        self.max_bytes = max_bytes
        self.bytes_sent = 0
        super().__init__(port)

    def handle(self, conn):
        self.read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n")
        payload = b"x" * self.chunk
        conn.settimeout(5.0)
        max_chunks = self.max_bytes // self.chunk + 1
        for _ in range(max_chunks):
            if self._expired():
                return
            try:
                conn.sendall(payload)
            except OSError:
                return  # the client hung up: what we want it to do eventually
            with self._lock:
                self.bytes_sent += len(payload)
            if self.period and self.stopped.wait(self.period):
                return


class _QuietHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lktest"

    def log_message(self, *args):
        pass

    def _answer(self):
        srv = self.server.owner
        with srv.lock:
            srv.requests += 1
            srv.paths.append(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1 << 20))
        status, headers, body = srv.respond(self.command, self.path)
        if srv.delay:
            srv.stopped.wait(srv.delay)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _answer


class _ThreadingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    tls_context = None

    def finish_request(self, request, client_address):
        # The TLS handshake happens here, in the connection's thread, so that a client that
        # rejects the certificate (or hangs) never blocks the accept loop.
        if self.tls_context is None:
            super().finish_request(request, client_address)
            return
        try:
            request.settimeout(10)
            wrapped = self.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # e.g. the client rejected the certificate
        try:
            super().finish_request(wrapped, client_address)
        finally:
            wrapped.close()

    def handle_error(self, request, client_address):
        pass  # clients that hang up early are the point of these tests


class HttpServer:
    """An http.server answering with a fixed (status, headers, body), or with
    `handler(method, path) -> (status, headers, body)`; optionally after `delay` seconds."""

    def __init__(self, status=200, body=b"ok", headers=None, handler=None, delay=0.0, port=0,
                 tls_context=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self._fixed = (status, dict(headers or {"Content-Type": "text/plain"}), body)
        self._handler = handler
        self.delay = delay
        self.lock = threading.Lock()
        self.requests = 0
        self.paths = []
        self.stopped = threading.Event()
        self.server = _ThreadingServer((HOST, port), _QuietHandler)
        self.server.owner = self
        self.server.tls_context = tls_context
        self.port = self.server.server_address[1]
        self.scheme = "https" if tls_context else "http"
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        self._watchdog = threading.Timer(MAX_LIFETIME, self.stop)
        self._watchdog.daemon = True
        self._watchdog.start()

    def url(self, path="/"):
        return "%s://%s:%d%s" % (self.scheme, HOST, self.port, path)

    def respond(self, method, path):
        if self._handler:
            return self._handler(method, path)
        return self._fixed

    def stop(self):
        if self.stopped.is_set():
            return
        self.stopped.set()
        self._watchdog.cancel()
        self.server.shutdown()
        self.server.server_close()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=10)


class SlowServer(HttpServer):
    """Answers 200 after `delay` seconds (cut short when the server stops)."""

    def __init__(self, delay, body=b"slow but fine", port=0):
        super().__init__(status=200, body=body, delay=delay, port=port)


# ---------------------------------------------------------------------------------------------
# TLS certificates (openssl CLI)
# ---------------------------------------------------------------------------------------------


def _openssl(args, cwd):
    proc = subprocess.run(["openssl"] + args, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=60, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise AssertionError("openssl %s failed (%d):\n%s%s"
                             % (" ".join(args), proc.returncode, proc.stdout, proc.stderr))
    return proc.stdout


_SAN = "subjectAltName=DNS:localhost,IP:127.0.0.1"
_EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def make_self_signed_cert(tmp, name="selfsigned", days=30):
    """A self-signed certificate for 127.0.0.1 and localhost; returns (cert_path, key_path)."""
    cert, key = tmp.join(name + ".crt"), tmp.join(name + ".key")
    _openssl(["req", "-x509"] + _EC_KEY + ["-keyout", key, "-out", cert, "-days", str(days),
                                          "-subj", "/CN=localhost", "-addext", _SAN], tmp.path)
    return cert, key


def make_expired_cert(tmp, name="expired"):
    """A leaf for 127.0.0.1/localhost valid only in January 2020, signed by a throwaway CA
    (itself valid now). Returns (cert_path, key_path, ca_cert_path)."""
    d = tmp.join(name + "-ca")
    os.makedirs(d, exist_ok=True)
    ca_cert, ca_key = os.path.join(d, "ca.crt"), os.path.join(d, "ca.key")
    _openssl(["req", "-x509"] + _EC_KEY + ["-keyout", ca_key, "-out", ca_cert, "-days", "30",
                                          "-subj", "/CN=lktest throwaway CA",
                                          "-addext", "basicConstraints=critical,CA:true",
                                          "-addext", "keyUsage=critical,keyCertSign,cRLSign"], d)
    csr, key = os.path.join(d, "leaf.csr"), tmp.join(name + ".key")
    _openssl(["req", "-new"] + _EC_KEY + ["-keyout", key, "-out", csr, "-subj", "/CN=localhost"], d)
    with open(os.path.join(d, "index.txt"), "w"):
        pass
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("1000\n")
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write("""[ ca ]
default_ca = throwaway
[ throwaway ]
dir = %(d)s
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir
certificate = $dir/ca.crt
private_key = $dir/ca.key
default_md = sha256
policy = anything
copy_extensions = none
x509_extensions = leaf
unique_subject = no
[ anything ]
commonName = supplied
[ leaf ]
basicConstraints = CA:false
keyUsage = digitalSignature
extendedKeyUsage = serverAuth
%(san)s
""" % {"d": d, "san": _SAN.replace("=", " = ", 1)})
    cert = tmp.join(name + ".crt")
    _openssl(["ca", "-batch", "-config", os.path.join(d, "ca.cnf"), "-in", csr, "-out", cert,
              "-startdate", "20200101000000Z", "-enddate", "20200201000000Z", "-notext"], d)
    return cert, key, ca_cert


def tls_server_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def TlsServer(cert, key, status=200, body=b"hello over TLS"):
    """An HTTPS server on 127.0.0.1 presenting `cert`."""
    return HttpServer(status=status, body=body, tls_context=tls_server_context(cert, key))


# ---------------------------------------------------------------------------------------------
# Config text
# ---------------------------------------------------------------------------------------------


def yaml_quote(text):
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


class Toggle:
    """An HTTP target whose answer a test sets: 200 while `healthy`, else `down_status`."""

    def __init__(self, healthy=True, down_status=503):
        self.healthy = healthy
        self.down_status = down_status
        self.server = HttpServer(handler=self._answer)

    def _answer(self, method, path):
        status = 200 if self.healthy else self.down_status
        return status, {"Content-Type": "text/plain"}, b"status %d" % status

    def url(self):
        return self.server.url("/health")

    def stop(self):
        self.server.stop()


def check_yaml(name, type_, **fields):
    """One list item of `checks:`; list values are written as YAML flow sequences."""
    lines = ["  - name: %s" % name, "    type: %s" % type_]
    for key, value in fields.items():
        if isinstance(value, (list, tuple)):
            value = "[" + ", ".join(yaml_quote(v) for v in value) + "]"
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, str) and key not in ("interval", "timeout"):
            value = yaml_quote(value)
        lines.append("    %s: %s" % (key, value))
    return "\n".join(lines) + "\n"


def config_yaml(storage, checks, listen=None, extra="", log_level="info"):
    """A whole config; `listen` defaults to 127.0.0.1 on a port that was free a moment ago."""
    if listen is None:
        listen = "%s:%d" % (HOST, free_port())
    return ("listen: %s\nstorage: %s\ntitle: lktest\nlog_level: %s\n%schecks:\n%s"
            % (listen, yaml_quote(storage), log_level, extra, "".join(checks)))


# ---------------------------------------------------------------------------------------------
# The test base class
# ---------------------------------------------------------------------------------------------


class LkTestCase(unittest.TestCase):
    """Gives each test a temp dir and stops everything it registered, printing daemon logs
    when the test failed."""

    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        self._daemons = []
        self._problems_at_start = self._problems_so_far()
        # Cleanups run last-in first-out even when setUp fails: the logs are printed after every
        # process has stopped and before the temp dir goes.
        self.addCleanup(self._print_logs_if_failed)

    def target(self, server):
        """Registers a server (or refusing port) to be stopped after the test."""
        self.addCleanup(server.stop)
        return server

    def daemon(self, daemon):
        self._daemons.append(daemon)
        self.addCleanup(daemon.stop)
        return daemon

    def serve(self, config_path, name="serve"):
        return self.daemon(Daemon.serve(self.tmp, config_path, name=name).start()).wait_healthy()

    def _problems_so_far(self):
        result = getattr(getattr(self, "_outcome", None), "result", None)
        if result is None:
            return None
        return len(getattr(result, "failures", [])) + len(getattr(result, "errors", []))

    def _test_failed(self):
        # Python 3.11 reports a failure to the result as soon as it happens, before tearDown.
        outcome = getattr(self, "_outcome", None)
        if outcome is not None and not getattr(outcome, "success", True):
            return True
        now = self._problems_so_far()
        return now is None or now != self._problems_at_start

    def _print_logs_if_failed(self):
        if self._test_failed() or os.environ.get("LKTEST_SHOW_LOGS"):
            for d in self._daemons:
                sys.stderr.write("\n===== log of %s (pid %s) =====\n%s===== end of log =====\n"
                                 % (" ".join(d.args[1:]), d.proc.pid if d.proc else "-", d.log()))


# ---------------------------------------------------------------------------------------------
# `lightkeeper check`
# ---------------------------------------------------------------------------------------------

# The exit codes of `lightkeeper check` (those of a Nagios plugin) and the word its first line
# starts with.
OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
STATUS_WORDS = {OK: "OK", WARNING: "WARNING", CRITICAL: "CRITICAL", UNKNOWN: "UNKNOWN"}
# Slack for process start-up and scheduling on a loaded 2-core machine.
SLACK = 2.0


def metric_values(doc):
    """Metric name -> value, from a `check --json` document."""
    return {m["name"]: m["value"] for m in doc["metrics"]}


def metrics_with_units(doc):
    """Metric name -> (value, unit), from a `check --json` document."""
    return {m["name"]: (m["value"], m["unit"]) for m in doc["metrics"]}


class CheckTestCase(LkTestCase):
    """A test of `lightkeeper check URL [options]`: runs it and reads its first line or --json."""

    def check(self, *args, timeout=60.0, env=None):
        return run_binary(["check"] + list(args), timeout=timeout, env=env)

    def assertOutcome(self, run, code, *fragments):
        """Exit code `code`, a first line starting with its Nagios word, and each fragment in
        the first line (the message). Returns the first line."""
        first = run.stdout.splitlines()[0] if run.stdout else ""
        self.assertEqual(run.returncode, code, run.describe())
        self.assertTrue(first.startswith(STATUS_WORDS[code] + " - "), run.describe())
        for fragment in fragments:
            self.assertIn(fragment, first, run.describe())
        return first

    def json_of(self, run):
        """The document `run` printed with --json; fails the test, showing the run, when the
        output is not JSON."""
        try:
            return json.loads(run.stdout)
        except ValueError:
            self.fail("not JSON:\n" + run.describe())

    def check_json(self, *args, **kwargs):
        """Runs `check ARGS --json`; returns (run, document)."""
        run = self.check(*args, "--json", **kwargs)
        return run, self.json_of(run)

    def check_metrics(self, *args, **kwargs):
        """Runs `check ARGS --json`; returns (run, metric name -> value)."""
        run, doc = self.check_json(*args, **kwargs)
        return run, metric_values(doc)
