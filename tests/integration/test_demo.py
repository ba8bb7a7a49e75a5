"""`lightkeeper demo`: built-in targets fail on a schedule, so within a few minutes an incident
opens and closes by itself, and the status page lists its report among the past incidents."""

import html

import lktest
from lktest import Daemon, NotYet, free_port, wait_for

DEADLINE = 180.0


class Demo(lktest.LkTestCase):
    def test_an_incident_opens_and_closes_and_the_page_shows_it(self):
        port = free_port()
        storage = self.tmp.join("demo.db")
        lk = self.daemon(Daemon(self.tmp, ["demo", "--listen", "127.0.0.1:%d" % port,
                                           "--storage", storage, "--interval", "2s"],
                                name="demo").start())
        lk.wait_healthy()
        self.assertEqual(lk.port, port, "the demo listens where it was told")

        checks = lk.checks()
        self.assertGreaterEqual(len(checks), 3, checks)
        for c in checks.values():
            self.assertEqual(c["interval_ms"], 2000, c)

        def a_closed_incident():
            incidents = lk.incidents()
            closed = [i for i in incidents if not i["open"]]
            return closed if closed else NotYet([(i["id"], i["check"], i["open"])
                                                 for i in incidents])
        closed = wait_for(a_closed_incident, DEADLINE,
                          "an incident that opened and closed again", interval=1.0)
        incident = closed[-1]
        self.assertIn(incident["check"], checks, incident)
        self.assertIsNotNone(incident["closed_at"], incident)
        self.assertLess(incident["opened_at"], incident["closed_at"], incident)
        self.assertGreater(incident["duration_ms"], 0, incident)
        self.assertTrue(incident["cause"], incident)

        # Clients read about it on the status page: the outage opened an incident report of the
        # component the check belongs to, which resolved itself with the recovery.
        def resolved_report():
            reports = lk.get_json("/api/v1/status-reports?open=false")["reports"]
            mine = [r for r in reports if r["automatic"] and incident["id"] in r["incidents"]]
            return mine[0] if mine else NotYet([(r["id"], r["title"], r["incidents"])
                                                for r in reports])
        report = wait_for(resolved_report, 15, "the incident's report to be resolved")
        self.assertEqual([u["state"] for u in report["updates"]], ["resolved", "investigating"])

        def page_lists_it():
            page = lk.get_text("/")
            past = page.split("Past incidents", 1)[-1]
            return past if html.escape(report["title"]) in past else NotYet(past[:600])
        past = wait_for(page_lists_it, 10, "the status page's past incidents to list %r"
                        % report["title"])
        self.assertNotIn("No incidents in the last 7 days", past)
        # The check's own message (addresses, errors) stays internal.
        self.assertNotIn(incident["cause"], html.unescape(lk.get_text("/")))


if __name__ == "__main__":
    lktest.main()
