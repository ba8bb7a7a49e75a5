"""`lightkeeper demo`: built-in targets fail on a schedule, so within a few minutes an incident
opens and closes by itself, and the status page lists it among the recent incidents."""

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

        def page_lists_it():
            page = lk.get_text("/")
            recent = page.split('id="recent-incidents"', 1)[-1]
            return recent if "<td>%s</td>" % html.escape(incident["check"]) in recent else \
                NotYet(recent[:600])
        recent = wait_for(page_lists_it, 10, "the status page's recent incidents to list %s"
                          % incident["check"])
        self.assertNotIn("No recent incidents", recent)
        self.assertIn(incident["cause"], html.unescape(recent))


if __name__ == "__main__":
    lktest.main()
