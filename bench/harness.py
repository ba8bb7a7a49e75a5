#!/usr/bin/env python3
"""Lightkeeper's engine benchmark: every figure is a ratio to a reference measured in the same run.

Entry command: bench/run.sh (installs nginx and ab, builds the binary, then runs this file).
Python 3 standard library only. What it does, in order:

  1. starts a private loopback nginx farm: N `listen 127.0.0.1:PORT` lines in one server block
     (`return 200`), `access_log off`, `backlog=4096`, and `stub_status` on its own port. The
     farm's request counter is the neutral "checks that really happened" figure for every engine;
  2. ceiling: `ab` (fresh connection per GET, 64 concurrent, 1 process) against one farm port;
  3. Lightkeeper, throughput: demand about 2x the ab ceiling, so it runs flat out; false
     failures, overload lateness and fairness are read from its /metrics;
  4. Lightkeeper, accuracy: demand 0.5x the measured ceiling; p99 lateness and drift;
  5. Lightkeeper, scale: 100,000 checks at 60 s (load time, RSS 75 s after the start, when
     every check has run once), and 1,000,000 at 1 h;
  6. Lightkeeper, reload: one check changed in the 100,000-check file, SIGHUP; reload time and
     the farm's request rate before/after (no burst, no gap);
  7. Lightkeeper, store: ~10,500 checks at 1 s writing to SQLite while GET /api/v1/rollups
     reads 90 seeded days of 1,000 checks (median, p95, cold first; queue depth; today growing);
  8. Lightkeeper, statuspage: 1,000 checks at 1 s in 40 components with 90 seeded days; `wrk`
     against its `/` and against a second private nginx serving a saved copy of the same page,
     alternately, plain and gzip; the checks' rate and lateness while it serves;
  9. blackbox_exporter and Icinga 2 against the same farm, when installed;
 10. prints one table of ratios and appends a dated section to bench/RESULTS.md.

CPU comes from /proc/PID/stat (utime+stime, plus cutime+cstime for process trees) or from
wait4() for ab; RSS from /proc/PID/status. Every process started is stopped by PID (SIGTERM,
then SIGKILL after a deadline) in `finally`; every wait is a poll with a deadline; every loop is
bounded in count and time.

Exit codes: 0 when the harness produced its numbers (whatever they are; --strict makes a missed
target exit 1), 77 when nginx or ab is missing, or wrk when the statuspage scenario is asked for
(CTest SKIP_RETURN_CODE), 2 on a usage error, 1 when the harness itself broke.
"""

import argparse
import datetime
import gzip
import http.client
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

HOST = "127.0.0.1"
SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

# Targets of issue 3, each a ratio or a bound measured in the same run.
TARGET_THROUGHPUT_RATIO = 0.8   # Lightkeeper checks/s >= 0.8 x ab req/s
TARGET_CPU_RATIO = 2.0          # Lightkeeper CPU per check <= 2 x ab's CPU per request
TARGET_P99_S = 0.100            # p99 lateness at half the ceiling
TARGET_DRIFT = 0.02             # |achieved / demand - 1| at half the ceiling
TARGET_FAIRNESS = 0.2           # overload: spread of runs per check beyond integer rounding, as a CV
TARGET_LOAD_S = 5.0             # 100,000 checks load and start
TARGET_RSS_MB = 256.0
TARGET_RELOAD_S = 1.0
TARGET_BURST = 1.25             # any 0.5 s bucket after the reload <= 1.25 x the rate before
TARGET_GAP = 0.75               # and >= 0.75 x the rate before
TARGET_STORE_READ_S = 0.050     # 90 days of day rollups of 1,000 checks over the API, while writing
# Issue 6: the status page of 1,000 checks and 90 days, under wrk at 100 connections.
TARGET_PAGE_RATIO = 0.5         # Lightkeeper req/s >= 0.5 x nginx serving a static copy of the page
TARGET_PAGE_P99_S = 0.020       # Lightkeeper's p99 latency at 100 connections
TARGET_PAGE_KB = 150.0          # the page, uncompressed


class HarnessError(Exception):
    """The harness could not produce a figure (as opposed to a figure that misses a target)."""


class EngineDied(HarnessError):
    """The engine under test exited (crashed) during a scenario: a finding, not a harness bug."""


# ---------------------------------------------------------------------------------------------
# Small utilities: bounded polling, HTTP, /proc
# ---------------------------------------------------------------------------------------------

class Budget:
    """The whole run's deadline: every wait also stops here."""

    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds

    def left(self):
        return self.deadline - time.monotonic()

    def check(self, what):
        if self.left() <= 0:
            raise HarnessError("the harness ran out of its time budget while " + what)


BUDGET = Budget(3600)


def poll_until(predicate, timeout, what, interval=0.05):
    """Calls predicate() until it returns something truthy (returned). Bounded in time and count."""
    timeout = min(timeout, max(0.0, BUDGET.left()))
    deadline = time.monotonic() + timeout
    last = None
    for _ in range(int(timeout / interval) + 10):
        try:
            value = predicate()
        except HarnessError:
            raise
        except Exception as e:  # noqa: BLE001 - a failing poll is "not yet"
            value, last = None, "%s: %s" % (type(e).__name__, e)
        else:
            if value:
                return value
            last = value
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        time.sleep(min(interval, remaining))
    raise HarnessError("timed out after %.1fs waiting for %s (last: %s)" % (timeout, what, str(last)[:300]))


def sleep_bounded(seconds, alive=None):
    """Sleeps `seconds` in small steps; fails early if alive() turns false (or raises)."""
    end = time.monotonic() + seconds
    for _ in range(int(seconds / 0.1) + 10):
        remaining = end - time.monotonic()
        if remaining <= 0:
            return
        if alive is not None and not alive():
            raise EngineDied("a process under test exited during the measurement")
        BUDGET.check("sleeping")
        time.sleep(min(0.1, remaining))


def http_get(port, path, timeout=2.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def http_fetch(port, path, headers=None, method="GET", timeout=5.0):
    """(status, headers with lower-case names, body) of one request on a fresh connection.
    Without an Accept-Encoding in `headers`, http.client sends `identity`."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        sent = {"Connection": "close"}
        sent.update(headers or {})
        conn.request(method, path, headers=sent)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def proc_stat(pid):
    """(utime+stime, cutime+cstime) in seconds, or None when the process is gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read().decode("ascii", "replace")
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()
    # fields[0] is field 3 (state); utime is field 14.
    own = (int(fields[11]) + int(fields[12])) / CLK_TCK
    children = (int(fields[13]) + int(fields[14])) / CLK_TCK
    return own, children


def proc_user_sys(pid):
    """(utime, stime) of a process in seconds, (0, 0) when it is gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read().decode("ascii", "replace")
    except OSError:
        return 0.0, 0.0
    fields = data[data.rindex(")") + 2:].split()
    return int(fields[11]) / CLK_TCK, int(fields[12]) / CLK_TCK


def thread_cpu(pid):
    """{thread id: utime+stime seconds} of a process's threads (bounded)."""
    out = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)[:1000]
    except OSError:
        return out
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid), "rb") as f:
                data = f.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = data[data.rindex(")") + 2:].split()
        out[int(tid)] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    return out


def proc_ppid(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read().decode("ascii", "replace")
    except OSError:
        return None
    return int(data[data.rindex(")") + 2:].split()[1])


def proc_comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return None


def proc_children(pid):
    """Direct children, from /proc/PID/task/*/children when available, else a /proc scan."""
    out = []
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                out.extend(int(x) for x in f.read().split())
        return out
    except OSError:
        pass
    for name in os.listdir("/proc"):
        if name.isdigit() and proc_ppid(int(name)) == pid:
            out.append(int(name))
    return out


def proc_tree(pid, limit=10000):
    """pid and all its descendants (bounded)."""
    seen, todo = [], [pid]
    while todo and len(seen) < limit:
        p = todo.pop()
        seen.append(p)
        todo.extend(proc_children(p))
    return seen


def tree_cpu(pid):
    """CPU seconds of a process tree: utime+stime+cutime+cstime of every live member.

    Children reaped between two samples land in their parent's cutime/cstime, so the difference
    of two samples is the tree's CPU over the interval.
    """
    total = 0.0
    for p in proc_tree(pid):
        s = proc_stat(p)
        if s:
            total += s[0] + s[1]
    return total


def proc_mem_mb(pid):
    """(VmRSS, VmHWM) in MB, or (None, None)."""
    rss = hwm = None
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024.0
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return rss, hwm


def machine_busy_s():
    """CPU seconds the whole machine has been busy (every state but idle and iowait), all cores."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLK_TCK


def mem_available_mb():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().strip()


def raise_nofile(want=65536):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for target in ((want, max(hard, want)), (min(want, hard), hard)):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, target)
            break
        except (ValueError, OSError):
            continue
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
            return True
        except OSError:
            return False


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_range_below_ephemeral(count, attempts=30):
    """A base port such that base..base+count-1 are all free and below the ephemeral range
    (so no outgoing connection of the engines under test can take one of them)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo = int(f.read().split()[0])
    except OSError:
        lo = 32768
    top = lo - count - 1
    if top <= 10000:
        raise HarnessError("%d ports do not fit below the ephemeral range (starts at %d)" % (count, lo))
    rng = random.Random()
    for _ in range(attempts):
        base = rng.randrange(10000, top)
        if all(port_is_free(p) for p in range(base, base + count)):
            return base
    raise HarnessError("found no %d free consecutive ports below %d after %d attempts" % (count, lo, attempts))


# ---------------------------------------------------------------------------------------------
# Processes: everything started is registered and stopped by PID
# ---------------------------------------------------------------------------------------------

class Procs:
    def __init__(self):
        self.items = []  # (name, Popen, extra pids to stop after it)

    def start(self, name, argv, log_path=None, **kw):
        out = open(log_path, "ab") if log_path else subprocess.DEVNULL
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True, **kw)
        finally:
            if log_path:
                out.close()
        self.items.append([name, p])
        return p

    def stop(self, p, term_timeout=10.0):
        """SIGTERM, then SIGKILL after term_timeout; descendants still alive afterwards (a
        SIGKILLed nginx master leaves its worker) are stopped by PID too."""
        if p is None:
            return None
        descendants = [(d, proc_comm(d)) for d in proc_tree(p.pid)[1:]] if p.poll() is None else []
        if p.poll() is None:
            try:
                os.kill(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout=term_timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.kill(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                try:
                    p.wait(timeout=term_timeout)
                except subprocess.TimeoutExpired:
                    print("warning: pid %d did not exit after SIGKILL" % p.pid, file=sys.stderr)
        for d, comm in descendants:
            # Only a process still alive under the same name as before is the one we started.
            if proc_stat(d) is None or _is_zombie(d) or proc_comm(d) != comm:
                continue
            try:
                os.kill(d, signal.SIGTERM)
            except ProcessLookupError:
                continue
            for _ in range(50):
                if proc_stat(d) is None or _is_zombie(d):
                    break
                time.sleep(0.1)
            else:
                try:
                    os.kill(d, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.items = [it for it in self.items if it[1] is not p]
        return p.returncode

    def stop_all(self):
        for _, p in reversed(list(self.items)):
            try:
                self.stop(p)
            except Exception as e:  # noqa: BLE001 - keep stopping the others
                print("warning: stopping pid %d: %s" % (p.pid, e), file=sys.stderr)


def _is_zombie(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
        return data[data.rindex(")") + 2] == "Z"
    except OSError:
        return True


def tool_version(argv, pattern=None):
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10,
                             stdin=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    for line in out.splitlines():
        if pattern is None or re.search(pattern, line):
            return line.strip()
    return out.strip().splitlines()[0] if out.strip() else "?"


# ---------------------------------------------------------------------------------------------
# The nginx farm
# ---------------------------------------------------------------------------------------------

class Farm:
    def __init__(self, procs, workdir, ports, nofile):
        self.procs = procs
        self.nofile = nofile
        self.dir = os.path.join(workdir, "nginx")
        self.n = ports
        self.base = None
        self.stub_port = None
        self.proc = None
        self.polls = 0

    def ports(self):
        return list(range(self.base, self.base + self.n))

    def start(self):
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        last_error = ""
        for attempt in range(5):
            self.base = port_range_below_ephemeral(self.n + 1)
            self.stub_port = self.base + self.n
            conf = os.path.join(self.dir, "nginx.conf")
            with open(conf, "w") as f:
                f.write(self._config())
            log = os.path.join(self.dir, "stderr.log")
            self.proc = self.procs.start("nginx", ["nginx", "-p", self.dir + "/", "-c", conf,
                                                   "-e", os.path.join(self.dir, "error.log")],
                                         log_path=log)
            try:
                poll_until(self._ready, 20, "the nginx farm to answer on its stub_status and first/last ports",
                           interval=0.1)
                return self
            except HarnessError as e:
                last_error = str(e) + "; " + _tail(os.path.join(self.dir, "error.log"))
                self.procs.stop(self.proc)
        raise HarnessError("nginx did not start: " + last_error)

    def _ready(self):
        if self.proc.poll() is not None:
            raise HarnessError("nginx exited with %s" % self.proc.returncode)
        ok = http_get(self.stub_port, "/stub", 1.0)[0] == 200 and \
            http_get(self.base, "/", 1.0)[0] == 200 and http_get(self.base + self.n - 1, "/", 1.0)[0] == 200
        self.polls += 1  # the stub poll above counts as a request; only deltas matter
        return ok

    def _config(self):
        d = self.dir
        listens = "".join("        listen %s:%d backlog=4096;\n" % (HOST, p) for p in self.ports())
        user = "" if os.getuid() != 0 else "user root;\n"
        return f"""# Generated by bench/harness.py: a private loopback farm (one port per check target).
{user}worker_processes 1;
worker_rlimit_nofile {self.nofile};
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{
    worker_connections {max(1024, min(32768, self.nofile - self.n - 200))};
}}
http {{
    access_log off;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    default_type text/plain;
    server {{
{listens}        location / {{
            return 200 "OK\\n";
        }}
    }}
    server {{
        listen {HOST}:{self.stub_port};
        location /stub {{
            stub_status;
        }}
    }}
}}
"""

    def sample(self):
        """(monotonic time, requests so far excluding our own stub polls, active connections)."""
        status, body = http_get(self.stub_port, "/stub", 2.0)
        self.polls += 1
        if status != 200:
            raise HarnessError("stub_status answered %d" % status)
        text = body.decode("ascii", "replace")
        m = re.search(r"server accepts handled requests\s+(\d+)\s+(\d+)\s+(\d+)", text)
        active = re.search(r"Active connections:\s*(\d+)", text)
        if not m:
            raise HarnessError("unreadable stub_status: %r" % text[:200])
        return time.monotonic(), int(m.group(3)) - self.polls, int(active.group(1)) if active else -1

    def worker_pids(self):
        return proc_tree(self.proc.pid)

    def cpu(self):
        return tree_cpu(self.proc.pid)


def _exit_text(code):
    if code is None:
        return "running"
    if code < 0:
        try:
            return "killed by %s" % signal.Signals(-code).name
        except ValueError:
            return "signal %d" % -code
    return "exit %d" % code


def _tail(path, lines=5):
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 4000))
            return " | ".join(f.read().decode("utf-8", "replace").strip().splitlines()[-lines:])
    except OSError:
        return ""


class Window:
    """Requests at the farm, CPU of a process (tree) and of nginx, between start() and stop()."""

    def __init__(self, farm, cpu_of=None):
        self.farm, self.cpu_of = farm, cpu_of

    def start(self):
        self.c0 = self.cpu_of() if self.cpu_of else 0.0
        self.n0 = self.farm.cpu()
        self.t0, self.r0, _ = self.farm.sample()
        return self

    def stop(self):
        self.t1, self.r1, self.active = self.farm.sample()
        self.c1 = self.cpu_of() if self.cpu_of else 0.0
        self.n1 = self.farm.cpu()
        self.seconds = self.t1 - self.t0
        self.requests = self.r1 - self.r0
        self.rate = self.requests / self.seconds if self.seconds > 0 else 0.0
        self.cpu = self.c1 - self.c0
        self.nginx_cpu_share = (self.n1 - self.n0) / self.seconds if self.seconds > 0 else 0.0
        return self


class StaticSite:
    """The reference of the statuspage scenario: a second private nginx (not the farm) serving a
    saved copy of Lightkeeper's page as a static file, with a pre-compressed .gz beside it for
    `gzip_static` (nothing is compressed per request, as Lightkeeper compresses once per page
    version). nginx defaults otherwise (keepalive_requests 1000, etag, sendfile on as Debian
    ships it), `access_log off` (Lightkeeper writes no access log)."""

    def __init__(self, procs, workdir, workers, nofile):
        self.procs, self.workers, self.nofile = procs, workers, nofile
        self.dir = os.path.join(workdir, "static-nginx")
        self.port = None
        self.proc = None

    def start(self, html, html_gz):
        root = os.path.join(self.dir, "html")
        os.makedirs(root, exist_ok=True)
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        with open(os.path.join(root, "index.html"), "wb") as f:
            f.write(html)
        with open(os.path.join(root, "index.html.gz"), "wb") as f:
            f.write(html_gz)
        last_error = ""
        for _ in range(3):
            self.port = free_port()
            conf = os.path.join(self.dir, "nginx.conf")
            with open(conf, "w") as f:
                f.write(self._config(root))
            self.proc = self.procs.start("nginx-static", ["nginx", "-p", self.dir + "/", "-c", conf,
                                                          "-e", os.path.join(self.dir, "error.log")],
                                         log_path=os.path.join(self.dir, "stderr.log"))
            try:
                poll_until(lambda: self._ready(html), 20, "the static nginx to serve the saved page", interval=0.1)
                return self
            except HarnessError as e:
                last_error = str(e) + "; " + _tail(os.path.join(self.dir, "error.log"))
                self.procs.stop(self.proc)
        raise HarnessError("the static nginx did not start: " + last_error)

    def _ready(self, html):
        if self.proc.poll() is not None:
            raise HarnessError("the static nginx exited with %s" % self.proc.returncode)
        status, _, body = http_fetch(self.port, "/", timeout=1.0)
        if status != 200 or body != html:
            return False
        status, headers, _ = http_fetch(self.port, "/", {"Accept-Encoding": "gzip"}, timeout=1.0)
        return status == 200 and headers.get("content-encoding") == "gzip"

    def _config(self, root):
        d = self.dir
        user = "" if os.getuid() != 0 else "user root;\n"
        return f"""# Generated by bench/harness.py: a static copy of Lightkeeper's status page (statuspage scenario).
{user}worker_processes {self.workers};
worker_rlimit_nofile {self.nofile};
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    types {{
        text/html html;
    }}
    default_type text/html;
    charset utf-8;
    gzip off;
    gzip_static on;
    gzip_vary on;
    server {{
        listen {HOST}:{self.port} backlog=4096;
        root {root};
        index index.html;
        location / {{
        }}
    }}
}}
"""

    def cpu(self):
        return tree_cpu(self.proc.pid)

    def hwm_mb(self):
        return sum((proc_mem_mb(p)[1] or 0) for p in proc_tree(self.proc.pid))


# ---------------------------------------------------------------------------------------------
# Lightkeeper: configs, process, /metrics
# ---------------------------------------------------------------------------------------------

def write_lk_config(path, storage, listen_port, checks, interval, timeout, ports, prefix,
                    changed=None, max_concurrency=2000, expect=True):
    """Writes `checks` http checks spread over `ports`, one per line (plain string ops: fast for 1M)."""
    tmp = path + ".tmp"
    exp = ", expect: [status == 200]" if expect else ""
    nports = len(ports)
    with open(tmp, "w", buffering=1 << 20) as f:
        f.write("# Generated by bench/harness.py\nlisten: %s:%d\nstorage: %s\nmax_concurrency: %d\n"
                "log_level: info\nchecks:\n" % (HOST, listen_port, storage, max_concurrency))
        chunk = []
        for i in range(checks):
            path_part = "%s%d-changed" % (prefix, i) if i == changed else "%s%d" % (prefix, i)
            chunk.append('  - {name: %s%d, type: http, url: "http://127.0.0.1:%d/%s", interval: %s, '
                         'timeout: %s%s}\n' % (prefix, i, ports[i % nports], path_part, interval, timeout, exp))
            if len(chunk) >= 10000:
                f.write("".join(chunk))
                chunk = []
        f.write("".join(chunk))
    os.replace(tmp, path)


def write_statuspage_config(path, storage, listen_port, checks, interval, timeout, ports, components, groups,
                            max_concurrency=2000):
    """The statuspage scenario's config: `checks` http checks (p0, p1, ...), then `components`
    components of consecutive checks in `groups` groups, and one status page `bench` that shows
    them all (it is the first page, so also served at /).

    Rule `2 of N`: a component stands for one service reached through N endpoints (or regions);
    one failing endpoint shows it degraded, two an outage. Its day bars then follow its
    second-worst check, so most days of the seeded history show some trouble: a heavier page
    than `all` would give (every day green but the rare day all checks failed)."""
    write_lk_config(path, storage, listen_port, checks, interval, timeout, ports, "p",
                    max_concurrency=max_concurrency)
    per = checks // components
    out = ["title: Lightkeeper bench\ncomponents:\n"]
    for c in range(components):
        members = ["p%d" % i for i in range(c * per, checks if c == components - 1 else (c + 1) * per)]
        group = c * groups // components
        out.append("  - {id: svc-%02d, name: Service %02d, group: Region %d, description: \"%d endpoints\", "
                   "rule: \"2 of %d\", checks: [%s]}\n"
                   % (c, c, group + 1, len(members), len(members), ", ".join(members)))
    out.append("status_pages:\n  - {slug: bench, title: Bench status, description: \"%d checks in %d components\"}\n"
               % (checks, components))
    with open(path, "a") as f:
        f.write("".join(out))


def fmt_duration(seconds):
    ms = int(round(seconds * 1000))
    if ms % 3600000 == 0:
        return "%dh" % (ms // 3600000)
    if ms % 1000 == 0:
        return "%ds" % (ms // 1000)
    return "%dms" % max(ms, 1)


LOG_TS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:?\d\d)\s")


def log_time(line):
    m = LOG_TS.match(line)
    if not m:
        return None
    text = m.group(1)
    if re.search(r"[+-]\d{4}$", text):
        text = text[:-2] + ":" + text[-2:]
    try:
        return datetime.datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


class Lightkeeper:
    def __init__(self, procs, binary, workdir, name):
        self.procs, self.binary = procs, binary
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.config = os.path.join(self.dir, "lightkeeper.yaml")
        self.storage = os.path.join(self.dir, "lightkeeper.db")
        self.log = os.path.join(self.dir, "lightkeeper.log")
        self.port = free_port()
        self.proc = None
        self._log_offset = 0
        self._log_lines = []

    def start(self):
        self.t_start = time.monotonic()
        self.t_start_wall = time.time()
        self.phases = {}
        self.proc = self.procs.start("lightkeeper", [self.binary, "serve", "-c", self.config],
                                     log_path=self.log)
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def check_alive(self):
        if not self.alive():
            raise EngineDied("lightkeeper exited (%s) %.1f s after its start; its log ends: %s"
                             % (_exit_text(self.proc.returncode), time.monotonic() - self.t_start,
                                _tail(self.log, 2)))
        return True

    def new_log_lines(self):
        """Complete lines appended to the log since the last call (bounded read)."""
        try:
            with open(self.log, "rb") as f:
                f.seek(self._log_offset)
                data = f.read(8 << 20)
        except OSError:
            return []
        end = data.rfind(b"\n")
        if end < 0:
            return []
        self._log_offset += end + 1
        lines = data[:end].decode("utf-8", "replace").splitlines()
        self._log_lines.extend(lines[:2000] if len(self._log_lines) < 20000 else [])
        return lines

    def healthy(self):
        self.check_alive()
        try:
            return http_get(self.port, "/healthz", 1.0)[0] == 200
        except (OSError, http.client.HTTPException):
            self.check_alive()
            return False

    def wait_started(self, checks, timeout):
        """Seconds from process start until /healthz answers and `monitoring N check(s)` is logged."""
        state = {"health": None, "monitoring": None}
        pattern = "monitoring %d check(s)" % checks

        markers = (("store:", "config_loaded_s"), ("status page on", "web_up_s"), ("monitoring ", "checks_started_s"))

        def ready():
            if state["monitoring"] is None:
                for line in self.new_log_lines():
                    for marker, key in markers:
                        if marker in line and key not in self.phases:
                            at = log_time(line)
                            if at is not None:
                                self.phases[key] = round(at - self.t_start_wall, 3)
                    if pattern in line:
                        state["monitoring"] = time.monotonic()
            if state["health"] is None and self.healthy():
                state["health"] = time.monotonic()
            if self.guard_mb and (proc_mem_mb(self.proc.pid)[0] or 0) > self.guard_mb:
                raise HarnessError("lightkeeper's RSS passed the guard of %.0f MB %.0f s into loading (phases "
                                   "reached: %s); stopped to protect the machine"
                                   % (self.guard_mb, time.monotonic() - self.t_start, self.phases or "none"))
            return state["health"] is not None and state["monitoring"] is not None

        poll_until(ready, timeout, "lightkeeper to serve /healthz and log '%s'" % pattern, interval=0.02)
        return max(state["health"], state["monitoring"]) - self.t_start

    guard_mb = None

    def metrics(self, timeout=30.0):
        t = time.monotonic()
        try:
            status, body = http_get(self.port, "/metrics", timeout)
        except (OSError, http.client.HTTPException) as e:
            self.check_alive()
            raise HarnessError("GET /metrics failed after %.1f s: %s: %s"
                               % (time.monotonic() - t, type(e).__name__, e)) from None
        if status != 200:
            raise HarnessError("/metrics answered %d" % status)
        m = parse_metrics(body.decode("utf-8", "replace"))
        m["_scrape_s"] = time.monotonic() - t
        m["_bytes"] = len(body)
        return m

    def cpu(self):
        s = proc_stat(self.proc.pid)
        return s[0] + s[1] if s else 0.0


METRIC_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """The few families the harness reads, aggregated; per-check run counts for fairness."""
    out = {"results": {}, "per_check_runs": {}, "lateness": {}, "single": {}}
    totals, connects = [], []
    wanted_single = ("lightkeeper_scheduler_lateness_max_seconds", "lightkeeper_checks_started_total",
                     "lightkeeper_checks_skipped_total", "lightkeeper_checks_in_flight",
                     "lightkeeper_store_queue_depth", "process_resident_memory_bytes",
                     "process_cpu_seconds_total", "lightkeeper_store_results_written_total")
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        if line.startswith("lightkeeper_check_results_total{"):
            m = METRIC_LINE.match(line)
            if not m:
                continue
            labels = dict(LABEL.findall(m.group(2)))
            value = float(m.group(3))
            status = labels.get("status", "?")
            out["results"][status] = out["results"].get(status, 0) + value
            name = labels.get("check", "?")
            out["per_check_runs"][name] = out["per_check_runs"].get(name, 0) + value
        elif line.startswith("lightkeeper_check_latency_seconds{"):
            m = METRIC_LINE.match(line)
            if m:
                totals.append(float(m.group(3)))
        elif line.startswith("lightkeeper_check_phase_seconds{") and 'phase="connect"' in line:
            m = METRIC_LINE.match(line)
            if m:
                connects.append(float(m.group(3)))
        elif line.startswith("lightkeeper_scheduler_lateness_seconds{"):
            m = METRIC_LINE.match(line)
            if m:
                out["lateness"][dict(LABEL.findall(m.group(2))).get("quantile")] = float(m.group(3))
        elif line.startswith(wanted_single):
            m = METRIC_LINE.match(line)
            if m and not m.group(2):
                out["single"][m.group(1)] = float(m.group(3))
    # The latest run of every check, as the engine itself timed it.
    lat = {}
    for name, values in (("total", totals), ("connect", connects)):
        for q, v in quantiles(values).items():
            lat["%s_p%g" % (name, q * 100)] = v
    out["latency"] = lat
    return out


def fairness(counts):
    """How evenly runs were shared: min, max, mean, Jain's index, and the coefficient of variation
    left after removing what integer counts force (a perfectly fair share of 2.6 runs each is a
    mix of 2s and 3s, variance f(1-f) with f = 0.6)."""
    n = len(counts)
    if n == 0:
        return {"min": 0, "max": 0, "mean": 0.0, "jain": 0.0, "excess_cv": float("inf")}
    mean = sum(counts) / n
    var = sum((c - mean) ** 2 for c in counts) / n
    f = mean - math.floor(mean)
    sumsq = sum(c * c for c in counts)
    return {"min": min(counts), "max": max(counts), "mean": mean,
            "jain": (sum(counts) ** 2) / (n * sumsq) if sumsq else 0.0,
            "excess_cv": math.sqrt(max(0.0, var - f * (1 - f))) / mean if mean else float("inf")}


def quantiles(values, qs=(0.5, 0.99)):
    if not values:
        return {}
    v = sorted(values)
    return {q: v[min(len(v) - 1, int(q * (len(v) - 1) + 0.5))] for q in qs}


def first_failure_lines(lk, limit=3):
    lk.new_log_lines()
    return [l for l in lk._log_lines if " -> fail" in l or " -> unknown" in l or "error" in l][:limit]


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.procs = Procs()
        self.farm = None
        self.raw = {}      # scenario -> dict of raw numbers
        self.rows = []     # table rows
        self.targets = []  # (target, verdict, detail)
        self.notes = []
        self.tables = []   # (title, markdown table) printed after the main table

    # -- ceiling ---------------------------------------------------------------------------------
    def ab(self):
        a = self.args
        port = self.farm.base
        argv = ["ab", "-q", "-r", "-s", "5", "-t", str(a.duration), "-n", "5000000", "-c", str(a.ab_concurrency),
                "http://%s:%d/" % (HOST, port)]
        log = os.path.join(self.workdir, "ab.log")
        w = Window(self.farm).start()
        p = self.procs.start("ab", argv, log_path=log)
        deadline = time.monotonic() + a.duration + 30
        status = rusage = None
        for _ in range(int((a.duration + 30) / 0.05) + 10):
            pid, st, ru = os.wait4(p.pid, os.WNOHANG)
            if pid == p.pid:
                status, rusage = st, ru
                p.returncode = os.waitstatus_to_exitcode(st)
                break
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if status is None:
            self.procs.stop(p)
            raise HarnessError("ab did not finish within %ds" % (a.duration + 30))
        w.stop()
        self.procs.items = [it for it in self.procs.items if it[1] is not p]
        cpu = rusage.ru_utime + rusage.ru_stime
        with open(log, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        failed = re.search(r"Failed requests:\s+(\d+)", text)
        complete = re.search(r"Complete requests:\s+(\d+)", text)
        if p.returncode != 0 or w.requests <= 0:
            raise HarnessError("ab failed (exit %s): %s" % (p.returncode, text.strip()[-500:]))
        r = {"rate": w.rate, "requests": w.requests, "seconds": w.seconds, "cpu_s": cpu,
             "cpu_ms_per_check": cpu * 1000.0 / w.requests, "rss_mb": rusage.ru_maxrss / 1024.0,
             "ab_complete": int(complete.group(1)) if complete else None,
             "ab_failed": int(failed.group(1)) if failed else None,
             "nginx_cpu_share": w.nginx_cpu_share, "concurrency": a.ab_concurrency}
        self.raw["ab"] = r
        self.ceiling = r
        self.rows.append(["ab (ceiling)", r["rate"], 1.0, r["cpu_ms_per_check"], 1.0, r["rss_mb"],
                          "1 process, -c %d, fresh connection per GET; %s failed; nginx at %.0f%% of a core"
                          % (a.ab_concurrency, r["ab_failed"], 100 * w.nginx_cpu_share)])

    # -- Lightkeeper flat out --------------------------------------------------------------------
    def throughput(self):
        a = self.args
        ab_rate = self.ceiling["rate"]
        interval = a.interval
        checks = max(a.ports, int(math.ceil(2.0 * ab_rate * interval)))
        if checks > a.max_checks:
            checks = a.max_checks
            interval = max(0.1, checks / (2.0 * ab_rate))
        interval_text = fmt_duration(interval)
        interval = _parse_simple_duration(interval_text)
        timeout_text = fmt_duration(min(interval, 5.0))
        demand = checks / interval
        lk = Lightkeeper(self.procs, a.binary, self.workdir, "throughput")
        write_lk_config(lk.config, lk.storage, lk.port, checks, interval_text, timeout_text, self.farm.ports(), "t",
                        max_concurrency=a.max_concurrency)
        lk.start()
        try:
            lk.wait_started(checks, 120)
            sleep_bounded(a.warmup, lk.check_alive)
            m0 = lk.metrics()
            w = Window(self.farm, lk.cpu).start()
            partial = []
            try:
                end = time.monotonic() + a.duration
                for _ in range(a.duration + 5):
                    left = end - time.monotonic()
                    if left <= 0:
                        break
                    sleep_bounded(min(1.0, left), lk.check_alive)
                    partial.append((self.farm.sample(), lk.cpu()))
            except EngineDied as e:
                # Report what it did until it died: the rate over the seconds it ran.
                if len(partial) >= 1:
                    (t1, r1, _), _ = partial[-1]
                    self.lk_ceiling = (r1 - w.r0) / (t1 - w.t0)
                    raise EngineDied("%s [until then: %.0f checks/s over %.1f s of the window]"
                                     % (e, self.lk_ceiling, t1 - w.t0)) from None
                raise
            w.stop()
            rss, hwm = proc_mem_mb(lk.proc.pid)
            m1 = lk.metrics(timeout=60)
        finally:
            self.procs.stop(lk.proc)
        started = m1["single"].get("lightkeeper_checks_started_total", 0) - \
            m0["single"].get("lightkeeper_checks_started_total", 0)
        skipped = m1["single"].get("lightkeeper_checks_skipped_total", 0) - \
            m0["single"].get("lightkeeper_checks_skipped_total", 0)
        res = m1["results"]
        bad = res.get("fail", 0) + res.get("unknown", 0) + res.get("warn", 0)
        before = m0["per_check_runs"]
        runs = sorted(v - before.get(k, 0) for k, v in m1["per_check_runs"].items())
        fair = fairness(runs)
        lat = m1["latency"]
        r = {"checks": checks, "interval": interval_text, "timeout": timeout_text, "demand": demand,
             "rate": w.rate, "requests": w.requests, "seconds": w.seconds, "cpu_s": w.cpu,
             "cpu_ms_per_check": w.cpu * 1000.0 / w.requests if w.requests else float("nan"),
             "cpu_cores": w.cpu / w.seconds, "rss_mb": rss, "hwm_mb": hwm,
             "started_per_s": started / w.seconds, "skipped_in_window": skipped,
             "results": res, "false_failures": bad,
             "lateness_p50_s": m1["lateness"].get("0.5"), "lateness_p99_s": m1["lateness"].get("0.99"),
             "lateness_max_s": m1["single"].get("lightkeeper_scheduler_lateness_max_seconds"),
             "window_runs_per_check": fair,
             "latest_run_latency_s": lat,
             "nginx_cpu_share": w.nginx_cpu_share, "farm_active_connections_at_end": w.active,
             "metrics_scrape_s": m1["_scrape_s"], "metrics_mb": m1["_bytes"] / 1e6,
             "store_queue_depth": m1["single"].get("lightkeeper_store_queue_depth"),
             "failure_samples": first_failure_lines(lk)}
        self.raw["lightkeeper_throughput"] = r
        self.lk_ceiling = r["rate"]
        ab = self.ceiling
        self.rows.append(["lightkeeper throughput", r["rate"], r["rate"] / ab["rate"], r["cpu_ms_per_check"],
                          r["cpu_ms_per_check"] / ab["cpu_ms_per_check"], hwm,
                          "%d checks @%s (demand %.0f/s); %d false failures; %d skipped; lateness p99 %s max %s; "
                          "check latency p50 %s (connect p50 %s); %.2f cores; nginx %.0f%%"
                          % (checks, interval_text, demand, bad, skipped, _ms(r["lateness_p99_s"]),
                             _ms(r["lateness_max_s"]), _ms(lat.get("total_p50")), _ms(lat.get("connect_p50")),
                             r["cpu_cores"], 100 * w.nginx_cpu_share)])
        ratio = r["rate"] / ab["rate"]
        self.target("throughput >= %.1fx ab, zero false failures" % TARGET_THROUGHPUT_RATIO,
                    ratio >= TARGET_THROUGHPUT_RATIO and bad == 0,
                    "%.2fx (%.0f vs %.0f checks/s), %d false failures" % (ratio, r["rate"], ab["rate"], bad))
        cpu_ratio = r["cpu_ms_per_check"] / ab["cpu_ms_per_check"]
        self.target("CPU per check <= %.0fx ab" % TARGET_CPU_RATIO, cpu_ratio <= TARGET_CPU_RATIO,
                    "%.2fx (%.3f vs %.3f CPU-ms per check)" % (cpu_ratio, r["cpu_ms_per_check"], ab["cpu_ms_per_check"]))
        self.target("overload: lateness reported, delayed fairly (runs per check in the window: CV beyond "
                    "integer rounding <= %.1f)" % TARGET_FAIRNESS,
                    r["lateness_p99_s"] is not None and fair["excess_cv"] <= TARGET_FAIRNESS,
                    "lateness p99 %s, max %s; runs per check %d..%d, mean %.2f, excess CV %.2f, Jain %.3f"
                    % (_ms(r["lateness_p99_s"]), _ms(r["lateness_max_s"]), fair["min"], fair["max"], fair["mean"],
                       fair["excess_cv"], fair["jain"]))

    # -- Lightkeeper at half the ceiling -----------------------------------------------------------
    def accuracy(self):
        a = self.args
        ceiling = min(getattr(self, "lk_ceiling", None) or self.ceiling["rate"], self.ceiling["rate"])
        demand_target = 0.5 * ceiling
        interval_text = fmt_duration(max(0.1, a.interval))
        interval = _parse_simple_duration(interval_text)
        checks = max(1, int(round(demand_target * interval)))
        if checks > a.max_checks:
            checks = a.max_checks
            interval_text = fmt_duration(max(0.1, checks / demand_target))
            interval = _parse_simple_duration(interval_text)
        demand = checks / interval
        timeout_text = fmt_duration(min(interval, 5.0))
        lk = Lightkeeper(self.procs, a.binary, self.workdir, "accuracy")
        write_lk_config(lk.config, lk.storage, lk.port, checks, interval_text, timeout_text, self.farm.ports(), "a",
                        max_concurrency=a.max_concurrency)
        lk.start()
        p99s, maxes = [], []
        try:
            lk.wait_started(checks, 120)
            sleep_bounded(max(a.warmup, interval + 1.0), lk.check_alive)
            m0 = lk.metrics()
            w = Window(self.farm, lk.cpu).start()
            mid = None
            end = time.monotonic() + a.duration
            for _ in range(int(a.duration / 2.0) + 5):
                left = end - time.monotonic()
                if left <= 0:
                    break
                sleep_bounded(min(2.0, left), lk.check_alive)
                if mid is None and time.monotonic() >= end - a.duration / 2.0:
                    mid = self.farm.sample()
                if time.monotonic() < end - 0.3:
                    m = lk.metrics()
                    p99s.append(m["lateness"].get("0.99", 0.0))
                    maxes.append(m["single"].get("lightkeeper_scheduler_lateness_max_seconds", 0.0))
            w.stop()
            rss, hwm = proc_mem_mb(lk.proc.pid)
            m1 = lk.metrics()
        finally:
            self.procs.stop(lk.proc)
        p99s.append(m1["lateness"].get("0.99", 0.0))
        maxes.append(m1["single"].get("lightkeeper_scheduler_lateness_max_seconds", 0.0))
        started = m1["single"].get("lightkeeper_checks_started_total", 0) - \
            m0["single"].get("lightkeeper_checks_started_total", 0)
        skipped = m1["single"].get("lightkeeper_checks_skipped_total", 0) - \
            m0["single"].get("lightkeeper_checks_skipped_total", 0)
        res = m1["results"]
        bad = res.get("fail", 0) + res.get("unknown", 0) + res.get("warn", 0)
        halves = None
        if mid is not None and mid[0] > w.t0 and w.t1 > mid[0]:
            first = (mid[1] - w.r0) / (mid[0] - w.t0)
            second = (w.r1 - mid[1]) / (w.t1 - mid[0])
            halves = (first / demand, second / demand)
        r = {"checks": checks, "interval": interval_text, "demand": demand, "ceiling_used": ceiling,
             "rate": w.rate, "achieved_over_demand": w.rate / demand, "started_over_demand": started / w.seconds / demand,
             "halves_over_demand": halves, "requests": w.requests, "seconds": w.seconds,
             "cpu_ms_per_check": w.cpu * 1000.0 / w.requests if w.requests else float("nan"),
             "cpu_cores": w.cpu / w.seconds, "rss_mb": rss, "hwm_mb": hwm, "skipped_in_window": skipped,
             "false_failures": bad, "lateness_p99_max_s": max(p99s), "lateness_max_s": max(maxes),
             "lateness_p50_s": m1["lateness"].get("0.5"), "lateness_samples": len(p99s),
             "latest_run_latency_s": m1["latency"]}
        self.raw["lightkeeper_accuracy"] = r
        drift = r["achieved_over_demand"] - 1.0
        self.rows.append(["lightkeeper accuracy (0.5x)", r["rate"], r["rate"] / self.ceiling["rate"],
                          r["cpu_ms_per_check"], r["cpu_ms_per_check"] / self.ceiling["cpu_ms_per_check"], hwm,
                          "demand %.0f/s (%d @%s): achieved %.3fx; lateness p99 %s max %s; %d skipped; %d false failures"
                          % (demand, checks, interval_text, r["achieved_over_demand"], _ms(r["lateness_p99_max_s"]),
                             _ms(r["lateness_max_s"]), skipped, bad)])
        self.target("half load: p99 lateness < %.0f ms, no drift (|achieved/demand - 1| <= %.0f%%), nothing skipped"
                    % (TARGET_P99_S * 1000, TARGET_DRIFT * 100),
                    r["lateness_p99_max_s"] < TARGET_P99_S and abs(drift) <= TARGET_DRIFT and skipped == 0,
                    "p99 %s (worst of %d samples), max %s, achieved/demand %.3f (halves %s), %d skipped"
                    % (_ms(r["lateness_p99_max_s"]), len(p99s), _ms(r["lateness_max_s"]), r["achieved_over_demand"],
                       "%.3f/%.3f" % halves if halves else "n/a", skipped))

    # -- scale and reload ------------------------------------------------------------------------
    def scale_and_reload(self, do_scale, do_reload):
        a = self.args
        checks = a.scale_checks
        lk = Lightkeeper(self.procs, a.binary, self.workdir, "scale")
        lk.guard_mb = self.rss_guard_mb()
        t = time.monotonic()
        write_lk_config(lk.config, lk.storage, lk.port, checks, "60s", "10s", self.farm.ports(), "s")
        gen_s = time.monotonic() - t
        lk.start()
        try:
            load_s = lk.wait_started(checks, 120)
            settle = a.scale_settle
            since = time.monotonic() - lk.t_start
            w = Window(self.farm, lk.cpu).start()
            sleep_bounded(max(1.0, settle - since), lk.check_alive)
            w.stop()
            rss, hwm = proc_mem_mb(lk.proc.pid)
            r = {"checks": checks, "interval": "60s", "config_mb": os.path.getsize(lk.config) / 1e6,
                 "generate_s": gen_s, "load_s": load_s, "startup_phases_from_log": dict(lk.phases), "rss_mb": rss, "hwm_mb": hwm,
                 "rate": w.rate, "demand": checks / 60.0, "cpu_cores": w.cpu / w.seconds,
                 "cpu_ms_per_check": w.cpu * 1000.0 / w.requests if w.requests else float("nan"),
                 "rss_after_s": time.monotonic() - lk.t_start}
            if do_scale:
                self.raw["lightkeeper_scale"] = r
                self.rows.append(["lightkeeper scale %s" % _k(checks), r["rate"], None, r["cpu_ms_per_check"], None, hwm,
                                  "%d checks @60s loaded+started in %.2f s; RSS %.0f MB after %.0f s; "
                                  "%.0f of %.0f checks/s due" % (checks, load_s, rss, r["rss_after_s"], r["rate"],
                                                                  r["demand"])])
                self.target("%s checks load and start < %.0f s, RSS < %.0f MB" % (_k(checks), TARGET_LOAD_S, TARGET_RSS_MB),
                            load_s < TARGET_LOAD_S and hwm < TARGET_RSS_MB,
                            "%.2f s (from the log: config loaded at %s s, web up at %s s, checks started at %s s), "
                            "RSS %.0f MB (peak %.0f MB)" % (load_s, lk.phases.get("config_loaded_s", "?"),
                                                            lk.phases.get("web_up_s", "?"),
                                                            lk.phases.get("checks_started_s", "?"), rss, hwm))
            if do_reload:
                self.reload(lk, checks)
            if do_scale:
                # One scrape of the full exposition, to report what /metrics costs at this size.
                try:
                    m = lk.metrics(timeout=60)
                    r["metrics_scrape_s"], r["metrics_mb"] = m["_scrape_s"], m["_bytes"] / 1e6
                except Exception as e:  # noqa: BLE001 - a note, not a figure
                    r["metrics_scrape_s"], r["metrics_mb"] = None, None
                    self.notes.append("GET /metrics with %d checks failed: %s" % (checks, e))
        finally:
            self.procs.stop(lk.proc, term_timeout=30)

    def reload(self, lk, checks):
        lk.new_log_lines()
        samples = []

        def sample_for(seconds):
            end = time.monotonic() + seconds
            for _ in range(int(seconds / 0.25) + 5):
                if time.monotonic() >= end:
                    break
                t, req, _ = self.farm.sample()
                samples.append((t, req))
                time.sleep(max(0.0, min(0.25, end - time.monotonic())))

        # The changed file is prepared first (not yet the watched path), so the signal follows
        # the rename at once.
        staged = lk.config + ".next"
        write_lk_config(staged, lk.storage, lk.port, checks, "60s", "10s", self.farm.ports(), "s", changed=0)
        sample_for(2.5)
        os.replace(staged, lk.config)
        t_sig_mono, t_sig_wall = time.monotonic(), time.time()
        os.kill(lk.proc.pid, signal.SIGHUP)
        found = {}

        def reloaded():
            for line in lk.new_log_lines():
                if "config reloaded:" in line and "line" not in found:
                    found["line"], found["seen"] = line, time.monotonic()
                if "reload" in line and "refused" in line:
                    raise HarnessError("the reload was refused: " + line)
            t, req, _ = self.farm.sample()
            samples.append((t, req))
            return "line" in found

        poll_until(reloaded, 30, "the log line 'config reloaded:'", interval=0.25)
        done_mono = found["seen"]
        logged_wall = log_time(found["line"])
        reload_s = (logged_wall - t_sig_wall) if logged_wall is not None else (done_mono - t_sig_mono)
        done_at = t_sig_mono + max(0.0, reload_s)
        sample_for(max(0.5, done_at + 2.5 - time.monotonic()))
        extra = [l for l in lk.new_log_lines() if "config reloaded:" in l]

        def rate_between(t0, t1):
            pts = [s for s in samples if t0 - 0.13 <= s[0] <= t1 + 0.13]
            if len(pts) < 2:
                return None
            return (pts[-1][1] - pts[0][1]) / (pts[-1][0] - pts[0][0])

        before = rate_between(t_sig_mono - 2.0, t_sig_mono)
        after = rate_between(done_at, done_at + 2.0)
        buckets = []
        after_pts = [s for s in samples if s[0] >= t_sig_mono - 0.3]
        for i in range(0, len(after_pts) - 2, 2):
            (ta, ra), (tb, rb) = after_pts[i], after_pts[i + 2]
            if tb > ta:
                buckets.append((rb - ra) / (tb - ta))
        peak = max(buckets) / before if buckets and before else None
        trough = min(buckets) / before if buckets and before else None
        changed = re.search(r"(\d+) added, (\d+) removed, (\d+) changed, (\d+) unchanged", found["line"])
        r = {"checks": checks, "reload_s": reload_s, "reload_seen_by_harness_s": done_mono - t_sig_mono,
             "log_line": found["line"].strip(), "rate_before": before, "rate_after": after,
             "after_over_before": (after / before) if before and after else None,
             "peak_bucket_over_before": peak, "min_bucket_over_before": trough,
             "reload_lines_after_signal": 1 + len(extra), "diff": changed.groups() if changed else None}
        self.raw["lightkeeper_reload"] = r
        self.rows.append(["lightkeeper reload %s" % _k(checks), after or 0.0, None, None, None, None,
                          "1 check changed + SIGHUP: reloaded in %.3f s (%s); checks/s %.0f before, %.0f after; "
                          "0.5 s buckets %s..%s x before" % (reload_s, "/".join(changed.groups()) if changed else "?",
                                                              before or 0, after or 0, _x(trough), _x(peak))])
        ok = (reload_s < TARGET_RELOAD_S and peak is not None and peak <= TARGET_BURST and trough >= TARGET_GAP
              and changed is not None and changed.group(3) == "1")
        self.target("reload of 1 changed check in %s < %.0f s, no burst, no gap" % (_k(checks), TARGET_RELOAD_S), ok,
                    "%.3f s; buckets %s..%s x the rate before (bounds %.2f..%.2f); diff added/removed/changed/"
                    "unchanged %s" % (reload_s, _x(trough), _x(peak), TARGET_GAP, TARGET_BURST,
                                      "/".join(changed.groups()) if changed else "?"))

    def million(self):
        a = self.args
        checks = a.million_checks
        avail = mem_available_mb()
        lk = Lightkeeper(self.procs, a.binary, self.workdir, "million")
        lk.guard_mb = self.rss_guard_mb()
        t = time.monotonic()
        write_lk_config(lk.config, lk.storage, lk.port, checks, "1h", "10s", self.farm.ports(), "m")
        gen_s = time.monotonic() - t
        lk.start()
        r = {"checks": checks, "interval": "1h", "config_mb": os.path.getsize(lk.config) / 1e6, "generate_s": gen_s,
             "mem_available_mb": avail, "guard_mb": lk.guard_mb}
        try:
            try:
                r["load_s"] = lk.wait_started(checks, a.million_timeout)
            except EngineDied:
                raise
            except HarnessError as e:
                r["error"] = str(e)
            r["startup_phases_from_log"] = dict(lk.phases)
            if "error" not in r:
                w = Window(self.farm, lk.cpu).start()
                sleep_bounded(a.million_run, lk.check_alive)
                w.stop()
                r["rate"], r["demand"] = w.rate, checks / 3600.0
                r["cpu_cores"] = w.cpu / w.seconds
                r["healthy_after_run"] = bool(lk.healthy())
            r["rss_mb"], r["hwm_mb"] = proc_mem_mb(lk.proc.pid) if lk.alive() else (None, None)
        finally:
            self.procs.stop(lk.proc, term_timeout=60)
            try:
                os.remove(lk.config)
            except OSError:
                pass
        self.raw["lightkeeper_million"] = r
        ok = "error" not in r and r.get("healthy_after_run")
        self.rows.append(["lightkeeper scale %s" % _k(checks), r.get("rate"), None, None, None, r.get("hwm_mb"),
                          ("%d checks @1h loaded+started in %.1f s; ran %d s; %.0f of %.0f checks/s due"
                           % (checks, r["load_s"], a.million_run, r["rate"], r["demand"])) if ok else
                          "did not load/run: %s" % r.get("error", "unhealthy")])
        self.target("%s checks at 1h load and run" % _k(checks), bool(ok),
                    ("loaded in %.1f s, RSS %.0f MB (peak %.0f MB)" % (r["load_s"], r["rss_mb"] or 0, r["hwm_mb"] or 0))
                    if ok else r.get("error", "not healthy after the run"))

    def rss_guard_mb(self):
        """A bound that protects the shared machine: a process past it is stopped and reported."""
        return max(512.0, min(self.args.rss_guard_mb, 0.5 * mem_available_mb()))

    # -- store: writes at 10,000 results/s while the API reads 90 days of 1,000 checks ----------------
    def store(self):
        a = self.args
        read_checks, rate, days = a.store_checks, float(a.store_rate), a.store_days
        # Demand 5% above the target so that meeting it is not down to rounding, at --interval
        # (1 s: a check's timeout is its interval, and 100 ms would turn a scheduling hiccup
        # into failures); the first `read_checks` checks have history and are read by the API.
        interval = max(0.1, a.interval)
        checks = max(read_checks, int(math.ceil(1.05 * rate * interval)))
        if checks == read_checks:
            interval = max(0.1, read_checks / (1.05 * rate))
        interval_text = fmt_duration(interval)
        interval = _parse_simple_duration(interval_text)
        demand = checks / interval
        lk = Lightkeeper(self.procs, a.binary, self.workdir, "store")
        write_lk_config(lk.config, lk.storage, lk.port, checks, interval_text, fmt_duration(min(interval, 5.0)),
                        self.farm.ports(), "r", max_concurrency=a.max_concurrency)
        names = ["r%d" % i for i in range(read_checks)]
        path = "/api/v1/rollups?resolution=day"
        if checks > read_checks:
            path += "&check=" + ",".join(names)

        # 1. A short first start creates and migrates the database (the binary owns its schema)
        #    and writes a few results, which names this node's location in the database.
        lk.start()
        try:
            lk.wait_started(checks, 60)
            poll_until(lambda: _store_gauges(lk.port)["lightkeeper_store_results_written_total"] > 0,
                       20, "the first results to be written to the store", interval=0.2)
        finally:
            self.procs.stop(lk.proc)
        # 2. `days` completed days of day rollups for the read checks, as a year of service
        #    would have left them (histogram blobs in the store's own format).
        seed_s, seeded = _seed_day_rollups(lk.storage, names, days)
        db_mb = _db_mb(lk.storage)

        # 3. The run: writes at the demand rate, and the API read repeated across the window.
        lk.start()
        try:
            lk.wait_started(checks, 120)
            # Past the start-up transient (every check has run; the status model reads every
            # check's history from the store once at start).
            settle = max(a.warmup, 5.0)
            sleep_bounded(settle, lk.check_alive)
            m0 = lk.metrics()
            w = Window(self.farm, lk.cpu).start()
            t0 = time.monotonic()
            requests, depths, sizes, bodies = [], [], [], []
            pace = a.duration / max(1, a.store_requests)
            next_depth = t0
            for i in range(a.store_requests):
                t = time.monotonic()
                status, body, seconds = timed_get(lk.port, path, 30.0)
                if status != 200:
                    raise HarnessError("GET %s... answered %d: %s" % (path[:60], status, body[:300]))
                requests.append(seconds)
                sizes.append(len(body))
                if i in (0, a.store_requests - 1):
                    bodies.append(body)
                # The queue depth every ~2 s, right after a GET (a scrape of /metrics with
                # 10,000 checks is itself work for the engine: not one per GET).
                if time.monotonic() >= next_depth:
                    depths.append(_store_gauges(lk.port)["lightkeeper_store_queue_depth"])
                    next_depth = time.monotonic() + 2.0
                sleep_bounded(max(0.0, t + pace - time.monotonic()), lk.check_alive)
            # The writes are measured over a window of at least --duration seconds.
            sleep_bounded(max(0.0, t0 + a.duration - time.monotonic()), lk.check_alive)
            m1 = lk.metrics()
            t1 = time.monotonic()
            w.stop()
            depths.append(m1["single"].get("lightkeeper_store_queue_depth", 0))
            rss, hwm = proc_mem_mb(lk.proc.pid)
        finally:
            self.procs.stop(lk.proc)
        written = m1["single"].get("lightkeeper_store_results_written_total", 0) - \
            m0["single"].get("lightkeeper_store_results_written_total", 0)
        write_rate = written / (t1 - t0)
        first, warm = requests[0], requests[1:] or requests[:1]
        q = quantiles(warm, (0.5, 0.95))
        shape = [_rollup_answer_shape(b) for b in bodies]
        res = m1["results"]
        bad = res.get("fail", 0) + res.get("unknown", 0) + res.get("warn", 0)
        r = {"checks": checks, "interval": interval_text, "demand": demand, "read_checks": read_checks,
             "seeded_days": days, "seeded_rows": seeded, "seed_s": seed_s, "db_mb_before_run": db_mb,
             "settle_s": settle,
             "window_s": t1 - t0, "results_written": written, "results_per_s": write_rate,
             "farm_rate": w.rate, "cpu_cores": w.cpu / w.seconds,
             "cpu_ms_per_result": w.cpu * 1000.0 / written if written else float("nan"),
             "rss_mb": rss, "hwm_mb": hwm, "false_failures": bad,
             "queue_depth_samples": depths, "queue_depth_max": max(depths), "queue_depth_end": depths[-1],
             "requests": len(requests), "request_s": requests, "first_request_s": first,
             "warm_median_s": q.get(0.5), "warm_p95_s": q.get(0.95), "answer_mb": sizes[-1] / 1e6,
             "answer_first": shape[0], "answer_last": shape[-1], "path_chars": len(path),
             "load_during": loadavg()}
        self.raw["lightkeeper_store"] = r
        self.rows.append(["lightkeeper store", write_rate, None, r["cpu_ms_per_result"], None, hwm,
                          "%d checks @%s (demand %.0f/s) writing; %d GETs of %d days x %d checks (%.1f MB): "
                          "median %s, p95 %s, first (cache cold) %s; queue depth max %d; %.2f cores"
                          % (checks, interval_text, demand, len(requests), days, read_checks, r["answer_mb"],
                             _ms(q.get(0.5)), _ms(q.get(0.95)), _ms(first), r["queue_depth_max"],
                             r["cpu_cores"])])
        # Kept current: the last answer's today holds more results than the first one's.
        current = shape[-1]["today_count"] > shape[0]["today_count"]
        complete = all(s["checks"] == read_checks and s["min_rows"] >= min(days, 89) + 1 for s in shape)
        # The queue does not grow: it stays within two seconds of writes (the writer commits at
        # least every second) and ends no deeper than that.
        bounded = max(depths) <= 2 * demand
        self.target("store: >= %.0f results/s sustained into SQLite with rollups current, while GET "
                    "/api/v1/rollups returns %d days of %d checks < %.0f ms (p95)"
                    % (rate, days, read_checks, TARGET_STORE_READ_S * 1000),
                    write_rate >= rate and bounded and current and complete and q.get(0.95) is not None
                    and q[0.95] < TARGET_STORE_READ_S,
                    "%.0f results/s written (demand %.0f/s), queue depth max %d; GET p95 %s, median %s over %d "
                    "(first, cache cold, %s); %d checks x >= %d rows per answer; today's results %d -> %d"
                    % (write_rate, demand, max(depths), _ms(q.get(0.95)), _ms(q.get(0.5)), len(warm), _ms(first),
                       shape[-1]["checks"], shape[-1]["min_rows"], shape[0]["today_count"],
                       shape[-1]["today_count"]))

    # -- statuspage: the public page under wrk, against nginx serving a static copy of it ----------
    def statuspage(self):
        a = self.args
        checks, components, groups, days = (a.statuspage_checks, a.statuspage_components, a.statuspage_groups,
                                            a.statuspage_days)
        interval_text = fmt_duration(max(0.1, a.statuspage_interval))
        interval = _parse_simple_duration(interval_text)
        timeout_text = fmt_duration(min(interval, 5.0))
        demand = checks / interval
        names = ["p%d" % i for i in range(checks)]
        lk = Lightkeeper(self.procs, a.binary, self.workdir, "statuspage")
        write_statuspage_config(lk.config, lk.storage, lk.port, checks, interval_text, timeout_text,
                                self.farm.ports(), components, groups, a.max_concurrency)

        # 1. A short first start creates and migrates the database and names this node's location.
        lk.start()
        try:
            lk.wait_started(checks, 60)
            poll_until(lambda: _store_gauges(lk.port)["lightkeeper_store_results_written_total"] > 0,
                       20, "the first results to be written to the store", interval=0.2)
        finally:
            self.procs.stop(lk.proc)
        # 2. `days` completed days of history at this interval's rate, and the last 23 hours (the
        #    status model reads both once at start: day bars and the 24-hour uptime).
        per_day = int(round(86400 / interval))
        seed_s, seeded = _seed_day_rollups(lk.storage, names, days, per_day=per_day, history=a.statuspage_history)
        hour_seed_s, hour_seeded = _seed_hour_rollups(lk.storage, names, 23, per_day // 24)
        db_mb = _db_mb(lk.storage)

        # 3. The run: the page once complete, a static copy in nginx, then wrk at both alternately.
        wrk_log = os.path.join(self.workdir, "wrk.log")
        static = None
        lk.start()
        try:
            lk.wait_started(checks, 120)
            poll_until(lambda: lk.check_alive() and _components_with_data(lk.port, "bench", components), 60,
                       "every component of the page to have a state and %d days of history" % days, interval=0.5)
            complete_s = time.monotonic() - lk.t_start
            # Past the start-up transient: every check has run at least once more.
            sleep_bounded(max(a.warmup, interval + 1.0), lk.check_alive)
            page = self._capture_page(lk)
            if page["shape"]["components"] != components or page["shape"]["no_data"]:
                raise HarnessError("the page shows %d components, %d of them without data (want %d, 0)"
                                   % (page["shape"]["components"], page["shape"]["no_data"], components))
            static = StaticSite(self.procs, self.workdir, a.statuspage_nginx_workers, self.farm.nofile)
            static.start(page["html"], page["html_gz"])
            versions = self._page_versions(lk, min(4.0, 2.0 * a.wrk_duration))
            runs = []
            for rnd in range(1, a.statuspage_rounds + 1):
                for coding in ("identity", "gzip"):
                    for side in ("nginx", "lightkeeper"):
                        print("   round %d, %s, %s" % (rnd, side, coding), flush=True)
                        runs.append(self._page_wrk(lk, static, side, coding, rnd, wrk_log))
            # A floor: the same server and connections on its cheapest route.
            print("   floor: lightkeeper /healthz", flush=True)
            floor = self._page_wrk(lk, static, "lightkeeper", "identity", 0, wrk_log, path="/healthz")
            rss, hwm = proc_mem_mb(lk.proc.pid)
            nginx_hwm = static.hwm_mb()
        finally:
            if static is not None and static.proc is not None:
                self.procs.stop(static.proc)
            self.procs.stop(lk.proc)
        # 4. The same page over other histories: its weight depends on how many days show trouble.
        weights = {a.statuspage_history: {k: page[k] for k in ("plain_bytes", "gzip_bytes", "br_bytes")}}
        weights[a.statuspage_history]["day_shapes"] = page["shape"]["day_shapes"]
        for history in a.statuspage_weigh_list:
            if history not in weights:
                print("   weighing the page over a %s history" % history, flush=True)
                weights[history] = self._weigh_page(lk, names, days, per_day, components, history)

        def best(side, coding):
            return max((r for r in runs if r["side"] == side and r["coding"] == coding), key=lambda r: r["rps"])

        lk_runs = [r for r in runs if r["side"] == "lightkeeper"]
        nginx_runs = [r for r in runs if r["side"] == "nginx"]
        verdicts = {}
        for coding in ("identity", "gzip"):
            n, l = best("nginx", coding), best("lightkeeper", coding)
            verdicts[coding] = {"nginx": n, "lightkeeper": l, "ratio": l["rps"] / n["rps"] if n["rps"] else 0.0}
        on_schedule = {
            "achieved_over_demand_min": min(r["check_rate"] for r in lk_runs) / demand,
            "achieved_over_demand_max": max(r["check_rate"] for r in lk_runs) / demand,
            "started_over_demand_min": min(r["started_per_s"] for r in lk_runs) / demand,
            "lateness_p99_max_s": max(r["lateness_p99_s"] for r in lk_runs),
            "lateness_max_s": max(r["lateness_max_s"] for r in lk_runs),
            "skipped": sum(r["skipped"] for r in lk_runs),
            "false_failures": sum(r["false_failures"] for r in runs + [floor]),
            "while_nginx_achieved_over_demand_min": min(r["check_rate"] for r in nginx_runs) / demand,
            "while_nginx_lateness_p99_max_s": max(r["lateness_p99_s"] for r in nginx_runs),
        }
        # Lightkeeper's CPU while nginx served: what the checks alone cost, to set apart from the page.
        monitor_cores = sum(r["lk_cpu_cores"] for r in nginx_runs) / len(nginx_runs)
        r = {"checks": checks, "interval": interval_text, "timeout": timeout_text, "demand": demand,
             "components": components, "groups": groups, "rule": "2 of %d" % (checks // components),
             "seeded_days": days, "seeded_rows": seeded, "seed_s": seed_s, "seeded_hour_rows": hour_seeded,
             "hour_seed_s": hour_seed_s, "db_mb_before_run": db_mb, "page_complete_after_start_s": complete_s,
             "page": {k: v for k, v in page.items() if k not in ("html", "html_gz")},
             "history": a.statuspage_history, "page_weight_by_history": weights,
             "page_versions": versions, "nginx_worker_processes": a.statuspage_nginx_workers,
             "wrk": {"threads": a.wrk_threads, "connections": a.wrk_connections, "seconds": a.wrk_duration,
                     "rounds": a.statuspage_rounds, "version": tool_version(["wrk", "-v"], "wrk")},
             "runs": runs, "floor_healthz": floor, "best": verdicts, "on_schedule": on_schedule,
             "lightkeeper_cores_checks_only": monitor_cores, "rss_mb": rss, "hwm_mb": hwm, "nginx_hwm_mb": nginx_hwm,
             "cpu_count": os.cpu_count(), "load_during": loadavg()}
        self.raw["lightkeeper_statuspage"] = r

        plain, gz = verdicts["identity"], verdicts["gzip"]
        pg = page
        self.rows.append(["nginx static page", None, None, None, None, nginx_hwm,
                          "saved copy of the page, worker_processes %d, gzip_static; wrk -t%d -c%d -d%ds: plain "
                          "%.0f req/s p99 %s, gzip %.0f req/s p99 %s (best of %d)"
                          % (a.statuspage_nginx_workers, a.wrk_threads, a.wrk_connections, a.wrk_duration,
                             plain["nginx"]["rps"], _ms(plain["nginx"]["p99"]), gz["nginx"]["rps"],
                             _ms(gz["nginx"]["p99"]), a.statuspage_rounds)])
        self.rows.append(["lightkeeper statuspage", sum(x["check_rate"] for x in lk_runs) / len(lk_runs), None, None,
                          None, hwm,
                          "%d checks @%s in %d components, %d days (%s); page %.1f KB (gzip %.1f KB%s): plain %.0f req/s "
                          "= %.2fx nginx, p99 %s; gzip %.0f req/s = %.2fx, p99 %s; /healthz floor %.0f req/s; "
                          "checks %.3f..%.3fx demand under load, lateness p99 %s"
                          % (checks, interval_text, components, days, a.statuspage_history, pg["plain_bytes"] / 1024.0,
                             pg["gzip_bytes"] / 1024.0,
                             ", br %.1f KB" % (pg["br_bytes"] / 1024.0) if pg.get("br_bytes") else "",
                             plain["lightkeeper"]["rps"], plain["ratio"], _ms(plain["lightkeeper"]["p99"]),
                             gz["lightkeeper"]["rps"], gz["ratio"], _ms(gz["lightkeeper"]["p99"]), floor["rps"],
                             on_schedule["achieved_over_demand_min"], on_schedule["achieved_over_demand_max"],
                             _ms(on_schedule["lateness_p99_max_s"]))])
        self.tables.append(("statuspage: every wrk run (-t%d -c%d, %d s; server CPU from /proc, of the process "
                            "(tree for nginx); other cores: the machine's busy cores not spent by Lightkeeper, "
                            "either nginx or wrk (other users of the shared machine, softirq not charged to a "
                            "process); checks/s counted at the farm)"
                            % (a.wrk_threads, a.wrk_connections, a.wrk_duration),
                            _render_wrk_table(runs + [floor], demand)))
        for coding, label in (("identity", "plain"), ("gzip", "Accept-Encoding: gzip")):
            v = verdicts[coding]
            l, n = v["lightkeeper"], v["nginx"]
            self.target("statuspage (%s): >= %.1fx nginx req/s on a static copy, p99 < %.0f ms at %d connections, "
                        "no errors" % (label, TARGET_PAGE_RATIO, TARGET_PAGE_P99_S * 1000, a.wrk_connections),
                        v["ratio"] >= TARGET_PAGE_RATIO and l["p99"] is not None and l["p99"] < TARGET_PAGE_P99_S
                        and l["errors"] == 0,
                        "%.2fx (%.0f vs %.0f req/s, best of %d); p99 %s (nginx %s); %d errors; Lightkeeper at %.2f "
                        "cores, %.0f CPU-us/req (nginx %.2f cores, %.0f CPU-us/req)"
                        % (v["ratio"], l["rps"], n["rps"], a.statuspage_rounds, _ms(l["p99"]), _ms(n["p99"]),
                           l["errors"], l["server_cores"], l["server_cpu_us_per_request"], n["server_cores"],
                           n["server_cpu_us_per_request"]))
        others = "; ".join("%s history: %.1f KB (gzip %.1f KB, %d day shapes)"
                           % (h, w["plain_bytes"] / 1024.0, w["gzip_bytes"] / 1024.0, w["day_shapes"])
                           for h, w in weights.items() if h != a.statuspage_history)
        self.target("statuspage: page < %.0f KB uncompressed, gzip when accepted" % TARGET_PAGE_KB,
                    pg["plain_bytes"] < TARGET_PAGE_KB * 1024 and pg["gzip_encoding"] == "gzip",
                    "%s history: %.1f KB plain, %.1f KB gzip (%s), %s with Accept-Encoding: br; %d components, "
                    "%d..%d day bars, %d day shapes%s"
                    % (a.statuspage_history, pg["plain_bytes"] / 1024.0, pg["gzip_bytes"] / 1024.0,
                       pg["gzip_encoding"] or "not compressed",
                       "%.1f KB br" % (pg["br_bytes"] / 1024.0) if pg["br_encoding"] == "br" else "no br",
                       pg["shape"]["components"], pg["shape"]["min_days"], pg["shape"]["max_days"],
                       pg["shape"]["day_shapes"], ("; " + others) if others else ""))
        o = on_schedule
        self.target("statuspage: checks on schedule while the page is served (achieved/demand within %.0f%%, "
                    "lateness p99 < %.0f ms, nothing skipped, no false failures)" % (TARGET_DRIFT * 100, TARGET_P99_S * 1000),
                    abs(o["achieved_over_demand_min"] - 1) <= TARGET_DRIFT
                    and abs(o["achieved_over_demand_max"] - 1) <= TARGET_DRIFT
                    and o["lateness_p99_max_s"] < TARGET_P99_S and o["skipped"] == 0 and o["false_failures"] == 0,
                    "%.0f checks/s due: %.3f..%.3fx achieved in the Lightkeeper windows; lateness p99 %s (worst), "
                    "max %s; %d skipped; %d false failures" % (demand, o["achieved_over_demand_min"],
                                                                o["achieved_over_demand_max"], _ms(o["lateness_p99_max_s"]),
                                                                _ms(o["lateness_max_s"]), o["skipped"], o["false_failures"]))

    def _weigh_page(self, lk, names, days, per_day, components, history):
        """Reseeds the day rollups with `history`, restarts Lightkeeper and weighs GET / once complete."""
        _seed_day_rollups(lk.storage, names, days, per_day=per_day, history=history)
        lk.start()
        try:
            lk.wait_started(len(names), 120)
            poll_until(lambda: lk.check_alive() and _components_with_data(lk.port, "bench", components), 60,
                       "every component of the page to have a state and history", interval=0.5)
            page = self._capture_page(lk, "page-%s.html" % history)
        finally:
            self.procs.stop(lk.proc)
        return {"plain_bytes": page["plain_bytes"], "gzip_bytes": page["gzip_bytes"], "br_bytes": page["br_bytes"],
                "day_shapes": page["shape"]["day_shapes"]}

    def _capture_page(self, lk, name="page.html"):
        """GET / plain, with gzip and with br. The static copy is the gzip answer and its
        decompressed bytes: the same version of the page in both files."""
        status, plain_headers, plain = http_fetch(lk.port, "/", timeout=30.0)
        if status != 200:
            raise HarnessError("GET / answered %d: %r" % (status, plain[:200]))
        _, gz_headers, gz = http_fetch(lk.port, "/", {"Accept-Encoding": "gzip"}, timeout=30.0)
        _, br_headers, br = http_fetch(lk.port, "/", {"Accept-Encoding": "br"}, timeout=30.0)
        gz_encoding, br_encoding = gz_headers.get("content-encoding"), br_headers.get("content-encoding")
        html = gzip.decompress(gz) if gz_encoding == "gzip" else plain
        html_gz = gz if gz_encoding == "gzip" else gzip.compress(plain, 6)
        with open(os.path.join(lk.dir, name), "wb") as f:
            f.write(plain)
        return {"html": html, "html_gz": html_gz, "plain_bytes": len(plain), "gzip_bytes": len(gz),
                "br_bytes": len(br) if br_encoding == "br" else None, "gzip_encoding": gz_encoding,
                "br_encoding": br_encoding, "static_copy_bytes": len(html), "static_copy_gz_bytes": len(html_gz),
                "content_type": plain_headers.get("content-type"), "cache_control": plain_headers.get("cache-control"),
                "etag": plain_headers.get("etag"), "vary": gz_headers.get("vary"), "shape": _page_shape(plain)}

    def _page_versions(self, lk, seconds):
        """How often the page's bytes change at light load: ETags of GET / every 0.25 s. Each
        change is a render and a compression that the next requests wait for."""
        tags, bodies, fresh, again = [], [], [], []
        end = time.monotonic() + seconds
        for _ in range(int(seconds / 0.25) + 5):
            if time.monotonic() >= end:
                break
            t = time.monotonic()
            status, headers, body = http_fetch(lk.port, "/", {"Accept-Encoding": "gzip"}, timeout=10.0)
            first_s = time.monotonic() - t
            tags.append(headers.get("etag") if status == 200 else "status %d" % status)
            if len(bodies) < 2 and (not bodies or tags[-1] != tags[-2]):
                bodies.append(gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body)
            # At once the same request again: the page cache's answer, to set the first one against
            # (which, when its version is new, also waited for the render and the compression).
            t2 = time.monotonic()
            _, headers2, _ = http_fetch(lk.port, "/", {"Accept-Encoding": "gzip"}, timeout=10.0)
            if len(tags) < 2 or tags[-1] != tags[-2]:
                fresh.append(first_s)
                if headers2.get("etag") == tags[-1]:
                    again.append(time.monotonic() - t2)
            sleep_bounded(max(0.0, t + 0.25 - time.monotonic()), lk.check_alive)
        changes = sum(1 for x, y in zip(tags, tags[1:]) if x != y)
        out = {"samples": len(tags), "seconds": seconds, "distinct": len(set(tags)), "changes": changes,
               "changes_per_s": changes / seconds,
               "new_version_get_median_s": quantiles(fresh, (0.5,)).get(0.5),
               "same_version_get_median_s": quantiles(again, (0.5,)).get(0.5)}
        if len(bodies) == 2:
            # What changed between the first two versions: the text around each run of differing bytes.
            a, b = bodies[0].decode("utf-8", "replace"), bodies[1].decode("utf-8", "replace")
            diffs, i = [], 0
            for _ in range(5):
                while i < min(len(a), len(b)) and a[i] == b[i]:
                    i += 1
                if i >= min(len(a), len(b)):
                    break
                diffs.append("%r -> %r" % (a[max(0, i - 40):i + 40], b[max(0, i - 40):i + 40]))
                i += 200
            out["first_differences"] = diffs
        return out

    def _page_wrk(self, lk, static, side, coding, rnd, log, path="/"):
        """One wrk window at one server; around it, the farm's count of checks, the CPU of both
        servers and Lightkeeper's /metrics (runs started and skipped, lateness, results)."""
        a = self.args
        port = static.port if side == "nginx" else lk.port
        server_cpu = static.cpu if side == "nginx" else lk.cpu
        headers = ["Accept-Encoding: gzip"] if coding == "gzip" else []
        m0 = lk.metrics()
        t0, r0, _ = self.farm.sample()
        s0, l0, th0, us0 = server_cpu(), lk.cpu(), thread_cpu(lk.proc.pid), proc_user_sys(lk.proc.pid)
        b0, f0, n0 = machine_busy_s(), self.farm.cpu(), static.cpu()
        res = run_wrk(self.procs, log, port, path, a.wrk_threads, a.wrk_connections, a.wrk_duration, headers,
                      alive=lambda: lk.alive() and static.proc.poll() is None)
        s1, l1, th1, us1 = server_cpu(), lk.cpu(), thread_cpu(lk.proc.pid), proc_user_sys(lk.proc.pid)
        b1, f1, n1 = machine_busy_s(), self.farm.cpu(), static.cpu()
        t1, r1, _ = self.farm.sample()
        lk.check_alive()
        m1 = lk.metrics()
        seconds = t1 - t0

        def delta(name):
            return m1["single"].get(name, 0) - m0["single"].get(name, 0)

        def bad(m):
            return sum(m["results"].get(k, 0) for k in ("fail", "unknown", "warn"))

        res.update({"round": rnd, "side": side, "coding": coding, "path": path, "window_s": seconds,
                    "server_cores": (s1 - s0) / seconds,
                    "server_cpu_us_per_request": (s1 - s0) * 1e6 / res["requests"] if res["requests"] else None,
                    "wrk_cores": res["wrk_cpu_s"] / seconds, "lk_cpu_cores": (l1 - l0) / seconds,
                    # Everything else on the (shared) machine: the busy cores not spent by
                    # Lightkeeper, either nginx or wrk. Well above 0, the window was disturbed.
                    "machine_busy_cores": (b1 - b0) / seconds,
                    "other_cores": max(0.0, (b1 - b0) - (l1 - l0) - (n1 - n0) - (f1 - f0) - res["wrk_cpu_s"]) / seconds,
                    "loadavg_after": loadavg().split()[0],
                    "check_rate": (r1 - r0) / seconds,
                    "started_per_s": delta("lightkeeper_checks_started_total") / seconds,
                    "skipped": delta("lightkeeper_checks_skipped_total"),
                    "results_written_per_s": delta("lightkeeper_store_results_written_total") / seconds,
                    "false_failures": bad(m1) - bad(m0),
                    "lateness_p99_s": m1["lateness"].get("0.99"),
                    "lateness_max_s": m1["single"].get("lightkeeper_scheduler_lateness_max_seconds"),
                    "metrics_scrape_after_s": m1["_scrape_s"],
                    # Lightkeeper's busiest threads (they are not named): one near 1.0 is a serial
                    # stage (the HTTP event loop, a render) that more cores would not help.
                    "lk_busiest_threads_cores": sorted((round((th1[t] - th0.get(t, 0.0)) / seconds, 3)
                                                        for t in th1), reverse=True)[:5],
                    "lk_threads": len(th1),
                    "lk_user_cores": (us1[0] - us0[0]) / seconds, "lk_sys_cores": (us1[1] - us0[1]) / seconds})
        return res

    # -- peers -----------------------------------------------------------------------------------
    def blackbox(self):
        a = self.args
        exe = shutil.which("prometheus-blackbox-exporter") or shutil.which("blackbox_exporter")
        curl = shutil.which("curl")
        if not exe or not curl:
            self.rows.append(["blackbox_exporter", None, None, None, None, None,
                              "not installed" if not exe else "curl not installed (drives the probes)"])
            return
        d = os.path.join(self.workdir, "blackbox")
        os.makedirs(d, exist_ok=True)
        conf = os.path.join(d, "blackbox.yml")
        with open(conf, "w") as f:
            f.write("modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n    http:\n"
                    "      preferred_ip_protocol: ip4\n      valid_status_codes: [200]\n")
        port = free_port()
        p = self.procs.start("blackbox_exporter", [exe, "--config.file=" + conf,
                                                    "--web.listen-address=%s:%d" % (HOST, port)],
                             log_path=os.path.join(d, "blackbox.log"))
        driver = None
        try:
            poll_until(lambda: p.poll() is None and http_get(port, "/metrics", 1.0)[0] == 200, 20,
                       "blackbox_exporter to answer /metrics", interval=0.1)
            total = int(min(a.blackbox_max_requests, 4000 * (a.duration + a.warmup + 5)))
            ports = self.farm.ports()
            urls = os.path.join(d, "urls.txt")
            with open(urls, "w") as f:
                for i in range(total):
                    f.write('url = "http://%s:%d/probe?module=http_2xx&target=%s:%d"\noutput = "/dev/null"\n'
                            % (HOST, port, HOST, ports[i % len(ports)]))
            driver = self.procs.start("curl", [curl, "-s", "--no-progress-meter", "-Z", "--parallel-max", str(a.ab_concurrency),
                                               "--max-time", "10", "-K", urls], log_path=os.path.join(d, "curl.log"))
            sleep_bounded(a.warmup, lambda: p.poll() is None)
            w = Window(self.farm, lambda: tree_cpu(p.pid)).start()
            sleep_bounded(a.duration, lambda: p.poll() is None)
            w.stop()
            if driver.poll() is not None:
                self.notes.append("blackbox: the curl driver ran out of URLs before the window ended")
            rss, hwm = proc_mem_mb(p.pid)
        finally:
            self.procs.stop(driver)
            self.procs.stop(p)
        r = {"rate": w.rate, "requests": w.requests, "cpu_ms_per_check": w.cpu * 1000.0 / w.requests if w.requests else
             float("nan"), "rss_mb": rss, "hwm_mb": hwm, "nginx_cpu_share": w.nginx_cpu_share,
             "version": tool_version([exe, "--version"])}
        self.raw["blackbox_exporter"] = r
        ab = self.ceiling
        self.rows.append(["blackbox_exporter", r["rate"], r["rate"] / ab["rate"], r["cpu_ms_per_check"],
                          r["cpu_ms_per_check"] / ab["cpu_ms_per_check"], hwm,
                          "driven by curl --parallel (%d) on /probe; failures not counted" % a.ab_concurrency])

    def icinga(self):
        a = self.args
        exe = shutil.which("icinga2")
        plugin = "/usr/lib/nagios/plugins/check_http"
        if not exe or not os.access(plugin, os.X_OK):
            self.rows.append(["icinga2 + check_http", None, None, None, None, None,
                              "not installed" if not exe else "monitoring-plugins not installed"])
            return
        d = os.path.join(self.workdir, "icinga2")
        for sub in ("etc", "lib", "log", "cache", "spool", "run"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        interval = max(1.0, a.interval)
        services = a.ports
        conf = os.path.join(d, "etc", "icinga2.conf")
        with open(conf, "w") as f:
            f.write('const PluginDir = "/usr/lib/nagios/plugins"\nconst NodeName = "bench"\nconst ZoneName = "bench"\n'
                    'include <itl>\ninclude <plugins>\n'
                    'object CheckerComponent "checker" { }\n'
                    'object Host "farm" { check_command = "dummy"; enable_active_checks = false; address = "127.0.0.1" }\n'
                    'template Service "bench" {\n  max_check_attempts = 1\n  check_interval = %s\n  retry_interval = %s\n'
                    '  enable_perfdata = false\n  enable_notifications = false\n  enable_flapping = false\n'
                    '  enable_event_handler = false\n}\n' % (fmt_duration(interval), fmt_duration(interval)))
            for i, port in enumerate(self.farm.ports()[:services]):
                f.write('object Service "p%d" { import "bench"; host_name = "farm"; check_command = "http"; '
                        'vars.http_address = "127.0.0.1"; vars.http_port = %d; vars.http_uri = "/" }\n' % (i, port))
        user = "root" if os.getuid() == 0 else os.environ.get("USER", "nobody")
        defines = []
        for key, sub in (("DataDir", "lib"), ("LogDir", "log"), ("CacheDir", "cache"), ("SpoolDir", "spool"),
                         ("InitRunDir", "run")):
            defines += ["-D", "Configuration.%s=%s" % (key, os.path.join(d, sub))]
        defines += ["-D", "Configuration.PidPath=%s" % os.path.join(d, "run", "icinga2.pid"),
                    "-D", "Configuration.RunAsUser=%s" % user, "-D", "Configuration.RunAsGroup=%s" % user,
                    "-D", "Configuration.ConfigDir=%s" % os.path.join(d, "etc")]
        p = self.procs.start("icinga2", [exe, "daemon", "-c", conf, "-x", "warning"] + defines,
                             log_path=os.path.join(d, "icinga2.log"))
        try:
            # Icinga spreads the first checks over the interval: warm up for one interval plus 2 s.
            w0 = self.farm.sample()
            poll_until(lambda: p.poll() is None and self.farm.sample()[1] > w0[1] + services // 2, 120,
                       "icinga2 to start checking (%s)" % _tail(os.path.join(d, "icinga2.log")), interval=0.5)
            sleep_bounded(interval + 2.0, lambda: p.poll() is None)
            w = Window(self.farm, lambda: tree_cpu(p.pid)).start()
            sleep_bounded(a.duration, lambda: p.poll() is None)
            w.stop()
            hwm = sum((proc_mem_mb(q)[1] or 0) for q in proc_tree(p.pid))
        finally:
            self.procs.stop(p, term_timeout=20)
        demand = services / interval
        r = {"services": services, "interval": fmt_duration(interval), "demand": demand, "rate": w.rate,
             "requests": w.requests, "cpu_ms_per_check": w.cpu * 1000.0 / w.requests if w.requests else float("nan"),
             "hwm_mb": hwm, "nginx_cpu_share": w.nginx_cpu_share, "version": tool_version([exe, "--version"], "version")}
        self.raw["icinga2"] = r
        ab = self.ceiling
        self.rows.append(["icinga2 + check_http", r["rate"], r["rate"] / ab["rate"], r["cpu_ms_per_check"],
                          r["cpu_ms_per_check"] / ab["cpu_ms_per_check"], hwm,
                          "%d services @%s (demand %.0f/s); CPU of the process tree incl. plugins; failures not counted"
                          % (services, r["interval"], demand)])

    # -- bookkeeping -----------------------------------------------------------------------------
    def target(self, name, ok, detail):
        self.targets.append((name, "PASS" if ok else "MISS", detail))


def timed_get(port, path, timeout):
    """(status, body, seconds) of one GET on a fresh connection, timed from connect to the last
    byte: a raw socket reading into one buffer, so the client adds as little as it can."""
    t = time.monotonic()
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (path, HOST)).encode())
        head = b""
        for _ in range(1000):
            chunk = sock.recv(65536)
            if not chunk:
                break
            head += chunk
            if b"\r\n\r\n" in head:
                break
        header, _, rest = head.partition(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = None
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        if length is None:
            raise HarnessError("GET %s...: no Content-Length in the answer" % path[:60])
        body = bytearray(length)
        view = memoryview(body)
        got = min(len(rest), length)
        view[:got] = rest[:got]
        for _ in range(length // 4096 + 1000):
            if got >= length:
                break
            n = sock.recv_into(view[got:])
            if n == 0:
                raise HarnessError("GET %s...: connection closed after %d of %d bytes" % (path[:60], got, length))
            got += n
        seconds = time.monotonic() - t
    return status, body, seconds


def _wrk_seconds(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not m:
        return None
    return float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}[m.group(2)]


def parse_wrk(text):
    """Requests/s, latency quantiles (--latency), volume and errors from wrk's report."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+)(B|KB|MB|GB|TB) read", text)
    if not rps or not total:
        raise HarnessError("unreadable wrk output: %s" % text.strip()[-400:])
    out = {"rps": float(rps.group(1)), "requests": int(total.group(1)), "seconds": _wrk_seconds(total.group(2)),
           "read_mb": float(total.group(3)) * {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3,
                                                "TB": 1024 ** 4}[total.group(4)] / 1e6}
    for q in ("50", "75", "90", "99"):
        m = re.search(r"^\s*%s%%\s+(\S+)\s*$" % q, text, re.MULTILINE)
        out["p" + q] = _wrk_seconds(m.group(1)) if m else None
    lat = re.search(r"^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)", text, re.MULTILINE)
    out["avg"], out["max"] = (_wrk_seconds(lat.group(1)), _wrk_seconds(lat.group(3))) if lat else (None, None)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"), map(int, sock.groups()))) if sock \
        else {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non_2xx_3xx"] = int(non2xx.group(1)) if non2xx else 0
    out["errors"] = out["non_2xx_3xx"] + sum(out["socket_errors"].values())
    return out


def run_wrk(procs, log, port, path, threads, connections, seconds, headers=(), alive=None):
    """Runs `wrk --latency` to the end and returns its parsed report plus its own CPU seconds
    (from wait4()). `alive` is polled meanwhile: the server under test must not exit."""
    argv = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--latency"]
    for h in headers:
        argv += ["-H", h]
    argv.append("http://%s:%d%s" % (HOST, port, path))
    with open(log, "ab") as f:
        f.write(("\n$ %s\n" % " ".join(argv)).encode())
    offset = os.path.getsize(log)
    p = procs.start("wrk", argv, log_path=log)
    deadline = time.monotonic() + seconds + 30
    status = rusage = None
    try:
        for _ in range(int((seconds + 30) / 0.05) + 10):
            pid, st, ru = os.wait4(p.pid, os.WNOHANG)
            if pid == p.pid:
                status, rusage = st, ru
                p.returncode = os.waitstatus_to_exitcode(st)
                break
            if time.monotonic() > deadline:
                break
            if alive is not None and not alive():
                raise EngineDied("the server under wrk exited")
            time.sleep(0.05)
    finally:
        if status is None:
            procs.stop(p)
        else:
            procs.items = [it for it in procs.items if it[1] is not p]
    if status is None:
        raise HarnessError("wrk did not finish within %d s" % (seconds + 30))
    with open(log, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    if p.returncode != 0:
        raise HarnessError("wrk failed (exit %s): %s" % (p.returncode, text.strip()[-400:]))
    out = parse_wrk(text)
    out["wrk_cpu_s"] = rusage.ru_utime + rusage.ru_stime
    return out


def _page_shape(html):
    """What a rendered status page shows: components, how many say "No data", day bars per
    component (from each bar's aria-label, "90-day uptime 99.98%, ...")."""
    text = html.decode("utf-8", "replace")
    bars = [int(n) for n in re.findall(r'aria-label="(\d+)-day uptime', text)]
    start = text.find('<li><div class="r">')
    section = text[start:] if start >= 0 else ""
    return {"components": text.count('<li><div class="r">'), "no_data": text.count('class="st s-nd"'),
            "bars": len(bars), "min_days": min(bars) if bars else 0, "max_days": max(bars) if bars else 0,
            "day_shapes": section.count('<path class="d') + section.count('<rect x='),
            "bytes_before_components": start}


def _render_wrk_table(runs, demand):
    head = ["round", "server", "encoding", "path", "req/s", "p50", "p99", "max", "errors", "server cores",
            "CPU-us/req", "wrk cores", "other cores", "checks/s (x demand)", "lateness p99", "skipped"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i < 4 else "---:" for i in range(len(head))) + "|"]
    for r in runs:
        lines.append("| " + " | ".join(md(x) for x in (
            r["round"] or "floor", r["side"], "gzip" if r["coding"] == "gzip" else "plain", r["path"], "%.0f" % r["rps"],
            _ms(r["p50"]), _ms(r["p99"]), _ms(r["max"]), r["errors"], "%.2f" % r["server_cores"],
            "%.0f" % r["server_cpu_us_per_request"] if r["server_cpu_us_per_request"] else "-", "%.2f" % r["wrk_cores"],
            "%.2f" % r["other_cores"], "%.0f (%.3f)" % (r["check_rate"], r["check_rate"] / demand), _ms(r["lateness_p99_s"]), "%d" % r["skipped"])) + " |")
    return "\n".join(lines)


def _components_with_data(port, page, want):
    """True when the API lists `want` components on `page`, each with a state and a 90-day uptime."""
    status, body = http_get(port, "/api/v1/components?page=" + page, 5.0)
    if status != 200:
        return False
    components = json.loads(body)["components"]
    ready = [c for c in components if c.get("state") != "no_data" and (c.get("uptime") or {}).get("90d") is not None]
    return len(components) == want and len(ready) == want


def _store_gauges(port):
    """The store's queue depth and results written, read from /metrics without parsing all of it."""
    status, body = http_get(port, "/metrics", 30.0)
    if status != 200:
        raise HarnessError("/metrics answered %d" % status)
    out = {}
    for name in ("lightkeeper_store_queue_depth", "lightkeeper_store_results_written_total"):
        m = re.search(rb"^" + name.encode() + rb" (\S+)$", body, re.MULTILINE)
        out[name] = float(m.group(1)) if m else float("nan")
    return out


def _db_mb(path):
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p)) / 1e6


def _histogram_blob(counts):
    """A latency histogram in the store's format (src/store/sqlite/histogram.hpp): a format
    byte 1, then per non-empty bucket its index and LEB128 count."""
    out = bytearray([1])
    for bucket, count in sorted(counts.items()):
        out.append(bucket)
        while count >= 0x80:
            out.append((count & 0x7f) | 0x80)
            count >>= 7
        out.append(count)
    return bytes(out)


SEED_HISTORIES = ("flaky", "calm", "clean")


def _seed_day_rollups(db_path, names, days, per_day=864000, history="flaky"):
    """Writes `days` completed UTC days of day rollups (resolution 2) for each check in `names`,
    `per_day` results a day (864,000: a check every 100 ms), at the location the first start
    wrote its results from; returns (seconds, rows). Rows already there are replaced.

    `history`, per check and day: "flaky" (the store scenario's): failures on 1 day in 3 (3 or
    120 results) and 0 to 9 warnings on 9 days in 10; "calm": an outage of ~0.3% of the day's
    results on 1 day in 50 and 3 warnings on 1 day in 50; "clean": neither."""
    import sqlite3
    t = time.monotonic()
    db = sqlite3.connect(db_path, timeout=30)
    try:
        row = db.execute("SELECT name FROM locations ORDER BY id LIMIT 1").fetchone()
        location = row[0] if row else "local"
        with db:
            db.execute("INSERT OR IGNORE INTO locations (name) VALUES (?)", (location,))
            db.executemany("INSERT OR IGNORE INTO checks (name) VALUES (?)", [(n,) for n in names])
        location_id = db.execute("SELECT id FROM locations WHERE name = ?", (location,)).fetchone()[0]
        ids = dict(db.execute("SELECT name, id FROM checks"))
        today_ms = int(time.time() // 86400) * 86400 * 1000
        rng = random.Random(3)
        rows = []
        for name in names:
            for d in range(1, days + 1):
                count = per_day
                failures = rng.choice((0, 0, 0, 0, 3, 120))
                # Latencies of 1.5 to 25 ms: buckets 10..19, most of them in the middle.
                counts, left = {}, count
                for bucket, share in ((10, 0.05), (11, 0.15), (12, 0.3), (13, 0.25), (14, 0.12), (15, 0.06),
                                      (16, 0.03), (17, 0.02), (18, 0.01)):
                    counts[bucket] = int(count * share)
                    left -= counts[bucket]
                counts[19] = left
                warnings = rng.randint(0, 9)
                lat_sum = count * (3.0 + rng.random())
                if history == "calm":
                    failures = max(1, count // 300) if rng.random() < 0.02 else 0
                    warnings = 3 if rng.random() < 0.02 else 0
                elif history == "clean":
                    failures = warnings = 0
                rows.append((ids[name], 2, today_ms - d * 86400000, location_id, count, failures, warnings,
                             1.5, lat_sum, 25.0, _histogram_blob(counts)))
        with db:
            db.executemany("INSERT OR REPLACE INTO rollups (check_id, resolution, bucket, location_id, count, "
                           "failures, warnings, lat_min_ms, lat_sum_ms, lat_max_ms, histogram) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    finally:
        db.close()
    return time.monotonic() - t, len(rows)


def _seed_hour_rollups(db_path, names, hours, per_hour):
    """Writes the `hours` completed hours before the current one as hour rollups (resolution 1),
    `per_hour` results each and no failure: what the status model reads for the 24-hour uptime.
    Call after _seed_day_rollups (which names the location); returns (seconds, rows)."""
    import sqlite3
    t = time.monotonic()
    db = sqlite3.connect(db_path, timeout=30)
    try:
        location_id = db.execute("SELECT id FROM locations ORDER BY id LIMIT 1").fetchone()[0]
        ids = dict(db.execute("SELECT name, id FROM checks"))
        hour_ms = int(time.time() // 3600) * 3600 * 1000
        blob = _histogram_blob({12: per_hour // 2, 13: per_hour - per_hour // 2})
        rows = [(ids[name], 1, hour_ms - h * 3600000, location_id, per_hour, 0, 0, 2.0, per_hour * 3.5, 9.0, blob)
                for name in names for h in range(1, hours + 1)]
        with db:
            db.executemany("INSERT OR REPLACE INTO rollups (check_id, resolution, bucket, location_id, count, "
                           "failures, warnings, lat_min_ms, lat_sum_ms, lat_max_ms, histogram) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    finally:
        db.close()
    return time.monotonic() - t, len(rows)


def _rollup_answer_shape(body):
    """What one GET /api/v1/rollups answer held: checks, fewest rows per check, and the sum of
    today's counts (which must grow while results are written)."""
    j = json.loads(body)
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT00:00:00.000Z")
    col = {name: i for i, name in enumerate(j["columns"])}
    rows = [len(c["rows"]) for c in j["checks"]]
    return {"checks": len(j["checks"]), "min_rows": min(rows) if rows else 0,
            "today_count": sum(r[col["count"]] for c in j["checks"] for r in c["rows"]
                               if r[col["bucket"]] == today)}


def _parse_simple_duration(text):
    m = re.fullmatch(r"(\d+)(ms|s|h)", text)
    return int(m.group(1)) * {"ms": 0.001, "s": 1.0, "h": 3600.0}[m.group(2)]


def _ms(seconds):
    return "n/a" if seconds is None else "%.1f ms" % (seconds * 1000.0)


def _x(v):
    return "n/a" if v is None else "%.2f" % v


def _k(n):
    if n >= 1000000 and n % 1000000 == 0:
        return "%dM" % (n // 1000000)
    return "%dk" % (n // 1000) if n >= 1000 and n % 1000 == 0 else str(n)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

def md(text):
    """A table cell: pipes escaped, one line."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_table(rows):
    head = ["engine / scenario", "checks/s", "x ab", "CPU-ms/check", "x ab", "RSS MB", "notes"]

    def cell(v, kind):
        if v is None:
            return "-"
        if kind == "rate":
            return "%.0f" % v
        if kind == "ratio":
            return "%.2f" % v
        if kind == "cpu":
            return "%.3f" % v
        if kind == "mb":
            return "%.0f" % v
        return str(v)

    kinds = ["str", "rate", "ratio", "cpu", "ratio", "mb", "str"]
    body = [[md(cell(v, k)) for v, k in zip(r, kinds)] for r in rows]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i in (0, 6) else "---:" for i in range(7)) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


RESULTS_HEADER = """# Benchmark results

Appended by `bench/harness.py` (entry: `bench/run.sh`), newest last. Every figure is measured
from outside the engines (requests counted by the nginx farm's `stub_status`, CPU and RSS from
`/proc`) and compared with `ab` measured in the same run on the same machine: compare ratios
across runs, not bare numbers.

Rerun:

```sh
bench/run.sh                          # defaults: --ports 1000 --duration 15, all scenarios
bench/run.sh --scenarios throughput,accuracy --ports 500 --duration 10
bench/run.sh --with-peers             # also installs and runs blackbox_exporter and Icinga 2
bench/run.sh --binary build/lightkeeper --smoke   # the CI smoke run (results to a temp file)
```
"""


def render_section(bench, meta):
    out = ["", "## %s — %s" % (meta["date"], meta["title"]), ""]
    out.append("- machine: %s CPU(s), load average before `%s`, after `%s`" % (meta["nproc"], meta["load_before"],
                                                                              meta["load_after"]))
    out.append("- versions: %s" % "; ".join(meta[k] for k in ("lightkeeper", "nginx", "ab", "wrk") if meta.get(k)))
    out.append("- parameters: `%s`" % meta["params"])
    out.append("- harness wall time: %.0f s" % meta["wall_s"])
    out.append("")
    out.append(render_table(bench.rows))
    out.append("")
    for title, table in bench.tables:
        out.extend(["%s:" % title, "", table, ""])
    out.append("| target | verdict | measured |")
    out.append("|---|---|---|")
    for name, verdict, detail in bench.targets:
        out.append("| %s | **%s** | %s |" % (md(name), verdict, md(detail)))
    if bench.notes:
        out.append("")
        out.extend("- note: " + n for n in bench.notes)
    out.append("")
    out.append("<details><summary>raw numbers</summary>")
    out.append("")
    out.append("```json")
    out.append(json.dumps(bench.raw, indent=1, sort_keys=True, default=str))
    out.append("```")
    out.append("</details>")
    out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", default=os.environ.get("LIGHTKEEPER_BINARY", os.path.join(ROOT, "build", "lightkeeper")))
    p.add_argument("--ports", type=int, default=1000, help="farm ports (one per check target)")
    p.add_argument("--interval", type=float, default=1.0,
                   help="check interval (s) of the throughput and accuracy phases; the number of checks is "
                        "chosen from it so demand is 2x (throughput) or 0.5x (accuracy) the ceiling")
    p.add_argument("--duration", type=int, default=15, help="seconds of each measurement window")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--scenarios", default="throughput,accuracy,scale,reload,store,statuspage",
                   help="comma list of throughput, accuracy, scale, reload, store, statuspage, million, peers "
                        "(default: all but 'million' and 'peers' are implied by scale and by installed peers)")
    p.add_argument("--smoke", action="store_true",
                   help="tiny run for CI: 20 ports, 3 s, scale with 2,000 checks, no 1M, results to a temp file")
    p.add_argument("--results", help="file to append results to (default bench/RESULTS.md)")
    p.add_argument("--ab-concurrency", type=int, default=64)
    p.add_argument("--max-concurrency", type=int, default=2000, help="Lightkeeper's max_concurrency")
    p.add_argument("--max-checks", type=int, default=100000, help="cap on checks in the throughput/accuracy configs")
    p.add_argument("--scale-checks", type=int, default=100000)
    p.add_argument("--scale-settle", type=float, default=75.0,
                   help="RSS is read this long after the start (past one 60 s interval: every check has run)")
    p.add_argument("--million-checks", type=int, default=1000000)
    p.add_argument("--million-timeout", type=float, default=300.0)
    p.add_argument("--million-run", type=float, default=10.0)
    p.add_argument("--store-rate", type=float, default=10000.0,
                   help="store: results/s to sustain (checks at --interval, demand 5%% above this)")
    p.add_argument("--store-checks", type=int, default=1000,
                   help="store: checks with seeded history that the API is asked for")
    p.add_argument("--store-days", type=int, default=90, help="store: days of day rollups seeded per check")
    p.add_argument("--store-requests", type=int, default=20,
                   help="store: GETs of /api/v1/rollups, spread over --duration while the writes go on")
    p.add_argument("--statuspage-checks", type=int, default=1000, help="statuspage: http checks on the page")
    p.add_argument("--statuspage-components", type=int, default=40,
                   help="statuspage: components, each of an equal share of the checks (rule `2 of N`)")
    p.add_argument("--statuspage-groups", type=int, default=8, help="statuspage: groups the components are listed in")
    p.add_argument("--statuspage-interval", type=float, default=1.0,
                   help="statuspage: check interval (s); 1,000 checks at 1 s keep the monitor busy but far from its "
                        "ceiling, and its lateness window (the last 4,096 runs) then covers about one wrk window")
    p.add_argument("--statuspage-days", type=int, default=90, help="statuspage: days of day rollups seeded per check")
    p.add_argument("--statuspage-history", default="flaky", choices=SEED_HISTORIES,
                   help="statuspage: the seeded history wrk is run on (flaky: the store scenario's, trouble on most "
                        "days; calm: failures on 1 check-day in 50, warnings on 1 in 50; clean: none)")
    p.add_argument("--statuspage-weigh", default="calm,clean",
                   help="statuspage: other histories the page is only weighed with (a restart each, no wrk); "
                        "empty for none")
    p.add_argument("--statuspage-rounds", type=int, default=2,
                   help="statuspage: rounds of nginx, Lightkeeper (plain, then gzip); the best round of each counts")
    p.add_argument("--statuspage-nginx-workers", type=int, default=2,
                   help="statuspage: worker_processes of the static nginx (the cores both servers share with wrk)")
    p.add_argument("--wrk-threads", type=int, default=2, help="statuspage: wrk -t")
    p.add_argument("--wrk-connections", type=int, default=100, help="statuspage: wrk -c")
    p.add_argument("--wrk-duration", type=int, default=10, help="statuspage: seconds of each wrk window")
    p.add_argument("--no-million", action="store_true", help="skip the 1,000,000-check run")
    p.add_argument("--no-peers", action="store_true", help="skip blackbox_exporter and Icinga 2 even when installed")
    p.add_argument("--blackbox-max-requests", type=int, default=200000)
    p.add_argument("--rss-guard-mb", type=float, default=4096.0,
                   help="a Lightkeeper process past this RSS (or half of MemAvailable) is stopped and reported")
    p.add_argument("--budget", type=float, default=3600.0, help="hard limit on the whole run, seconds")
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs, configs)")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = p.parse_args(argv)
    if args.smoke:
        args.ports = 20 if args.ports == 1000 else args.ports
        args.duration = 3 if args.duration == 15 else args.duration
        args.warmup = 1.0
        args.scale_checks = 2000
        args.scale_settle = 3.0
        args.max_checks = 2000
        args.store_rate = 500.0
        args.store_checks = 50
        args.store_requests = 3
        args.statuspage_checks = 50
        args.statuspage_components = 5
        args.statuspage_groups = 2
        args.statuspage_rounds = 1
        args.wrk_duration = 2
        args.no_million = True
        args.budget = min(args.budget, 280.0)
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    known = {"throughput", "accuracy", "scale", "reload", "store", "statuspage", "million", "peers"}
    unknown = [s for s in scenarios if s not in known]
    if unknown:
        p.error("unknown scenario(s): %s (known: %s)" % (", ".join(unknown), ", ".join(sorted(known))))
    if "scale" in scenarios and not args.no_million and "million" not in scenarios:
        scenarios.append("million")
    if args.no_million and "million" in scenarios:
        scenarios.remove("million")
    if not args.no_peers and "peers" not in scenarios and not args.smoke:
        scenarios.append("peers")
    args.scenario_list = scenarios
    if args.ports < 1 or args.ports > 20000:
        p.error("--ports must be 1..20000")
    if args.duration < 1 or args.duration > 600:
        p.error("--duration must be 1..600 seconds")
    if args.interval < 0.1:
        p.error("--interval must be at least 0.1 s (Lightkeeper's minimum)")
    if args.store_checks < 1 or args.store_days < 1 or args.store_rate <= 0:
        p.error("--store-checks, --store-days and --store-rate must be positive")
    if args.store_requests < 2:
        p.error("--store-requests must be at least 2 (the first and the last answer show today growing)")
    if args.statuspage_components < 1 or args.statuspage_checks < args.statuspage_components:
        p.error("--statuspage-checks must be at least --statuspage-components (>= 1)")
    if not 1 <= args.statuspage_groups <= args.statuspage_components:
        p.error("--statuspage-groups must be 1..--statuspage-components")
    args.statuspage_weigh_list = [h.strip() for h in args.statuspage_weigh.split(",") if h.strip()]
    if any(h not in SEED_HISTORIES for h in args.statuspage_weigh_list):
        p.error("--statuspage-weigh takes a comma list of %s" % ", ".join(SEED_HISTORIES))
    if args.statuspage_rounds < 1 or args.wrk_duration < 1 or args.wrk_threads < 1 or args.statuspage_nginx_workers < 1:
        p.error("--statuspage-rounds, --wrk-duration, --wrk-threads and --statuspage-nginx-workers must be positive")
    if args.wrk_connections < args.wrk_threads:
        p.error("--wrk-connections must be at least --wrk-threads")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    tools = ("nginx", "ab", "wrk") if "statuspage" in args.scenario_list else ("nginx", "ab")
    missing = [t for t in tools if not shutil.which(t, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")]
    if missing:
        print("SKIP: %s not installed (Debian: scripts/install-deps.sh --bench installs nginx-light, "
              "apache2-utils and wrk)" % " and ".join(missing))
        return SKIP
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        print("error: not an executable: %s (build it with scripts/build.sh --no-tests, or pass --binary)"
              % args.binary, file=sys.stderr)
        return 2
    global BUDGET
    BUDGET = Budget(args.budget)
    nofile = raise_nofile()
    started_wall = time.time()
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "title": "smoke" if args.smoke else "ports %d, duration %d s" % (args.ports, args.duration),
            "nproc": os.cpu_count(), "load_before": loadavg(),
            "lightkeeper": "lightkeeper " + tool_version([args.binary, "--version"]),
            "nginx": tool_version(["nginx", "-v"]), "ab": re.sub(r"^This is |,| <\$Revision.*$", "", tool_version(["ab", "-V"], "Version")),
            "wrk": re.sub(r" Copyright.*$", "", tool_version(["wrk", "-v"], "^wrk")) if "statuspage" in args.scenario_list else None,
            "params": " ".join(["--ports %d" % args.ports, "--interval %g" % args.interval,
                                "--duration %d" % args.duration, "--scenarios %s" % ",".join(args.scenario_list)]
                               + (["--statuspage-checks %d --statuspage-components %d --statuspage-interval %g "
                                   "--statuspage-rounds %d --wrk-duration %d --wrk-connections %d"
                                   % (args.statuspage_checks, args.statuspage_components, args.statuspage_interval,
                                      args.statuspage_rounds, args.wrk_duration, args.wrk_connections)]
                                  if "statuspage" in args.scenario_list else [])
                               + (["--smoke"] if args.smoke else [])) + " (nofile %d)" % nofile[0]}
    workdir = tempfile.mkdtemp(prefix="lk-bench-")
    bench = Bench(args, workdir)
    previous = {}

    def on_signal(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)

    for s in (signal.SIGTERM, signal.SIGHUP):
        previous[s] = signal.signal(s, on_signal)
    rc = 0
    try:
        print("work dir: %s" % workdir, flush=True)
        bench.farm = Farm(bench.procs, workdir, args.ports, nofile[0]).start()
        print("farm: nginx on %d ports %d..%d, stub_status on %d" % (args.ports, bench.farm.base,
              bench.farm.base + args.ports - 1, bench.farm.stub_port), flush=True)
        steps = [("ab", bench.ab)]
        sc = args.scenario_list
        if "throughput" in sc:
            steps.append(("throughput", bench.throughput))
        if "accuracy" in sc:
            steps.append(("accuracy", bench.accuracy))
        if "scale" in sc or "reload" in sc:
            steps.append(("scale/reload", lambda: bench.scale_and_reload("scale" in sc, "reload" in sc)))
        if "million" in sc:
            steps.append(("million", bench.million))
        if "store" in sc:
            steps.append(("store", bench.store))
        if "statuspage" in sc:
            steps.append(("statuspage", bench.statuspage))
        if "peers" in sc:
            steps.append(("blackbox_exporter", bench.blackbox))
            steps.append(("icinga2", bench.icinga))
        failures = []
        for name, fn in steps:
            t = time.monotonic()
            print("== %s" % name, flush=True)
            try:
                fn()
            except EngineDied as e:
                # A finding about the engine (it crashed), not a broken harness.
                bench.notes.append("%s: the engine under test exited: %s" % (name, e))
                bench.rows.append(["lightkeeper %s" % name, None, None, None, None, None,
                                   "EXITED during the run: %s" % str(e)[:300]])
                bench.target("%s: the engine runs to the end" % name, False, str(e)[:300])
                print("   engine exited: %s" % e, flush=True)
            except HarnessError as e:
                if name == "ab":
                    raise
                failures.append("%s: %s" % (name, e))
                bench.notes.append("%s did not complete: %s" % (name, e))
                bench.rows.append([name, None, None, None, None, None, "harness error: %s" % str(e)[:200]])
                print("   error: %s" % e, flush=True)
            print("   %.1f s" % (time.monotonic() - t), flush=True)
        meta["load_after"] = loadavg()
        meta["wall_s"] = time.time() - started_wall
        table = render_table(bench.rows)
        print()
        print(table)
        print()
        for title, extra in bench.tables:
            print("%s:\n\n%s\n" % (title, extra))
        for name, verdict, detail in bench.targets:
            print("%-4s  %s: %s" % (verdict, name, detail))
        for n in bench.notes:
            print("note: " + n)
        results = args.results
        if not results:
            results = os.path.join(tempfile.gettempdir(), "lk-bench-smoke-results.md") if args.smoke else \
                os.path.join(HERE, "RESULTS.md")
        new = not os.path.exists(results) or os.path.getsize(results) == 0
        with open(results, "a", encoding="utf-8") as f:
            if new:
                f.write(RESULTS_HEADER)
            f.write(render_section(bench, meta))
        print("\nresults appended to %s" % results)
        # The harness "works" when the ceiling and at least one engine produced numbers.
        produced = [r for r in bench.rows[1:] if r[1] is not None]
        if failures and not produced:
            print("error: no engine produced numbers", file=sys.stderr)
            rc = 1
        elif failures and args.smoke:
            print("error: a scenario could not run: %s" % "; ".join(failures), file=sys.stderr)
            rc = 1
        elif args.strict and any(v == "MISS" for _, v, _ in bench.targets):
            rc = 1
    except HarnessError as e:
        print("error: %s" % e, file=sys.stderr)
        rc = 1
    except KeyboardInterrupt as e:
        print("interrupted (%s); stopping what was started" % e, file=sys.stderr)
        rc = 130
    except Exception:  # noqa: BLE001 - the harness itself broke: say where
        traceback.print_exc()
        rc = 1
    finally:
        bench.procs.stop_all()
        for s, h in previous.items():
            signal.signal(s, h)
        if args.keep or rc not in (0, SKIP):
            print("work dir kept: %s" % workdir, file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
