"""Real database servers and hostile imitations of them, on 127.0.0.1, for the postgres, mysql
and redis probe tests (Python 3 standard library only).

Every server is started on a port that was free a moment ago, in a temporary directory of its
own, waited for with a deadline (never a fixed sleep), and stopped by PID. PostgreSQL and
MariaDB refuse to run as root: as root, PostgreSQL runs as the `postgres` user and MariaDB as
`root` with --user=root (what it asks for); otherwise both run as the current user.
"""

import glob
import os
import pwd
import select
import shutil
import socket
import subprocess
import tempfile
import threading

import lktest
from lktest import HOST, wait_for

START_TIMEOUT = 60.0


def _which(*names, globs=()):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    for pattern in globs:
        found = sorted(glob.glob(pattern))
        if found:
            return found[-1]
    return None


def _run(args, what, timeout=120.0, user=None, env=None):
    kwargs = {}
    if user is not None:
        kwargs.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, env=env, **kwargs)
    if proc.returncode != 0:
        raise AssertionError("%s failed (%d): %s\n%s"
                             % (what, proc.returncode, " ".join(args), proc.stdout))
    return proc.stdout


def _read_file(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError as e:
        return "<%s>" % e


class _Process:
    """A server process with its log in a file; stop() by PID (SIGTERM, then SIGKILL)."""

    def __init__(self, args, log_path, user=None, cwd=None):
        self.log_path = log_path
        self._log = open(log_path, "a", encoding="utf-8")
        kwargs = {}
        if user is not None:
            kwargs.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=cwd, **kwargs)

    def alive(self):
        return self.proc.poll() is None

    def log(self):
        return _read_file(self.log_path)

    def stop(self):
        lktest.stop_process(self.proc, term_timeout=20.0)
        self._log.close()


class _ServerDir:
    """A temporary directory the server's user may write (removed by cleanup())."""

    def __init__(self, prefix, owner=None):
        self.path = tempfile.mkdtemp(prefix=prefix)
        if owner is not None:
            os.chown(self.path, owner.pw_uid, owner.pw_gid)

    def join(self, *parts):
        return os.path.join(self.path, *parts)

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------------------------

REDIS_SERVER = _which("redis-server")


def _read_reply(f):
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise OSError("redis closed the connection")
    kind, rest = line[:1], line[1:-2].decode("utf-8", "replace")
    if kind in (b"+", b":"):
        return rest
    if kind == b"-":
        return "-" + rest
    if kind == b"$":
        return None if int(rest) < 0 else f.read(int(rest) + 2)[:-2].decode("utf-8", "replace")
    if kind == b"*":
        return [_read_reply(f) for _ in range(max(0, int(rest)))]
    raise OSError("not RESP: %r" % line)


class RedisServer:
    """redis-server on a free port, optionally with requirepass and as a replica of another."""

    def __init__(self, password=None, replica_of=None):
        self.password = password
        self.port = lktest.free_port()
        self.dir = _ServerDir("lktest-redis-")
        args = [REDIS_SERVER, "--port", str(self.port), "--bind", HOST, "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--dir", self.dir.path,
                "--repl-diskless-sync-delay", "0", "--logfile", ""]
        if password:
            args += ["--requirepass", password]
        if replica_of is not None:
            args += ["--replicaof", HOST, str(replica_of.port)]
            if replica_of.password:
                args += ["--masterauth", replica_of.password]
        self.process = _Process(args, self.dir.join("redis.log"))
        try:
            wait_for(self._answers, START_TIMEOUT, "redis-server on port %d to answer" % self.port)
        except BaseException:
            self.stop()
            raise

    def command(self, *words):
        """Sends one command (after AUTH when there is a password); returns its reply, with
        an error reply as "-ERR ..."."""
        with socket.create_connection((HOST, self.port), timeout=5) as s:
            f = s.makefile("rb")
            replies = []
            for cmd in ([("AUTH", self.password)] if self.password else []) + [words]:
                s.sendall(b"*%d\r\n" % len(cmd) + b"".join(
                    b"$%d\r\n%s\r\n" % (len(w.encode()), w.encode()) for w in cmd))
                replies.append(_read_reply(f))
            return replies[-1]

    def _answers(self):
        if not self.process.alive():
            raise lktest.GiveUp("redis-server exited:\n" + self.process.log())
        return self.command("PING") == "PONG"

    def info_replication(self):
        return self.command("INFO", "replication")

    def stop(self):
        self.process.stop()
        self.dir.cleanup()


# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------

PG_BIN = os.path.dirname(_which(globs=("/usr/lib/postgresql/*/bin/postgres",)) or
                         _which("postgres") or "/nonexistent/postgres")
POSTGRES = os.path.join(PG_BIN, "postgres") if os.path.exists(os.path.join(PG_BIN, "postgres")) else None


def _pg_user():
    if os.geteuid() != 0:
        return None
    return pwd.getpwnam("postgres")


class PostgresServer:
    """A PostgreSQL cluster of its own (password auth over TCP for user postgres), or a streaming
    standby of `primary` made with pg_basebackup."""

    def __init__(self, password="secret", primary=None):
        self.user = _pg_user()
        self.password = primary.password if primary else password
        self.port = lktest.free_port()
        self.dir = _ServerDir("lktest-pg-", self.user)
        self.data = self.dir.join("data")
        self.process = None
        try:
            if primary is None:
                pwfile = self.dir.join("pw")
                with open(pwfile, "w", encoding="utf-8") as f:
                    f.write(password + "\n")
                if self.user:
                    os.chown(pwfile, self.user.pw_uid, self.user.pw_gid)
                _run([os.path.join(PG_BIN, "initdb"), "-D", self.data, "-U", "postgres",
                      "--pwfile=" + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256",
                      "-E", "UTF8", "--no-locale", "-N"], "initdb", user=self.user)
            else:
                _run([os.path.join(PG_BIN, "pg_basebackup"), "-h", primary.dir.path, "-p",
                      str(primary.port), "-U", "postgres", "-D", self.data, "-R", "-X", "stream",
                      "-c", "fast"], "pg_basebackup", user=self.user)
            self.process = _Process(
                [POSTGRES, "-D", self.data, "-p", str(self.port), "-k", self.dir.path,
                 "-c", "listen_addresses=" + HOST, "-c", "fsync=off", "-c", "shared_buffers=16MB",
                 "-c", "max_connections=20", "-c", "logging_collector=off"],
                self.dir.join("postgres.log"), user=self.user)
            wait_for(self._ready, START_TIMEOUT, "postgres on port %d to accept connections"
                     % self.port)
        except BaseException:
            self.stop()
            raise

    def _ready(self):
        if not self.process.alive():
            raise lktest.GiveUp("postgres exited:\n" + self.process.log())
        return "ready to accept" in self.process.log()

    def psql(self, sql):
        """Runs SQL as postgres over the Unix socket (trusted); returns the unaligned output."""
        return _run([os.path.join(PG_BIN, "psql"), "-h", self.dir.path, "-p", str(self.port),
                     "-U", "postgres", "-d", "postgres", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c",
                     sql], "psql", timeout=30, user=self.user).strip()

    def url(self, password=None, path="/postgres", query=""):
        pw = self.password if password is None else password
        return "postgres://postgres:%s@%s:%d%s%s" % (pw, HOST, self.port, path, query)

    def stop(self):
        if self.process:
            self.process.stop()
        self.dir.cleanup()


# ---------------------------------------------------------------------------------------------
# MariaDB
# ---------------------------------------------------------------------------------------------

MARIADBD = _which("mariadbd", "mysqld", globs=("/usr/sbin/mariadbd",))
MARIADB_INSTALL_DB = _which("mariadb-install-db", "mysql_install_db")
MARIADB_CLIENT = _which("mariadb", "mysql")


class MariadbServer:
    """A MariaDB server of its own with root's password set; `binlog` makes it a primary that
    replicas can follow."""

    def __init__(self, root_password="secret", server_id=1, binlog=False):
        self.root_password = root_password
        self.port = lktest.free_port()
        self.dir = _ServerDir("lktest-maria-")
        self.socket = self.dir.join("mysqld.sock")
        self.process = None
        as_root = ["--user=root"] if os.geteuid() == 0 else []
        try:
            _run([MARIADB_INSTALL_DB, "--no-defaults", "--datadir=" + self.dir.join("data"),
                  "--auth-root-authentication-method=normal", "--skip-test-db"] + as_root,
                 "mariadb-install-db")
            args = [MARIADBD, "--no-defaults", "--datadir=" + self.dir.join("data"),
                    "--port=%d" % self.port, "--bind-address=" + HOST, "--socket=" + self.socket,
                    "--pid-file=" + self.dir.join("mysqld.pid"),
                    "--log-error=" + self.dir.join("error.log"), "--server-id=%d" % server_id,
                    "--innodb-buffer-pool-size=16M"] + as_root
            args += ["--log-bin=" + self.dir.join("binlog")] if binlog else ["--skip-log-bin"]
            self.process = _Process(args, self.dir.join("stdout.log"))
            wait_for(self._ready, START_TIMEOUT, "mariadbd on port %d to answer" % self.port)
            self.sql("ALTER USER root@localhost IDENTIFIED BY '%s'" % root_password, password="")
        except BaseException:
            self.stop()
            raise

    def _ready(self):
        if not self.process.alive():
            raise lktest.GiveUp("mariadbd exited:\n" + self.error_log())
        try:
            self.sql("SELECT 1", password="")
            return True
        except AssertionError as e:
            return lktest.NotYet(str(e)[-300:])

    def error_log(self):
        return _read_file(self.dir.join("error.log"))

    def sql(self, statements, password=None):
        """Runs SQL as root over the Unix socket; returns the tab-separated output."""
        pw = self.root_password if password is None else password
        return _run([MARIADB_CLIENT, "--no-defaults", "-S", self.socket, "-uroot",
                     "--password=" + pw, "-N", "-B", "-e", statements], "mariadb client",
                    timeout=30).strip()

    def url(self, user="root", password=None, path="", query="", scheme="mysql"):
        pw = self.root_password if password is None else password
        return "%s://%s:%s@%s:%d%s%s" % (scheme, user, pw, HOST, self.port, path, query)

    def stop(self):
        if self.process:
            self.process.stop()
        self.dir.cleanup()


# ---------------------------------------------------------------------------------------------
# Hostile servers
# ---------------------------------------------------------------------------------------------


class ScriptedServer(lktest._RawServer):
    """A TCP server that plays one script per connection:

    * `wait_for_client`: first read what the client sends (up to 1 s of silence, or 64 KiB);
    * then send `payload` (if any);
    * then `close` the connection, or hold it open without a word until the client leaves.
    """

    def __init__(self, payload=b"", wait_for_client=True, close=True):
        self.payload = payload
        self.wait_for_client = wait_for_client
        self.close_after = close
        self.received = b""
        self._received_lock = threading.Lock()
        super().__init__()

    def handle(self, conn):
        if self.wait_for_client:
            data = b""
            for _ in range(100):
                readable, _, _ = select.select([conn], [], [], 1.0)
                if not readable or self._expired():
                    break
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
                if len(data) >= 65536 or not select.select([conn], [], [], 0.05)[0]:
                    break
            with self._received_lock:
                self.received += data
        if self.payload:
            try:
                conn.sendall(self.payload)
            except OSError:
                return
        if self.close_after:
            return
        while not self._expired():
            readable, _, _ = select.select([conn], [], [], 0.1)
            if readable:
                try:
                    if not conn.recv(4096):
                        return
                except OSError:
                    return


def hanging_server():
    """Accepts, reads, never answers."""
    return ScriptedServer(payload=b"", close=False)


def silent_server():
    """Accepts and never says a word (for protocols where the server speaks first)."""
    return ScriptedServer(payload=b"", wait_for_client=False, close=False)


GARBAGE = (b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n" +
           bytes(range(256)) * 2)
