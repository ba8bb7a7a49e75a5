"""Alert policy in the real daemon: who is told, when, and when not. An unacknowledged problem
climbs the escalation tiers (primary on call, then the secondary, then the whole team) and an
acknowledgement (ctl ack, or the signed link in the message, whose GET only shows a form) stops
it and is told to everyone told so far; a maintenance window holds a problem until it ends and
swallows an outage that ends inside it; a failing parent is one message that names its
dependants; checks failing together are one message unless the route says `group: false`;
a silence added with ctl mutes until it is removed; `lightkeeper oncall` follows a daily
09:00 Europe/London rotation across the change to summer time.

Receivers are webhooks on 127.0.0.1 (alertpeers.Receiver); every check is an HTTP check against
a server whose answer the test toggles, or a TCP check against a refusing port.

Not covered here: writes from a non-loopback address being refused (it needs a second address,
i.e. network namespaces)."""

import datetime
import re
import time
import urllib.parse
import zoneinfo

import lktest
from lktest import (HOST, GiveUp, NotYet, RefusingPort, Toggle, check_yaml, config_yaml,
                    free_port, run_binary, wait_for, yaml_quote)
from alertpeers import Receiver

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.timezone.utc
PEOPLE = ["ana", "ben", "cleo"]
ROTATION_START = datetime.date(2026, 11, 1)
# Start-up, the first failing result (interval 1s), the group wait, the 250 ms tick and the
# outbox poll (500 ms), on a loaded 2-core machine.
DELIVERY = 20.0
# How long "nothing more arrives" is watched for after everything due has been delivered:
# several ticks and outbox polls.
QUIET = 2.5
ESCALATION = """escalations:
  - name: standard
    tiers:
      - {after: 0s, notify: ["oncall:ops"]}
      - {after: 4s, notify: ["oncall:ops/secondary"]}
      - {after: 8s, notify: ["team:ops"]}
"""


def parse_time(text):
    """An RFC 3339 time as the daemon writes it ("2026-11-21T13:40:14.123Z") -> aware datetime."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def rfc3339(t):
    """Unix seconds -> "2026-11-21T13:40:14Z"."""
    return datetime.datetime.fromtimestamp(int(t), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Msg:
    """One webhook message: who got it (the receiver path), its JSON body, its idempotency key."""

    def __init__(self, request):
        self.to = request.path.strip("/")
        self.body = request.json()
        self.key = request.header("Idempotency-Key") or ""
        self.event = self.body.get("event")
        self.check = self.body.get("check")
        self.title = self.body.get("title", "")
        self.text = self.body.get("text", "")
        self.note = self.body.get("note", "")
        self.time = parse_time(self.body["time"])

    def tier(self):
        """The escalation tier in the key ("lightkeeper-p7:t1:c0:ben-hook" -> 1), or None."""
        m = re.search(r":t(\d+):c\d+:", self.key)
        return int(m.group(1)) if m else None

    def __eq__(self, other):
        return isinstance(other, Msg) and (self.to, self.key) == (other.to, other.key)

    def __hash__(self):
        return hash((self.to, self.key))

    def __repr__(self):
        return "<%s to %s about %s: %r note=%r key=%s>" % (self.event, self.to, self.check,
                                                            self.title, self.note, self.key)


def person_yaml(hooks):
    notifiers = "".join('  - {name: %s-hook, type: webhook, url: %s}\n'
                        % (h, yaml_quote(hooks.url("/" + h)))
                        for h in PEOPLE + ["ops", "group", "single"])
    people = "".join("  - {name: %s, notify: [%s-hook]}\n" % (p, p) for p in PEOPLE)
    return "notifiers:\n%speople:\n%s" % (notifiers, people)


def schedule_yaml(handoff):
    return ("schedules:\n  - name: ops\n    layers:\n"
            "      - {name: main, members: [ana, ben, cleo], rotation: daily, handoff: \"%s\", "
            "timezone: Europe/London, start: %s, paired: true}\n"
            % (handoff, ROTATION_START.isoformat()))


def far_handoff():
    """A hand-off time of day (London) about 12 hours from now, so that who is on call cannot
    change while a test runs."""
    return (datetime.datetime.now(LONDON) + datetime.timedelta(hours=12)).strftime("%H:%M")


_ONCALL_NOW = re.compile(r"^ops: (\w+)(?: \(secondary (\w+)\))?  \[main\]$")
_ONCALL_NEXT = re.compile(r"^  (\S+)  -> (\w+)(?: \(secondary (\w+)\))?$")


def parse_oncall(stdout):
    """`lightkeeper oncall` output -> ((primary, secondary), [(at, primary, secondary), ...])."""
    lines = stdout.splitlines()
    if not lines:
        raise AssertionError("lightkeeper oncall printed nothing")
    now = _ONCALL_NOW.match(lines[0])
    if not now:
        raise AssertionError("unexpected first line of lightkeeper oncall: %r" % lines[0])
    nexts = []
    for line in lines[1:]:
        m = _ONCALL_NEXT.match(line)
        if not m:
            raise AssertionError("unexpected hand-off line of lightkeeper oncall: %r" % line)
        nexts.append((parse_time(m.group(1)), m.group(2), m.group(3)))
    return (now.group(1), now.group(2)), nexts


class PolicyCase(lktest.LkTestCase):
    """A daemon with webhooks for ana, ben, cleo (and ops, group, single) on one receiver."""

    def setUp(self):
        super().setUp()
        self.storage = self.tmp.join("lk.db")
        self.web_port = free_port()
        self.public_url = "http://%s:%d" % (HOST, self.web_port)
        self.hooks = self.target(Receiver("hooks"))
        self.lk = None

    def toggle(self, healthy):
        return self.target(Toggle(healthy, down_status=500))

    def http_check(self, name, toggle, **extra):
        return check_yaml(name, "http", url=toggle.url(), interval="1s", timeout="500ms",
                          failure_threshold=1, recovery_threshold=1, **extra)

    def write_config(self, checks, routes, handoff="09:00", more=""):
        extra = ("public_url: %s\n%s%s%s%s%s"
                 % (self.public_url, person_yaml(self.hooks), schedule_yaml(handoff), ESCALATION,
                    "routes:\n" + routes, more))
        text = config_yaml(self.storage, checks, listen="%s:%d" % (HOST, self.web_port),
                           extra=extra)
        self.config = self.tmp.write("lightkeeper.yaml", text)
        return self.config

    def start(self):
        self.lk = self.serve(self.config)
        self.assertEqual(self.lk.port, self.web_port)
        return self.lk

    def ctl(self, *args):
        return run_binary(["ctl", "--server", self.public_url] + list(args), timeout=30)

    def alive(self):
        if self.lk is not None and not self.lk.alive():
            raise GiveUp("lightkeeper exited with code %s\n--- log ---\n%s"
                         % (self.lk.proc.returncode, self.lk.log()))

    # Messages --------------------------------------------------------------------------------

    def messages(self, tier=None, **want):
        """Messages received so far, oldest first, whose attributes equal `want` (and whose
        escalation tier is `tier`, when given)."""
        out = [Msg(r) for r in self.hooks.received()]
        return [m for m in out if all(getattr(m, k) == v for k, v in want.items())
                and (tier is None or m.tier() == tier)]

    def wait_message(self, what, timeout=DELIVERY, count=1, **want):
        """Waits for `count` messages matching `want`; returns them."""
        def arrived():
            self.alive()
            found = self.messages(**want)
            return found if len(found) >= count else NotYet(self.messages())
        return wait_for(arrived, timeout, what)

    def assert_quiet(self, seconds, what, **want):
        """Fails as soon as a message matching `want`, other than those received already,
        arrives within the next `seconds`."""
        before = self.messages(**want)
        deadline = time.monotonic() + seconds
        for _ in range(int(seconds / 0.1) + 10):
            found = self.messages(**want)
            if len(found) > len(before):
                self.fail("%s, but got %s" % (what, found[len(before):]))
            if time.monotonic() >= deadline:
                return
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    # API -------------------------------------------------------------------------------------

    def alerts(self):
        return self.lk.get_json("/api/v1/alerts")["alerts"]

    def alert_of(self, check):
        found = [a for a in self.alerts() if check in a["checks"]]
        return found[0] if found else None

    def wait_alert(self, check, predicate, what, timeout=DELIVERY):
        def match():
            self.alive()
            a = self.alert_of(check)
            return a if a is not None and predicate(a) else NotYet(self.alerts())
        return wait_for(match, timeout, what)

    def wait_incident(self, check, open_, timeout=DELIVERY):
        def match():
            self.alive()
            found = [i for i in self.lk.incidents("?check=" + check)]
            if found and found[0]["open"] == open_:
                return found[0]
            return NotYet(found)
        return wait_for(match, timeout, "an incident of %s %s" % (check, "open" if open_ else
                                                                  "closed"))

    def oncall_now(self):
        """(primary, secondary) now, as `lightkeeper oncall` computes it from the config."""
        run = run_binary(["oncall", "-c", self.config, "--next", "1"], timeout=30)
        self.assertEqual(run.returncode, 0, run.describe())
        now, nexts = parse_oncall(run.stdout)
        self.assertEqual(len(nexts), 1, run.describe())
        ahead = nexts[0][0] - datetime.datetime.now(UTC)
        self.assertGreater(ahead, datetime.timedelta(minutes=30),
                           "a hand-off is due during the test:\n" + run.describe())
        self.assertIsNotNone(now[1], "a paired layer has a secondary:\n" + run.describe())
        return now


# ---------------------------------------------------------------------------------------------
# 1-3. Escalation, acknowledgement, ack links
# ---------------------------------------------------------------------------------------------


class Escalation(PolicyCase):
    def setUp(self):
        super().setUp()
        self.app = self.toggle(healthy=False)
        self.write_config([self.http_check("app", self.app)],
                          "  - {escalation: standard, group_wait: 1s}\n", handoff=far_handoff())
        self.primary, self.secondary = self.oncall_now()
        (self.third,) = [p for p in PEOPLE if p not in (self.primary, self.secondary)]

    def test_escalates_to_the_secondary_and_an_ack_stops_it_before_the_team(self):
        lk = self.start()
        # The daemon agrees with the CLI about who is on.
        ops = lk.get_json("/api/v1/oncall")["schedules"][0]
        self.assertEqual((ops["schedule"], ops["now"]["primary"], ops["now"]["secondary"]),
                         ("ops", self.primary, self.secondary), ops)

        (first,) = self.wait_message("the problem to the primary (%s)" % self.primary,
                                     to=self.primary, event="problem")
        self.assertEqual((first.check, first.tier(), first.note), ("app", 0, ""), first)
        self.assertEqual(first.title, "DOWN: app")
        self.assertEqual(self.messages(), [first], "only the primary is told first")

        (second,) = self.wait_message("the escalation to the secondary (%s)" % self.secondary,
                                      to=self.secondary, event="problem")
        self.assertEqual((second.check, second.tier()), ("app", 1), second)
        self.assertIn("escalated", second.note)
        self.assertIn("oncall:ops/secondary", second.note)
        gap = (second.time - first.time).total_seconds()
        self.assertGreaterEqual(gap, 4.0, (first, second))
        self.assertLess(gap, 4.0 + 3.0, (first, second))
        self.assertGreater(first.time + datetime.timedelta(seconds=8),
                           datetime.datetime.now(UTC),
                           "too slow to acknowledge before the 8s tier; cannot test it here")

        ack = self.ctl("ack", "app", "-n", "on it", "--by", "ana")
        self.assertEqual(ack.returncode, 0, ack.describe())
        self.assertIn("acknowledged", ack.stdout, ack.describe())
        self.assertNotIn("already", ack.stdout, ack.describe())
        page = self.alert_of("app")
        self.assertEqual(page["acknowledged_by"], "ana", page)

        for person in (self.primary, self.secondary):
            (m,) = self.wait_message("the acknowledgement to %s" % person, to=person,
                                     event="acknowledged")
            self.assertEqual((m.check, m.note, m.body["acknowledged_by"]), ("app", "on it", "ana"),
                             m)
        # The 8s tier (the whole team) never comes: watch until well past it.
        remaining = (first.time + datetime.timedelta(seconds=8 + QUIET)
                     - datetime.datetime.now(UTC)).total_seconds()
        self.assert_quiet(max(remaining, QUIET), "no problem message after the ack",
                          event="problem")
        self.assertEqual(self.messages(to=self.third), [], "the team was told")
        self.assertEqual([m for m in self.messages() if m.tier() == 2], [])
        self.assertEqual(len(self.messages(event="problem")), 2, self.messages())

        self.app.healthy = True
        for person in (self.primary, self.secondary):
            (m,) = self.wait_message("the recovery to %s" % person, to=person, event="recovery")
            self.assertEqual(m.check, "app")
        self.assert_quiet(QUIET, "the third person hears nothing at all", to=self.third)
        self.assertEqual(len(self.messages()), 6, self.messages())

    def test_the_ack_link_shows_a_form_on_get_and_acknowledges_on_post(self):
        lk = self.start()
        (problem,) = self.wait_message("the problem to the primary", to=self.primary,
                                       event="problem")
        ack_url = problem.body["ack_url"]
        self.assertTrue(ack_url.startswith(self.public_url + "/ack/"), problem.body)
        self.assertIn(ack_url, problem.text)
        path = urllib.parse.urlsplit(ack_url).path

        # A GET (a link preview, a mail scanner) shows a form and acknowledges nothing.
        status, headers, body = lk.get(path)
        self.assertEqual(status, 200, body)
        self.assertTrue(headers["content-type"].startswith("text/html"), headers)
        page = body.decode()
        self.assertRegex(page, r'<form method="post"')
        self.assertIn('name="by"', page)
        self.assertIn("app", page)
        alert = self.alert_of("app")
        self.assertIsNone(alert["acknowledged_at"], alert)
        self.assertIsNone(alert["acknowledged_by"], alert)
        self.assertEqual(self.messages(event="acknowledged"), [])

        # A tampered token is refused, by GET and by POST, and acknowledges nothing.
        token = path[len("/ack/"):]
        page_id, expires, signature = token.split(".")
        flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
        for bad in ("%s.%s.%s" % (page_id, expires, flipped),
                    "%d.%s.%s" % (int(page_id) + 1, expires, signature),
                    "%s.%d.%s" % (page_id, int(expires) + 3600, signature)):
            for method, data in (("GET", None), ("POST", b"by=mallory")):
                status, _, body = lk.request(
                    method, "/ack/" + bad, body=data,
                    headers={"Content-Type": "application/x-www-form-urlencoded"} if data else {})
                self.assertEqual(status, 404, (method, bad, body))
        alert = self.alert_of("app")
        self.assertIsNone(alert["acknowledged_by"], alert)

        status, headers, body = lk.request(
            "POST", path, body=b"by=ben&note=via+the+link",
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 200, body)
        self.assertIn("acknowledged by ben", body.decode())
        alert = self.alert_of("app")
        self.assertEqual(alert["acknowledged_by"], "ben", alert)
        self.assertIsNotNone(alert["acknowledged_at"], alert)
        (told,) = self.wait_message("the acknowledgement to the primary", to=self.primary,
                                    event="acknowledged")
        self.assertEqual((told.body["acknowledged_by"], told.note), ("ben", "via the link"), told)

        # The link now says so; ctl ack says it was already acknowledged.
        status, _, body = lk.get(path)
        self.assertEqual(status, 200)
        self.assertIn("Already acknowledged", body.decode())
        again = self.ctl("ack", "app", "--by", "cleo")
        self.assertEqual(again.returncode, 0, again.describe())
        self.assertIn("already acknowledged", again.stdout, again.describe())
        self.assertEqual(self.alert_of("app")["acknowledged_by"], "ben")
        self.assert_quiet(QUIET, "a second ack tells nobody again",
                          event="acknowledged")
        self.assertEqual(len(self.messages(event="acknowledged")),
                         len({m.to for m in self.messages(event="problem")}), self.messages())

    def test_without_an_ack_the_whole_team_is_told_at_the_third_tier(self):
        self.start()
        (first,) = self.wait_message("the problem to the primary", to=self.primary,
                                     event="problem")
        listed = self.ctl("alerts")
        self.assertEqual(listed.returncode, 0, listed.describe())
        self.assertRegex(listed.stdout, r"#\d+  app  notified, not acknowledged")

        team = self.wait_message("the third tier to all three", timeout=8 + DELIVERY, count=3,
                                 event="problem", check="app", tier=2)
        self.assertEqual(sorted(m.to for m in team), PEOPLE, self.messages())
        for m in team:
            self.assertIn("escalated to team:ops", m.note)
            self.assertGreaterEqual((m.time - first.time).total_seconds(), 8.0, (first, m))
        self.assertEqual(sorted((m.to, m.tier()) for m in self.messages(event="problem")),
                         sorted([(self.primary, 0), (self.secondary, 1)]
                                + [(p, 2) for p in PEOPLE]))
        self.assertEqual(self.alert_of("app")["tiers_fired"], 3)


# ---------------------------------------------------------------------------------------------
# 4. Maintenance windows
# ---------------------------------------------------------------------------------------------


class Maintenance(PolicyCase):
    WINDOW = 10  # seconds from now

    def test_a_window_holds_the_problem_until_it_ends_and_swallows_a_short_outage(self):
        web, blip = self.toggle(healthy=False), self.toggle(healthy=False)
        now = time.time()
        window_end = int(now) + 1 + self.WINDOW
        window = ("maintenance:\n"
                  "  - {name: patch, match: {checks: [web, blip]}, from: %s, to: %s}\n"
                  % (rfc3339(now - 60), rfc3339(window_end)))
        self.write_config([self.http_check("web", web), self.http_check("blip", blip)],
                          "  - {notify: [ops-hook], group_wait: 1s}\n", more=window)
        self.start()

        held = self.wait_alert("web", lambda a: a["suppressed"] == "maintenance patch",
                               "web's page held back by the window")
        self.assertFalse(held["notified"], held)
        self.wait_alert("blip", lambda a: a["suppressed"] == "maintenance patch",
                        "blip's page held back by the window")
        listed = self.ctl("alerts")
        self.assertIn("held back: maintenance patch", listed.stdout, listed.describe())

        # blip recovers inside the window.
        blip.healthy = True
        self.wait_incident("blip", open_=False)
        self.assertLess(time.time(), window_end - 1,
                        "too slow: blip did not recover well inside the window")
        self.assertEqual(self.messages(), [], "a message during the window")

        # The window ends while web still fails: its problem goes out then.
        (m,) = self.wait_message("web's problem after the window", timeout=self.WINDOW + DELIVERY,
                                 check="web", event="problem")
        self.assertGreaterEqual(m.time, datetime.datetime.fromtimestamp(window_end, UTC), m)
        self.assertEqual(m.title, "DOWN: web")
        self.assertNotIn("blip", m.text)
        self.assert_quiet(QUIET, "blip never sends anything", check="blip")
        self.assertEqual(len(self.messages()), 1, self.messages())
        self.assertEqual(self.lk.get_json("/api/v1/notifications?check=blip")["notifications"], [])

        # web's recovery is about web alone: nobody was told about blip.
        web.healthy = True
        (ok,) = self.wait_message("web's recovery", check="web", event="recovery")
        self.assertEqual(ok.title, "RECOVERED: web")
        self.assertNotIn("blip", ok.text)
        self.assertEqual(self.messages(check="blip"), [])


# ---------------------------------------------------------------------------------------------
# 5. A failing parent
# ---------------------------------------------------------------------------------------------


class ParentOutage(PolicyCase):
    def test_one_message_about_the_parent_lists_the_dependants(self):
        refused = self.target(RefusingPort())
        target = "%s:%d" % (HOST, refused.port)

        def tcp(name, **extra):
            return check_yaml(name, "tcp", target=target, interval="1s", timeout="500ms",
                              failure_threshold=1, recovery_threshold=1, **extra)

        self.write_config([tcp("router"), tcp("app-1", depends_on=["router"]),
                           tcp("app-2", depends_on=["router"])],
                          "  - {notify: [ops-hook], group_wait: 3s}\n")
        self.start()
        (m,) = self.wait_message("the problem about router", event="problem")
        self.assertEqual((m.check, m.title), ("router", "DOWN: router"), m)
        self.assertRegex(m.text, r"Also affected \(depend on it\): app-1, app-2")
        for child in ("app-1", "app-2"):
            self.wait_alert(child, lambda a: a["suppressed"] == "caused by router",
                            "%s held back as caused by router" % child)
        self.assert_quiet(QUIET, "no other message while router is down", event="problem")
        self.assertEqual(self.messages(), [m])


# ---------------------------------------------------------------------------------------------
# 6. Grouping
# ---------------------------------------------------------------------------------------------


class Grouping(PolicyCase):
    def test_five_checks_failing_together_are_one_message_unless_group_is_false(self):
        down = self.toggle(healthy=False)
        grouped = ["g-%d" % i for i in range(1, 6)]
        single = ["s-%d" % i for i in range(1, 6)]
        routes = ("  - {match: {checks: [\"g-*\"]}, notify: [group-hook], group_wait: 2s}\n"
                  "  - {match: {checks: [\"s-*\"]}, notify: [single-hook], group_wait: 2s, "
                  "group: false}\n")
        self.write_config([self.http_check(n, down) for n in grouped + single], routes)
        self.start()

        (g,) = self.wait_message("the grouped message", to="group", event="problem")
        singles = self.wait_message("five single messages", to="single", event="problem",
                                    count=5)
        # The premise: all five opened within the group wait.
        opened = [parse_time(self.lk.incidents("?check=" + n)[0]["opened_at"]) for n in grouped]
        self.assertLess((max(opened) - min(opened)).total_seconds(), 2.0,
                        "the grouped checks did not fail within the 2s group wait: %s" % opened)

        title = re.fullmatch(r"DOWN: 5 checks \((.*)\)", g.title)
        self.assertTrue(title, g.title)
        named = title.group(1).split(", ")
        self.assertEqual(len(named), 5, g.title)
        self.assertEqual(named[-1], "…", g.title)
        self.assertEqual(len(set(named[:4])), 4, g.title)
        self.assertTrue(set(named[:4]) <= set(grouped), g.title)
        for n in grouped:
            self.assertRegex(g.text, r"(?m)^- %s fail since " % re.escape(n))
        self.assertIn("5 checks are failing together", g.text)

        # Nothing more comes: watch a while, then count.
        self.assert_quiet(QUIET, "no recovery while the checks fail", event="recovery")
        got_group, got_single = self.messages(to="group"), self.messages(to="single")
        self.assertEqual(len(got_group), 1, got_group)
        self.assertEqual(len(got_single), 5, got_single)
        self.assertEqual(sorted(m.check for m in got_single), single)
        for m in got_single:
            self.assertEqual(m.title, "DOWN: " + m.check)
            self.assertNotIn("checks are failing together", m.text)


# ---------------------------------------------------------------------------------------------
# 7. Silences from the command line
# ---------------------------------------------------------------------------------------------


class Silences(PolicyCase):
    def test_a_silence_mutes_until_it_is_removed(self):
        noisy, calm = self.toggle(healthy=True), self.toggle(healthy=True)
        self.write_config([self.http_check("noisy-x", noisy), self.http_check("calm-y", calm)],
                          "  - {notify: [ops-hook], group_wait: 1s}\n")
        lk = self.start()

        def both_ok():
            checks = lk.checks()
            states = {n: checks[n]["state"] for n in ("noisy-x", "calm-y")}
            return set(states.values()) == {"ok"} or NotYet(states)
        wait_for(both_ok, DELIVERY, "both checks ok")

        added = self.ctl("silence", "add", "--check", "noisy-*", "-d", "1h", "--comment",
                         "known noisy", "--by", "ana")
        self.assertEqual(added.returncode, 0, added.describe())
        self.assertRegex(added.stdout, r"^silence #1 until \S+Z$")
        listed = self.ctl("silence", "list")
        self.assertEqual(listed.returncode, 0, listed.describe())
        self.assertRegex(listed.stdout, r"#1  checks:noisy-\*  until \S+  by ana  \(known noisy\)")

        noisy.healthy = calm.healthy = False
        # calm-y is told; noisy-x is held back by the silence.
        (m,) = self.wait_message("calm-y's problem", check="calm-y", event="problem")
        self.assertEqual(m.title, "DOWN: calm-y")
        held = self.wait_alert("noisy-x", lambda a: a["suppressed"] == "silence #1",
                               "noisy-x held back by silence #1")
        self.assertFalse(held["notified"], held)
        self.assert_quiet(QUIET, "nothing about noisy-x while silenced", check="noisy-x")

        removed = self.ctl("silence", "remove", "1")
        self.assertEqual(removed.returncode, 0, removed.describe())
        self.assertIn("silence #1 removed", removed.stdout)
        removed_at = datetime.datetime.now(UTC)
        (m,) = self.wait_message("noisy-x's problem once the silence is gone", check="noisy-x",
                                 event="problem")
        self.assertEqual(m.title, "DOWN: noisy-x")
        self.assertGreaterEqual(m.time, removed_at - datetime.timedelta(seconds=1), m)
        listed = self.ctl("silence", "list")
        self.assertEqual(listed.stdout.strip(), "no silences", listed.describe())
        again = self.ctl("silence", "remove", "1")
        self.assertEqual(again.returncode, 1, again.describe())
        self.assertIn("404", again.stderr)


# ---------------------------------------------------------------------------------------------
# 8. `lightkeeper oncall` across the change to summer time
# ---------------------------------------------------------------------------------------------


def handoff_at(day):
    """The instant (UTC) of the 09:00 London hand-off on local date `day`."""
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=LONDON).astimezone(UTC)


def expected_oncall(at, next_n):
    """Who the daily 09:00 Europe/London rotation from 2026-11-01 puts on at `at`: member index
    = local days since the start, counted from the hand-off; the secondary is the next member."""
    day = at.astimezone(LONDON).date()
    if at < handoff_at(day):
        day -= datetime.timedelta(days=1)
    k = (day - ROTATION_START).days

    def pair(i):
        return PEOPLE[i % 3], PEOPLE[(i + 1) % 3]

    nexts = [(handoff_at(ROTATION_START + datetime.timedelta(days=k + j)),) + pair(k + j)
             for j in range(1, next_n + 1)]
    return pair(k), nexts


class OnCallCommand(PolicyCase):
    def test_the_rotation_keeps_09_00_london_across_the_spring_change(self):
        self.write_config([check_yaml("web", "tcp", target="127.0.0.1:9", interval="1m")],
                          "  - {escalation: standard}\n")

        def oncall(at):
            run = run_binary(["oncall", "-c", self.config, "--at", at, "--next", "2"], timeout=30)
            self.assertEqual(run.returncode, 0, run.describe())
            return run, parse_oncall(run.stdout)

        # Summer time (BST) began at 01:00Z on 2027-03-28.
        cases = {
            # 09:30 BST: the 28 March shift, 147 local days in (147 % 3 = 0).
            "2027-03-28T08:30:00Z": (("ana", "ben"), [("2027-03-29T08:00:00", "ben", "cleo"),
                                                      ("2027-03-30T08:00:00", "cleo", "ana")]),
            # 08:30 GMT, before that day's hand-off: still the 26 March shift; the next
            # hand-offs are at 09:00Z (GMT) and then 08:00Z (BST).
            "2027-03-27T08:30:00Z": (("ben", "cleo"), [("2027-03-27T09:00:00", "cleo", "ana"),
                                                       ("2027-03-28T08:00:00", "ana", "ben")]),
            # Between the two hand-offs around the change.
            "2027-03-28T07:59:59Z": (("cleo", "ana"), [("2027-03-28T08:00:00", "ana", "ben"),
                                                       ("2027-03-29T08:00:00", "ben", "cleo")]),
            # Winter, the first shift and the one a day before the start.
            "2026-11-01T09:00:00Z": (("ana", "ben"), [("2026-11-02T09:00:00", "ben", "cleo"),
                                                      ("2026-11-03T09:00:00", "cleo", "ana")]),
        }
        for at, (now, nexts) in cases.items():
            when = parse_time(at)
            arithmetic = expected_oncall(when, 2)
            # The literal expectations above are the rotation arithmetic's.
            self.assertEqual(arithmetic, (now, [(parse_time(t + "Z"), p, s) for t, p, s in nexts]))
            run, (got_now, got_next) = oncall(at)
            self.assertEqual(got_now, now, run.describe())
            self.assertEqual(got_next, arithmetic[1], run.describe())
            for handoff, _, _ in got_next:
                local = handoff.astimezone(LONDON)
                self.assertEqual((local.hour, local.minute, local.second), (9, 0, 0),
                                 run.describe())


if __name__ == "__main__":
    lktest.main()
