"""The public status page in a real browser: Debian's headless Chromium, driven by
tests/browser/check_page.mjs (playwright-core, axe-core), against the real daemon.

A page of three components in two groups (Shop: web from two checks with rule `all`, and
checkout; Infra: database), branded with an accent colour, a logo served from loopback and
footer links. The story a reader sees:

  * all healthy: "All systems operational"; each component under its group with its state word,
    its 90-day bar (an SVG with a text alternative) and its uptime figure;
  * one of web's two checks fails: web is "Degraded" (not down), the banner says degraded, an
    automatic incident report appears with its timeline; an update posted through the API
    reaches the open page by itself (EventSource on /events, no reload);
  * without JavaScript the page says the same; in dark mode the text is light on a dark
    background; phones get no sideways scrolling; Tab reaches the skip link first and every
    focused link shows it; axe-core finds no serious or critical WCAG 2.1 A/AA violation on the
    front, component, incident and history pages, light and dark.

Screenshots (PNG, light and dark, 1280 and 390 wide) and the browser's JSON results go to
$LK_SCREENSHOT_DIR, else to test-screenshots/status_page_browser/ beside the binary.

Skipped (with the reason) only when Chromium or Node.js is missing. The npm packages are part of
the set-up (scripts/install-deps.sh --test runs `npm ci` in tests/browser): missing, the test
fails and says so."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import lktest
from lktest import HOST, HttpServer, Toggle, check_yaml, config_yaml, wait_for

BROWSER_DIR = os.path.normpath(os.path.join(lktest.HERE, "..", "browser"))
SCRIPT = os.path.join(BROWSER_DIR, "check_page.mjs")
CHROMIUM = os.environ.get("LK_CHROMIUM", "/usr/bin/chromium")
SLUG = "acme"
PAGE = "/status/%s/" % SLUG
ACCENT = "#6d28d9"
# Start-up, two failing results (interval 1s, failure_threshold 2) and the report's write, on a
# loaded 2-core machine.
DETECTION = 30.0
# One browser run: Chromium's start and a dozen page loads and audits on 2 shared cores.
BROWSER_RUN = 240.0
# From the update's POST to its text on the open page: the event (at most one a second), the
# script's 0.5 s debounce and a fetch, with room for a loaded machine.
LIVE_UPDATE = 15.0
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOGO_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
            b'<circle cx="20" cy="20" r="18" fill="#6d28d9"/></svg>')

NAV = ["Skip to main content", "Current status", "Incident history", "Subscribe (Atom feed)"]


def node_binary():
    return shutil.which("node")


def missing_tools():
    """Why the browser cannot run here (the only reasons to skip), or None."""
    if not os.access(CHROMIUM, os.X_OK):
        return ("Chromium is not installed (%s); scripts/install-deps.sh --test installs it"
                % CHROMIUM)
    if not node_binary():
        return "Node.js is not installed; scripts/install-deps.sh --test installs it"
    return None


def screenshot_dir():
    d = os.environ.get("LK_SCREENSHOT_DIR") or os.path.join(
        os.path.dirname(lktest.BINARY), "test-screenshots", "status_page_browser")
    os.makedirs(d, exist_ok=True)
    return d


# Steps of the browser's scenarios (see check_page.mjs for what each checks) -------------------

def text(selector, *contains, not_contains=(), matches=()):
    return {"check": "text", "selector": selector, "contains": list(contains),
            "notContains": list(not_contains), "matches": list(matches)}


def count(selector, minimum=1, maximum=None):
    step = {"check": "count", "selector": selector, "min": minimum}
    if maximum is not None:
        step["max"] = maximum
    return step


def axe():
    return {"check": "axe", "tags": WCAG_TAGS, "failOn": ["serious", "critical"]}


def contrast(dark):
    # Body text on the page's background, as the brief reads; the banner's words on its state
    # colour, and a component's name on its card, where a reader looks first.
    return {"check": "contrast", "dark": dark, "pairs": [
        {"selector": "body", "min": 4.5, "polarity": "strict"},
        {"selector": "ul.cs a.n", "min": 4.5, "polarity": "relative"},
        {"selector": "#banner", "min": 4.5, "polarity": False},
    ]}


def keyboard(expect, skip_targets=None):
    # A focus ring is a graphic that must be seen: 3:1 against what it is drawn on (WCAG 1.4.11).
    step = {"check": "keyboard", "expect": expect, "minOutlineContrast": 3}
    if skip_targets:
        step["skipTargets"] = skip_targets
    return step


def screenshot(name):
    return {"screenshot": name}


def scenario(name, path, steps, js=True, scheme="light", viewport="desktop"):
    return {"name": name, "path": path, "javaScript": js, "colorScheme": scheme,
            "viewport": viewport, "steps": steps}


class StatusPageBrowserTest(lktest.LkTestCase):
    def setUp(self):
        reason = missing_tools()
        if reason:
            self.skipTest(reason)
        if not os.path.exists(os.path.join(BROWSER_DIR, "node_modules", "playwright-core")) or \
                not os.path.exists(os.path.join(BROWSER_DIR, "node_modules", "axe-core")):
            self.fail("tests/browser/node_modules is missing playwright-core or axe-core: run "
                      "scripts/install-deps.sh --test (it runs npm ci --prefix tests/browser)")
        super().setUp()
        self.shots = screenshot_dir()

    # The daemon ------------------------------------------------------------------------------

    def start(self):
        self.web1, self.web2 = self.target(Toggle()), self.target(Toggle())
        self.checkout, self.db = self.target(Toggle()), self.target(Toggle())
        self.logo = self.target(HttpServer(body=LOGO_SVG,
                                           headers={"Content-Type": "image/svg+xml"}))
        checks = [check_yaml(name, "http", url=t.url(), interval="1s", timeout="1s")
                  for name, t in (("web-1", self.web1), ("web-2", self.web2),
                                  ("checkout", self.checkout), ("db", self.db))]
        extra = (
            "components:\n"
            "  - {id: web, name: Web, group: Shop, checks: [web-1, web-2], rule: all}\n"
            "  - {id: checkout, name: Checkout, group: Shop, checks: [checkout]}\n"
            "  - {id: database, name: Database, group: Infra, checks: [db]}\n"
            "status_pages:\n"
            "  - slug: %s\n"
            "    title: Acme status\n"
            "    description: Live status of the Acme shop.\n"
            "    logo: %s\n"
            "    colors: {accent: \"%s\"}\n"
            "    footer_links:\n"
            "      - {text: Support, url: \"mailto:support@example.com\"}\n"
            "      - {text: Acme home, url: \"https://acme.example/\"}\n"
            % (SLUG, self.logo.url("/logo.svg"), ACCENT))
        path = self.tmp.write("lk.yaml", config_yaml(self.tmp.join("lk.db"), checks, extra=extra))
        self.d = self.serve(path)
        return self.d

    def components(self):
        doc = self.d.get_json("/api/v1/components?page=" + SLUG)
        return {c["id"]: c for c in doc["components"]}

    def wait_components(self, states, what):
        def reached():
            cs = self.components()
            seen = {k: (c["state"], c["uptime"]["90d"]) for k, c in cs.items()}
            ok = all(cs[k]["state"] == s and cs[k]["uptime"]["90d"] is not None
                     for k, s in states.items())
            return cs if ok else lktest.NotYet(seen)
        return wait_for(reached, DETECTION, what)

    # The browser -----------------------------------------------------------------------------

    def browse(self, run_name, scenarios):
        """Runs check_page.mjs on `scenarios`; returns its JSON result document. Node runs in a
        process group of its own, killed by its id if it outlives its deadline (Chromium, which
        Node drives through a pipe, exits when that pipe closes)."""
        base = "http://%s:%d" % (HOST, self.d.port)
        argv = [node_binary(), SCRIPT, "--base", base, "--out", self.shots]
        started = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=BROWSER_DIR,
                                start_new_session=True,
                                env=dict(os.environ, LK_CHROMIUM=CHROMIUM,
                                         LK_BROWSER_DEADLINE_MS=str(int(BROWSER_RUN * 1000))))
        try:
            out, err = proc.communicate(json.dumps({"scenarios": scenarios}),
                                        timeout=BROWSER_RUN + 30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate(timeout=30)
            self.fail("check_page.mjs did not finish within %.0fs\n%s\n%s"
                      % (BROWSER_RUN + 30, out[-3000:], err[-3000:]))
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        elapsed = time.monotonic() - started
        try:
            doc = json.loads(out)
        except ValueError:
            self.fail("check_page.mjs printed no JSON (exit %s)\n--- stdout ---\n%s\n"
                      "--- stderr ---\n%s" % (proc.returncode, out[-3000:], err[-3000:]))
        with open(os.path.join(self.shots, "results-%s.json" % run_name), "w") as f:
            json.dump(doc, f, indent=1)
        if "error" in doc:
            self.fail("check_page.mjs could not run: %s\n%s" % (doc["error"], err[-3000:]))
        self.report_axe(run_name, doc, elapsed)
        # The exit code and the document agree: non-zero exactly when a check failed.
        self.assertEqual(proc.returncode, 0 if doc["ok"] else 1, err[-2000:])
        return doc

    def report_axe(self, run_name, doc, elapsed):
        """Every axe violation, whatever its impact, to stderr: the report reads them there."""
        lines = ["[%s] %s, %d scenarios in %.1fs; screenshots and results in %s"
                 % (run_name, doc.get("browser"), len(doc["scenarios"]), elapsed, self.shots)]
        for audit in doc.get("axe", []):
            for v in audit["violations"]:
                lines.append("  axe %s: %s (%s) %s: %s" % (
                    audit["scenario"], v["id"], v["impact"], v["help"],
                    ", ".join(" ".join(n["target"]) for n in v["nodes"][:6])))
        sys.stderr.write("\n" + "\n".join(lines) + "\n")

    def assert_all_passed(self, doc):
        """Each scenario a subTest, each failed check named with its details: one run reports
        every defect the page has, not only the first."""
        for s in doc["scenarios"]:
            for c in s["checks"]:
                if c["ok"]:
                    continue
                with self.subTest(scenario=s["name"], check=c.get("label") or c["check"]):
                    where = c["check"] + (" " + c["selector"] if c.get("selector") else "")
                    self.fail("%s on %s: %s failed: %s" % (
                        s["name"], s["url"], where, json.dumps(c["details"], indent=1)[:4000]))

    # Tests -----------------------------------------------------------------------------------

    def test_healthy_page_shows_groups_components_bars_in_light_dark_phone_and_without_js(self):
        self.start()
        self.wait_components({"web": "operational", "checkout": "operational",
                              "database": "operational"},
                             "every component operational with a 90-day uptime")
        healthy = [{"group": "Shop", "name": "Web", "state": "Operational"},
                   {"group": "Shop", "name": "Checkout", "state": "Operational"},
                   {"group": "Infra", "name": "Database", "state": "Operational"}]
        front = [
            text("#banner", "All systems operational"),
            text("h1", "Acme status"),
            {"check": "image", "selector": "h1 img"},
            {"check": "components", "expect": healthy},
            {"check": "bars", "count": 3, "days": 90, "uptime": r"^\d+(\.\d+)?% in 90 days$"},
            text("footer", "Support", "Acme home", "Powered by Lightkeeper"),
            count('footer a[href="mailto:support@example.com"]'),
            count('footer a[href="https://acme.example/"]'),
        ]
        doc = self.browse("healthy", [
            scenario("healthy-desktop-light", PAGE, front + [
                {"check": "style", "selector": "nav a:not([aria-current])", "property": "color",
                 "equals": "rgb(109, 40, 217)", "label": "accent colour on links"},
                contrast(dark=False),
                axe(),
                {"check": "noConsoleErrors"},
                screenshot("healthy-desktop-light"),
                keyboard(NAV + ["Web", "Checkout", "Database"], skip_targets="main"),
            ]),
            scenario("healthy-desktop-dark", PAGE, [
                text("#banner", "All systems operational"),
                contrast(dark=True),
                axe(),
                screenshot("healthy-desktop-dark"),
                keyboard(NAV + ["Web", "Checkout", "Database"]),
            ], scheme="dark"),
            scenario("healthy-phone-light", PAGE, [
                {"check": "components", "expect": healthy},
                {"check": "noHorizontalScroll"},
                screenshot("healthy-phone-light"),
            ], viewport="phone"),
            scenario("healthy-phone-dark", PAGE, [
                contrast(dark=True),
                {"check": "noHorizontalScroll"},
                screenshot("healthy-phone-dark"),
            ], viewport="phone", scheme="dark"),
            scenario("healthy-nojs", PAGE, front + [screenshot("healthy-nojs-desktop-light")],
                     js=False),
        ])
        self.assert_all_passed(doc)

    def test_one_failing_check_degrades_its_component_and_the_report_updates_live(self):
        self.start()
        self.wait_components({"web": "operational", "checkout": "operational",
                              "database": "operational"}, "every component operational")
        self.web2.healthy = False
        self.wait_components({"web": "degraded", "checkout": "operational",
                              "database": "operational"}, "web degraded by its one failing check")

        def automatic_report():
            reports = self.d.get_json("/api/v1/status-reports?open=true")["reports"]
            mine = [r for r in reports if r["automatic"] and "web" in r["components"]]
            return mine[0] if mine else lktest.NotYet([r["title"] for r in reports])
        report = wait_for(automatic_report, DETECTION,
                          "an automatic report after web-2's hard failure")
        incident = "%sincidents/%d" % (PAGE, report["id"])
        # Still degraded, not down, once the report is there (web-1 stays up).
        self.assertEqual(self.components()["web"]["state"], "degraded")

        degraded = [{"group": "Shop", "name": "Web", "state": "Degraded"},
                    {"group": "Shop", "name": "Checkout", "state": "Operational"},
                    {"group": "Infra", "name": "Database", "state": "Operational"}]
        message = "The **second web server** lost its disk; traffic moved to the first one."
        shown = "The second web server lost its disk"
        front = [
            text("#banner", "Degraded performance",
                 not_contains=["All systems operational", "outage"]),
            {"check": "components", "expect": degraded},
            {"check": "bars", "count": 3, "days": 90, "uptime": r"^\d+(\.\d+)?% in 90 days$"},
            text("section[aria-labelledby=h-a]", "Active incidents", report["title"]),
            count('section[aria-labelledby=h-a] a[href="%s"]' % incident),
        ]
        scenarios = [
            # With JavaScript: the update posted now reaches this page without a reload.
            scenario("outage-live-desktop-light", PAGE, front + [
                text("section[aria-labelledby=h-a]", "Investigating",
                     "Our monitoring has detected"),
                {"mark": True},
                {"request": {"method": "POST",
                             "path": "/api/v1/status-reports/%d/updates" % report["id"],
                             "body": {"state": "identified", "message": message},
                             "status": 201}},
                {"check": "waitText", "selector": "section[aria-labelledby=h-a]",
                 "contains": [shown, "Identified"], "timeoutMs": int(LIVE_UPDATE * 1000),
                 "noReload": True, "label": "live update without reload"},
                text("#banner", "Degraded performance"),
                {"check": "noConsoleErrors"},
                screenshot("outage-desktop-light"),
                # The report's link comes right after the navigation.
                keyboard(NAV + [report["title"]]),
            ]),
            scenario("outage-nojs-desktop-light", PAGE, front + [
                text("section[aria-labelledby=h-a]", shown, "Identified"),
                count("noscript"),
                screenshot("outage-nojs-desktop-light"),
            ], js=False),
            scenario("outage-desktop-dark", PAGE, [
                text("#banner", "Degraded performance"),
                contrast(dark=True),
                axe(),
                screenshot("outage-desktop-dark"),
            ], scheme="dark"),
            scenario("outage-front-light-axe", PAGE, [axe()]),
            scenario("outage-phone-light", PAGE, [
                {"check": "noHorizontalScroll"}, screenshot("outage-phone-light"),
            ], viewport="phone"),
            scenario("outage-phone-dark", PAGE, [
                {"check": "noHorizontalScroll"}, screenshot("outage-phone-dark"),
            ], viewport="phone", scheme="dark"),
        ]
        timeline = [
            text("h1", report["title"]),
            text("ol.tl", "Identified", shown, "Investigating",
                 "Our monitoring has detected a problem"),
            count("ol.tl > li", 2, 2),
            text("main", "Affects Web"),
        ]
        for scheme in ("light", "dark"):
            scenarios += [
                scenario("incident-desktop-%s" % scheme, incident, timeline + [
                    axe(), screenshot("incident-desktop-%s" % scheme)], scheme=scheme),
                scenario("component-desktop-%s" % scheme, "%scomponents/web" % PAGE, [
                    text("main", "Web", "Degraded"),
                    count("svg[role=img]", 1),
                    axe(), screenshot("component-desktop-%s" % scheme)], scheme=scheme),
                scenario("history-desktop-%s" % scheme, "%shistory" % PAGE, [
                    text("main", "Incident history", report["title"]),
                    axe(), screenshot("history-desktop-%s" % scheme)], scheme=scheme),
            ]
        scenarios += [
            scenario("incident-phone-light", incident, [
                {"check": "noHorizontalScroll"}, screenshot("incident-phone-light"),
            ], viewport="phone"),
            scenario("incident-nojs", incident, timeline, js=False),
        ]
        doc = self.browse("outage", scenarios)
        # The update the browser posted is the report's, as the API tells.
        updated = self.d.get_json("/api/v1/status-reports/%d" % report["id"])
        self.assertEqual([u["state"] for u in updated["updates"]], ["identified", "investigating"])
        self.assert_all_passed(doc)


if __name__ == "__main__":
    lktest.main()
