"""A `kill -9` of the daemon loses neither incidents nor stored results: after a restart on the
same storage file, the open incident is the same one, it is not opened twice, and it closes
when the target recovers."""

import time

import lktest
from lktest import HttpServer, NotYet, check_yaml, config_yaml, refusing_port, wait_for


class CrashRestart(lktest.LkTestCase):
    def test_an_open_incident_survives_kill_9_and_closes_after_recovery(self):
        started = time.time()
        healthy = self.target(HttpServer(status=200, body="fine"))
        refused = self.target(refusing_port())
        down_port = refused.port
        checks = [
            check_yaml("steady", "http", url=healthy.url("/steady"), interval="1s", timeout="1s"),
            check_yaml("down", "http", url="http://127.0.0.1:%d/" % down_port, interval="1s",
                       timeout="1s", failure_threshold=2, recovery_threshold=2),
        ]
        storage = self.tmp.join("lk.db")
        config = self.tmp.write("lightkeeper.yaml", config_yaml(storage, checks))

        first = self.serve(config, name="before-crash")

        def down_incident(lk):
            found = lk.incidents("?check=down")
            return found if found else NotYet(found)
        incidents = wait_for(lambda: down_incident(first), 30, "an incident for check 'down'")
        self.assertEqual(len(incidents), 1, incidents)
        incident = incidents[0]
        self.assertTrue(incident["open"], incident)
        self.assertIn("refused", incident["cause"], incident)

        # Results the API has shown are committed to the store; make sure there are a few.
        def steady_results():
            r = first.results("steady", started - 60)
            return r if len(r) >= 3 else NotYet(len(r))
        wait_for(steady_results, 20, "three stored results of check 'steady'")
        before_kill = first.results("steady", started - 60)
        kill_time = time.time()

        first.kill9()
        self.assertEqual(first.proc.returncode, -9)

        second = self.serve(config, name="after-crash")
        self.assertIn("restored the state of 2 check(s), 1 open incident(s)", second.log())

        # Still down, still the same incident; let a few more failures pass first.
        def fails_after_restart():
            r = [x for x in second.results("down", kill_time) if x["status"] == "fail"]
            return r if len(r) >= 3 else NotYet(len(r))
        wait_for(fails_after_restart, 30, "three failed results of 'down' after the restart")
        incidents = second.incidents("?check=down")
        self.assertEqual([(i["id"], i["open"]) for i in incidents], [(incident["id"], True)],
                         incidents)
        self.assertEqual(incidents[0]["opened_at"], incident["opened_at"], incidents)
        down = second.checks()["down"]
        self.assertEqual(down["state"], "fail", down)
        self.assertEqual(down["open_incident"], incident["id"], down)
        # The restored checks carried on from their stored state instead of starting over.
        self.assertNotIn("check down: pending", second.log())
        self.assertNotIn("check steady: pending", second.log())
        self.assertNotIn("opened", second.log())

        # The earlier results of 'steady' are all still there.
        after = second.results("steady", started - 60)
        after_times = {r["started_at"] for r in after}
        lost = [r["started_at"] for r in before_kill if r["started_at"] not in after_times]
        self.assertEqual(lost, [], "results shown before the kill were lost")
        self.assertTrue(all(r["status"] == "ok" for r in after), after)

        # The target comes back on the same port: the same incident closes.
        refused.close()
        self.target(HttpServer(status=200, body="back", port=down_port))

        def closed():
            found = second.incidents("?check=down")
            return found if found and not found[0]["open"] else NotYet(found)
        incidents = wait_for(closed, 30, "the incident of 'down' to close after recovery")
        self.assertEqual(len(incidents), 1, incidents)
        self.assertEqual(incidents[0]["id"], incident["id"], incidents)
        self.assertIsNotNone(incidents[0]["closed_at"], incidents)
        # The status model is republished every 250 ms, so it may trail the store briefly.
        def recovered():
            down = second.checks()["down"]
            return down if down["state"] == "ok" else NotYet(down["state"])
        down = wait_for(recovered, 5, "check 'down' to be shown as ok")
        self.assertIsNone(down["open_incident"], down)
        self.assertEqual(second.incidents("?open=true"), [])


if __name__ == "__main__":
    lktest.main()
