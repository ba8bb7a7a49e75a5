"""Peers for the alert delivery tests: a recording HTTP receiver that answers what it is told
(or is not listening yet), a recording SMTP sink with STARTTLS and AUTH, and a daemon started
with its own environment (for ${VAR} secrets) and, when needed, a trust store that holds the
test's self-signed certificate. Python 3 standard library plus aiosmtpd for the sink.

The rules of lktest.py hold: 127.0.0.1 only, waits poll with deadlines, loops are bounded,
every process is stopped by PID and every server thread joined.
"""

import base64
import email
import email.policy
import http.server
import json
import os
import socket
import subprocess
import threading
import time
import urllib.parse

import lktest
from lktest import HOST, GiveUp, free_port, stop_process, wait_for
from mailpeers import AiosmtpdProcess

# ---------------------------------------------------------------------------------------------
# HTTP receiver
# ---------------------------------------------------------------------------------------------

# More than any test sends; a runaway sender fills this and no more.
MAX_RECORDED = 10000


class Recorded:
    """One request as the receiver saw it, and what it answered."""

    def __init__(self, method, raw_path, headers, body, status):
        self.method = method
        self.raw_path = raw_path  # as sent, percent-encoding and query included
        split = urllib.parse.urlsplit(raw_path)
        self.path = split.path
        self.query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        self.raw_query = split.query
        self.header_list = headers  # [(name, value)] in the order sent
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        self.status = status
        self.at = time.monotonic()

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def form(self):
        """The body as form fields (name -> single value; repeated names fail)."""
        fields = urllib.parse.parse_qs(self.body.decode("ascii"), keep_blank_values=True,
                                       strict_parsing=True)
        for name, values in fields.items():
            if len(values) != 1:
                raise AssertionError("form field %s sent %d times" % (name, len(values)))
        return {name: values[0] for name, values in fields.items()}

    def __repr__(self):
        return "<%s %s -> %d, %d bytes, Idempotency-Key %s>" % (
            self.method, self.raw_path, self.status, len(self.body),
            self.headers.get("idempotency-key"))


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lktest-receiver"

    def log_message(self, *args):
        pass

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            for _ in range(10000):  # bounded: a body of at most 10000 chunks
                size = int(self.rfile.readline(100).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline(100)
                    break
                body += self.rfile.read(size)
                self.rfile.readline(100)
            return body
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, 1 << 20)) if length else b""

    def _answer(self):
        receiver = self.server.owner
        body = self._read_body()
        status, headers, answer = receiver._next_answer()
        receiver._record(Recorded(self.command, self.path, list(self.headers.items()), body,
                                  status))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer)
        self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = _answer


class Receiver:
    """An HTTP receiver on 127.0.0.1 that records every request (method, path, headers, body)
    and answers `default` = (status, headers, body), or first the answers queued by
    `answer_next`. With up=False its port is reserved but not listening (connecting is
    refused) until `up()`; `down()` stops listening and keeps the port.
    """

    def __init__(self, name="receiver", up=True, status=200,
                 body=b'{"ok":true}', headers=None):
        self.name = name
        self.lock = threading.Lock()
        self.requests = []
        self.default = (status, dict(headers or {"Content-Type": "application/json"}), body)
        self._queued = []
        self._server = None
        self._thread = None
        self._reserved = None
        self._started = time.monotonic()
        self._reserved = self._reserve(0)
        self.port = self._reserved.getsockname()[1]
        if up:
            self.up()

    # Listening ------------------------------------------------------------------------------

    @staticmethod
    def _reserve(port):
        """A socket bound to `port` that never listens: connecting to it is refused."""
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((HOST, port))
        return s

    def is_up(self):
        return self._server is not None

    def up(self):
        """Starts listening on the receiver's port (the same one as before)."""
        if self._server is not None:
            return self
        if self._reserved is not None:
            self._reserved.close()
            self._reserved = None
        server = lktest._ThreadingServer((HOST, self.port), _RecordingHandler)
        server.owner = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        self._watchdog = threading.Timer(lktest.MAX_LIFETIME, self.stop)
        self._watchdog.daemon = True
        self._watchdog.start()
        return self

    def down(self):
        """Stops listening but keeps the port, so that connecting is refused."""
        self._stop_server()
        if self._reserved is None:
            self._reserved = self._reserve(self.port)
        return self

    def _stop_server(self):
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        self._watchdog.cancel()
        server.shutdown()
        server.server_close()
        if thread is not threading.current_thread():
            thread.join(timeout=10)

    def stop(self):
        self._stop_server()
        if self._reserved is not None:
            self._reserved.close()
            self._reserved = None

    def url(self, path="/"):
        return "http://%s:%d%s" % (HOST, self.port, path)

    # Answers --------------------------------------------------------------------------------

    def answer(self, status, headers=None, body=b""):
        """From now on, answer every request with `status` (after any queued answers)."""
        with self.lock:
            self.default = (status, dict(headers or {}), body)

    def answer_next(self, status, headers=None, body=b""):
        """Answer the next request (after those queued before) with `status`, then go on."""
        with self.lock:
            self._queued.append((status, dict(headers or {}), body))

    def _next_answer(self):
        with self.lock:
            return self._queued.pop(0) if self._queued else self.default

    def _record(self, request):
        with self.lock:
            if len(self.requests) < MAX_RECORDED:
                self.requests.append(request)

    # Reading what arrived -------------------------------------------------------------------

    def received(self, predicate=None):
        with self.lock:
            seen = list(self.requests)
        return [r for r in seen if predicate is None or predicate(r)]

    def with_key(self, key):
        """Requests whose Idempotency-Key is `key`."""
        return self.received(lambda r: r.header("Idempotency-Key") == key)

    def wait_requests(self, count, timeout, what, predicate=None, alive=None):
        """Waits until at least `count` requests (matching `predicate`) arrived; returns them.
        `alive()` may raise GiveUp (e.g. the daemon died)."""
        def enough():
            if alive:
                alive()
            found = self.received(predicate)
            return found if len(found) >= count else lktest.NotYet(found)
        return wait_for(enough, timeout, "%s at %s: %s" % (count, self.name, what))


# ---------------------------------------------------------------------------------------------
# SMTP sink
# ---------------------------------------------------------------------------------------------

_SINK_SCRIPT = r'''
import json, os, signal, ssl, sys, threading
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

host, port, cert, key, user, password, outdir = sys.argv[1:8]
counter = [0]
lock = threading.Lock()

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
          and auth_data.password.decode() == password)
    # handled=False: aiosmtpd sends the 535 itself; auth_data: kept in the session.
    return AuthResult(success=ok, handled=False, auth_data=auth_data)

class Sink:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            counter[0] += 1
            n = counter[0]
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "login": (session.auth_data.login.decode()
                      if isinstance(session.auth_data, LoginPassword) else None),
            "data": envelope.original_content.decode("utf-8", "replace"),
        }
        path = os.path.join(outdir, "%04d.json" % n)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 OK"

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(Sink(), hostname=host, port=int(port), server_hostname="lktest.smtp",
                        tls_context=context, require_starttls=True, authenticator=authenticator,
                        auth_required=True, auth_require_tls=True)
controller.start()
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
print("ready", flush=True)
stop.wait(600)
controller.stop()
'''


class SmtpSink(AiosmtpdProcess):
    """aiosmtpd on 127.0.0.1 that demands STARTTLS and AUTH (user, password) and keeps every
    message it accepts as a JSON file: envelope, whether TLS and AUTH were used, and the
    message as sent."""

    def __init__(self, tmp, cert, key, user, password):
        self.tmp = tmp
        self.cert, self.key = cert, key
        self.user, self.password = user, password
        self.port = free_port()
        self.outdir = tmp.join("smtp-sink")
        os.makedirs(self.outdir, exist_ok=True)

    def start(self, timeout=30.0):
        return self.launch("smtp_sink", _SINK_SCRIPT,
                           [HOST, self.port, self.cert, self.key, self.user, self.password,
                            self.outdir], self.port, timeout)

    def messages(self):
        """Every accepted message, oldest first: dicts with mail_from, rcpt_tos, tls,
        authenticated, login, data (text) and message (an email.message.EmailMessage)."""
        out = []
        for name in sorted(os.listdir(self.outdir)):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(self.outdir, name)) as f:
                record = json.load(f)
            record["message"] = email.message_from_string(record["data"],
                                                          policy=email.policy.default)
            out.append(record)
        return out


# ---------------------------------------------------------------------------------------------
# The daemon, with an environment and a trust store of the test's choosing
# ---------------------------------------------------------------------------------------------

SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def trust_wrapper(tmp, cert):
    """Argv prefix that runs a command in a private mount namespace where the system CA bundle
    (the one libcurl was built to read) also holds `cert`; None when this cannot work here
    (not root, no unshare). Nothing outside that namespace changes.

    The notifiers have no option for a CA file and libcurl ignores SSL_CERT_FILE, so this is
    how the daemon is made to trust the SMTP sink's self-signed certificate."""
    if os.geteuid() != 0 or not os.path.exists(SYSTEM_CA_BUNDLE):
        return None
    bundle = tmp.join("ca-bundle.crt")
    with open(bundle, "w") as out:
        with open(SYSTEM_CA_BUNDLE) as system:
            out.write(system.read())
        with open(cert) as extra:
            out.write("\n" + extra.read())
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            'mount --bind "$1" "$2"', "sh", bundle, SYSTEM_CA_BUNDLE],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=30, stdin=subprocess.DEVNULL)
    if probe.returncode != 0:
        return None
    # exec keeps the PID: stopping the daemon by PID stops this very process.
    return ["unshare", "-m", "--propagation", "private", "sh", "-c",
            'mount --bind "$1" "$2" && shift 2 && exec "$@"', "sh", bundle, SYSTEM_CA_BUNDLE]


class EnvDaemon(lktest.Daemon):
    """lktest.Daemon with environment variables of its own and an optional argv prefix."""

    def __init__(self, tmp, args, name="daemon", env=None, prefix=None):
        super().__init__(tmp, args, name=name)
        self.env = dict(os.environ, **(env or {}))
        self.prefix = list(prefix or [])

    def start(self):
        self.log_file = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(self.prefix + self.args, stdout=self.log_file,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=self.tmp.path, env=self.env)
        return self


def basic_auth(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
