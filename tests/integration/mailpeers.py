"""Mail peers for the tls and mail integration tests: a private Dovecot (IMAP, POP3, with and
without TLS), an aiosmtpd SMTP server (STARTTLS, implicit TLS, AUTH), and hostile servers that
greet and then misbehave. Python 3 standard library plus the peers' own programs.

Every process is started on 127.0.0.1 with free ports, awaited by polling with a deadline, and
stopped by PID (see lktest.py for the rules).
"""

import os
import select
import shutil
import socket
import subprocess
import sys
import time

import lktest
from lktest import HOST, GiveUp, free_port, stop_process, wait_for

USER = "alice"
PASSWORD = "secret"


def make_cert(tmp, name, cn="localhost", san="DNS:localhost,IP:127.0.0.1", days=30, ca=None):
    """A certificate for `san`: self-signed, or signed by `ca` = (ca_cert, ca_key).
    Returns (cert_path, key_path)."""
    key, cert = tmp.join(name + ".key"), tmp.join(name + ".crt")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    if ca is None:
        lktest._openssl(["req", "-x509"] + ec + ["-keyout", key, "-out", cert, "-days", str(days),
                                               "-subj", "/CN=" + cn, "-addext",
                                               "subjectAltName=" + san], tmp.path)
        return cert, key
    csr, ext = tmp.join(name + ".csr"), tmp.join(name + ".ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=%s\nbasicConstraints=CA:false\nextendedKeyUsage=serverAuth\n" % san)
    lktest._openssl(["req", "-new"] + ec + ["-keyout", key, "-out", csr, "-subj", "/CN=" + cn],
                    tmp.path)
    lktest._openssl(["x509", "-req", "-in", csr, "-CA", ca[0], "-CAkey", ca[1], "-CAcreateserial",
                     "-out", cert, "-days", str(days), "-extfile", ext], tmp.path)
    return cert, key


def make_ca(tmp, name="ca", cn="lktest CA"):
    """A CA certificate valid for 30 days; returns (cert_path, key_path)."""
    key, cert = tmp.join(name + ".key"), tmp.join(name + ".crt")
    lktest._openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                     "-nodes", "-keyout", key, "-out", cert, "-days", "30", "-subj", "/CN=" + cn,
                     "-addext", "basicConstraints=critical,CA:true",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign"], tmp.path)
    return cert, key


def _read_greeting(port, timeout=1.0):
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        return s.recv(512)


class Dovecot:
    """A private Dovecot with IMAP, IMAPS, POP3 and POP3S listeners and one passwd-file user.

    Dovecot must be started as root (it switches to its own users); `skip_reason()` says why
    it cannot run here, or None.
    """

    def __init__(self, tmp, cert, key):
        self.tmp = tmp
        self.cert, self.key = cert, key
        self.proc = None
        self.ports = {name: free_port() for name in ("imap", "imaps", "pop3", "pop3s")}
        self.log_path = tmp.join("dovecot.log")

    @staticmethod
    def skip_reason():
        if not shutil.which("dovecot"):
            return "dovecot is not installed (Debian: dovecot-imapd dovecot-pop3d)"
        if os.geteuid() != 0:
            return "dovecot must be started as root here (it switches to its own users)"
        return None

    def _config(self):
        base = self.tmp.join("dovecot")
        for d in ("run", "state", "home"):
            os.makedirs(os.path.join(base, d), exist_ok=True)
        # The mail processes run as nobody: they must reach the home directories.
        os.chmod(self.tmp.path, 0o755)
        os.chmod(base, 0o755)
        home = os.path.join(base, "home")
        os.chown(home, 65534, 65534)
        passwd = os.path.join(base, "passwd")
        with open(passwd, "w") as f:
            f.write("%s:{PLAIN}%s::::::\n" % (USER, PASSWORD))
        conf = os.path.join(base, "dovecot.conf")
        with open(conf, "w") as f:
            f.write("""protocols = imap pop3
listen = %(host)s
base_dir = %(base)s/run
state_dir = %(base)s/state
log_path = %(log)s
ssl = yes
ssl_cert = <%(cert)s
ssl_key = <%(key)s
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN %(passwd)s
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=%(home)s/%%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    port = %(imap)d
  }
  inet_listener imaps {
    port = %(imaps)d
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = %(pop3)d
  }
  inet_listener pop3s {
    port = %(pop3s)d
    ssl = yes
  }
}
""" % dict(host=HOST, base=base, log=self.log_path, cert=self.cert, key=self.key,
                passwd=passwd, home=home, **self.ports))
        return conf

    def start(self, timeout=30.0):
        conf = self._config()
        self.out = open(self.tmp.join("dovecot.out"), "w")
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", conf], stdout=self.out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

        def greets():
            if self.proc.poll() is not None:
                raise GiveUp("dovecot exited with code %s\n%s" % (self.proc.returncode, self.log()))
            return all(_read_greeting(self.ports[p]).startswith(want)
                       for p, want in (("imap", b"* OK"), ("pop3", b"+OK")))

        wait_for(greets, timeout, "dovecot to greet on its IMAP and POP3 ports")
        return self

    def log(self):
        text = ""
        for path in (self.log_path, self.tmp.join("dovecot.out")):
            try:
                with open(path, errors="replace") as f:
                    text += f.read()
            except OSError:
                pass
        return text

    def stop(self):
        stop_process(self.proc)
        if getattr(self, "out", None):
            self.out.close()


_SMTP_SCRIPT = r'''
import signal, ssl, sys, threading
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

host, port, tls_port, cert, key, user, password = sys.argv[1:8]

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
          and auth_data.password.decode() == password)
    # handled=False: aiosmtpd sends the 535 itself (with the default, it sends nothing).
    return AuthResult(success=ok, handled=False)

class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
plain = Controller(Sink(), hostname=host, port=int(port), server_hostname="lktest.smtp",
                   tls_context=context, authenticator=authenticator, auth_require_tls=True)
implicit = Controller(Sink(), hostname=host, port=int(tls_port), server_hostname="lktest.smtp",
                      ssl_context=context, authenticator=authenticator, auth_require_tls=False)
plain.start()
implicit.start()
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
print("ready", flush=True)
stop.wait(600)
plain.stop()
implicit.stop()
'''


def python_with(module):
    """A Python interpreter that can import `module` (Debian's python3-aiosmtpd lives in the
    system interpreter, which may not be the one running the tests), or None."""
    seen = set()
    for candidate in (sys.executable, "/usr/bin/python3", shutil.which("python3")):
        if not candidate or candidate in seen or not os.path.exists(candidate):
            continue
        seen.add(candidate)
        probe = subprocess.run([candidate, "-c", "import " + module], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, timeout=30)
        if probe.returncode == 0:
            return candidate
    return None


class AiosmtpdProcess:
    """An aiosmtpd script run as a process of its own (python3-aiosmtpd), its output kept in
    the test's directory, stopped by PID. Subclasses say what to run."""

    proc = None
    out = None

    @staticmethod
    def skip_reason():
        if python_with("aiosmtpd") is None:
            return "aiosmtpd is not installed (Debian: python3-aiosmtpd)"
        return None

    def launch(self, name, script_text, args, greet_port, timeout):
        """Runs `script_text` (saved as NAME.py) with `args` and waits until it has printed
        "ready" and greets with 220 on `greet_port`."""
        script = self.tmp.write(name + ".py", script_text)
        self.out_path = self.tmp.join(name + ".out")
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen(
            [python_with("aiosmtpd"), script] + [str(a) for a in args],
            stdout=self.out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

        def ready():
            if self.proc.poll() is not None:
                raise GiveUp("%s exited with code %s\n%s" % (name, self.proc.returncode, self.log()))
            return "ready" in self.log() and _read_greeting(greet_port).startswith(b"220")

        wait_for(ready, timeout, "%s to greet on its port" % name)
        return self

    def log(self):
        try:
            with open(self.out_path, errors="replace") as f:
                return f.read()
        except OSError as e:
            return "<no log: %s>" % e

    def stop(self):
        stop_process(self.proc)
        if self.out:
            self.out.close()


class SmtpServer(AiosmtpdProcess):
    """aiosmtpd on two ports: plain SMTP with STARTTLS (AUTH only after it) and implicit TLS."""

    def __init__(self, tmp, cert, key):
        self.tmp = tmp
        self.cert, self.key = cert, key
        self.ports = {"smtp": free_port(), "smtps": free_port()}

    def start(self, timeout=30.0):
        return self.launch("smtp_server", _SMTP_SCRIPT,
                           [HOST, self.ports["smtp"], self.ports["smtps"], self.cert, self.key,
                            USER, PASSWORD], self.ports["smtp"], timeout)


# ---------------------------------------------------------------------------------------------
# Hostile servers: they talk first (as mail servers do) and then misbehave.
# ---------------------------------------------------------------------------------------------


def start_peer(peer_class, tmp, name, add_cleanup):
    """Starts a `peer_class` (Dovecot or SmtpServer) in `tmp` with a fresh self-signed
    certificate; `add_cleanup(peer.stop)` is called before it starts. Raises SkipTest when the
    peer cannot run here. Returns (peer, cert_path, key_path)."""
    reason = peer_class.skip_reason()
    if reason:
        raise lktest.unittest.SkipTest(reason)
    cert, key = lktest.make_self_signed_cert(tmp, name=name)
    peer = peer_class(tmp, cert, key)
    add_cleanup(peer.stop)
    peer.start()
    return peer, cert, key


class _Server(lktest._RawServer):
    def hold(self, conn):
        """Keeps the connection open and silent until the client leaves or the server stops."""
        while not self._expired():
            readable, _, _ = select.select([conn], [], [], 0.1)
            if readable and not conn.recv(4096):
                return


class SilentServer(_Server):
    """Accepts and never says a word."""

    def handle(self, conn):
        self.hold(conn)


class GarbageServer(_Server):
    """Greets with binary garbage (with line breaks in it), then holds the connection."""

    GARBAGE = b"\x16\x03\x01\x00\xff\x00garbage\x01\x02" + bytes(range(256)) * 8

    def handle(self, conn):
        conn.sendall(self.GARBAGE)
        self.hold(conn)


class CloseMidwayServer(_Server):
    """Sends `greeting` (may be empty), reads one line (or a TLS ClientHello), then closes."""

    def __init__(self, greeting=b""):
        self.greeting = greeting
        super().__init__()

    def handle(self, conn):
        if self.greeting:
            conn.sendall(self.greeting)
        deadline = time.monotonic() + 10
        data = b""
        while not self._expired() and time.monotonic() < deadline:
            readable, _, _ = select.select([conn], [], [], 0.1)
            if not readable:
                continue
            chunk = conn.recv(4096)
            data += chunk
            if not chunk or b"\n" in data or data[:1] == b"\x16":
                break
        # Returning closes the connection (lktest._RawServer).
