"""Alerts leave the real daemon and reach real receivers on loopback: every service-shaped
channel sends its service's request for a problem and its recovery; email goes through SMTP
with STARTTLS and AUTH as one thread per incident; a receiver that is down, asks to wait
(Retry-After) or errors through a kill -9 gets the message exactly once; a notifier that fails
for good is reported to the fallback. Secrets come from ${VAR} and never reach the log."""

import datetime
import hashlib
import hmac
import json
import os
import time
import urllib.parse

import lktest
from lktest import HOST, HttpServer, NotYet, check_yaml, config_yaml, free_port, wait_for, \
    yaml_quote
from alertpeers import EnvDaemon, Receiver, SmtpSink, basic_auth, trust_wrapper

# Slack for start-up, the first failing result, the outbox poll (500 ms) and a loaded machine.
DELIVERY = 30.0
DISCORD_RED = 0xE01E5A


def token(label):
    """A secret that cannot occur in a log by chance."""
    return "%s-%s" % (label, os.urandom(8).hex())


def yaml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_quote(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join("%s: %s" % (k, yaml_quote(v)) for k, v in value.items()) + "}"
    return yaml_quote(value)


def notifier_yaml(name, type_, **options):
    """One item of `notifiers:`; `timeout` is written as a duration."""
    lines = ["  - name: %s" % name, "    type: %s" % type_]
    for key, value in options.items():
        lines.append("    %s: %s" % (key, value if key == "timeout" else yaml_value(value)))
    return "\n".join(lines) + "\n"


class Target:
    """An HTTP target whose status the test sets: the check fails on 500, passes on 200."""

    def __init__(self, status=500):
        self.status = status
        self.server = HttpServer(handler=lambda method, path: (
            self.status, {"Content-Type": "text/plain"}, b"status %d" % self.status))

    def url(self, path="/health"):
        return self.server.url(path)

    def stop(self):
        self.server.stop()


class AlertCase(lktest.LkTestCase):
    """A daemon with one check `api` on a target the test controls, and notifiers."""

    check_name = "api"

    def setUp(self):
        super().setUp()
        self.storage = self.tmp.join("lk.db")
        self.web_port = free_port()
        self.public_url = "http://%s:%d" % (HOST, self.web_port)
        self.target_server = self.target(Target(status=500))

    def receiver(self, name, **kwargs):
        return self.target(Receiver(name, **kwargs))

    def write_config(self, notifiers, notify, group_wait="0s", alerting=None):
        extra = "public_url: %s\nnotifiers:\n%s" % (self.public_url, "".join(notifiers))
        extra += "routes:\n  - notify: %s\n    group_wait: %s\n" % (yaml_value(notify),
                                                                      group_wait)
        if alerting:
            extra += "alerting:\n" + "".join("  %s: %s\n" % (k, yaml_value(v))
                                             for k, v in alerting.items())
        checks = [check_yaml(self.check_name, "http", url=self.target_server.url(),
                             interval="1s", timeout="1s", failure_threshold=1,
                             recovery_threshold=1)]
        text = config_yaml(self.storage, checks, listen="%s:%d" % (HOST, self.web_port),
                           extra=extra)
        return self.tmp.write("lightkeeper.yaml", text)

    def start(self, config, env=None, name="serve", prefix=None):
        lk = EnvDaemon(self.tmp, ["serve", "-c", config], name=name, env=env, prefix=prefix)
        self.daemon(lk.start())
        return lk.wait_healthy()

    def alive(self, lk):
        def check():
            if not lk.alive():
                raise lktest.GiveUp("lightkeeper exited with code %s\n--- log ---\n%s"
                                    % (lk.proc.returncode, lk.log()))
        return check

    def notifications(self, lk, **query):
        return lk.get_json("/api/v1/notifications?" + urllib.parse.urlencode(query))[
            "notifications"]

    def incident(self, lk):
        def opened():
            found = lk.incidents("?check=" + self.check_name)
            return found[0] if found else NotYet(found)
        return wait_for(opened, DELIVERY, "an incident for check %s" % self.check_name)

    def wait_notification(self, lk, channel, predicate, what, timeout=DELIVERY):
        """Polls /api/v1/notifications?channel= until one matches; returns it."""
        def found():
            alive = self.alive(lk)
            alive()
            got = [n for n in self.notifications(lk, channel=channel) if predicate(n)]
            return got[0] if got else NotYet(self.notifications(lk, channel=channel))
        return wait_for(found, timeout, what)

    def assertNoSecrets(self, text, secrets, where):
        for name, value in secrets.items():
            self.assertNotIn(value, text, "%s (from ${%s}) appears in %s" % (value, name, where))


# ---------------------------------------------------------------------------------------------
# 1. Every service-shaped channel, problem and recovery
# ---------------------------------------------------------------------------------------------


class ServiceShapes(AlertCase):
    def test_each_service_gets_its_own_request_for_the_problem_and_the_recovery(self):
        r = {name: self.receiver(name) for name in (
            "ops-hook", "team-slack", "team-mattermost", "team-discord", "team-teams",
            "team-chat", "team-telegram", "team-matrix", "team-ntfy", "team-pushover",
            "team-gotify", "team-pagerduty", "team-opsgenie", "team-twilio", "team-sms")}
        secrets = {
            "LKTEST_WEBHOOK_SECRET": token("whsec"),
            "LKTEST_SLACK_TOKEN": token("slack"),
            "LKTEST_MATTERMOST_TOKEN": token("mattermost"),
            "LKTEST_DISCORD_TOKEN": token("discord"),
            "LKTEST_TEAMS_SIG": token("teamssig"),
            "LKTEST_CHAT_TOKEN": token("chat"),
            "LKTEST_TELEGRAM_SECRET": token("telegram"),
            "LKTEST_MATRIX_TOKEN": token("syt"),
            "LKTEST_NTFY_TOKEN": token("tk_ntfy"),
            "LKTEST_PUSHOVER_APP": token("pushapp"),
            "LKTEST_PUSHOVER_USER": token("pushuser"),
            "LKTEST_GOTIFY_TOKEN": token("gotify"),
            "LKTEST_PAGERDUTY_KEY": token("pdkey"),
            "LKTEST_OPSGENIE_KEY": token("genie"),
            "LKTEST_TWILIO_TOKEN": token("twilio"),
            "LKTEST_SMS_KEY": token("smskey"),
        }
        s = secrets
        env = dict(secrets)
        # Webhook URLs whose path or query is the secret come whole from the environment.
        paths = {
            "team-slack": "/services/T0LK/B0LK/" + s["LKTEST_SLACK_TOKEN"],
            "team-mattermost": "/hooks/" + s["LKTEST_MATTERMOST_TOKEN"],
            "team-discord": "/api/webhooks/1234567890/" + s["LKTEST_DISCORD_TOKEN"],
            "team-teams": "/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig="
                          + s["LKTEST_TEAMS_SIG"],
            "team-chat": "/v1/spaces/AAAA/messages?key=chatkey&token=" + s["LKTEST_CHAT_TOKEN"],
        }
        for name, path in paths.items():
            env["LKTEST_URL_" + name.replace("-", "_").upper()] = r[name].url(path)
        telegram_token = "123456:" + s["LKTEST_TELEGRAM_SECRET"]
        env["LKTEST_TELEGRAM_TOKEN"] = telegram_token
        twilio_sid = "AC0123456789abcdef0123456789abcdef"
        room = "!ops:example.org"

        def url_var(name):
            return "${LKTEST_URL_%s}" % name.replace("-", "_").upper()

        notifiers = [
            notifier_yaml("ops-hook", "webhook", url=r["ops-hook"].url("/hook"),
                          secret="${LKTEST_WEBHOOK_SECRET}"),
            notifier_yaml("team-slack", "slack", url=url_var("team-slack")),
            notifier_yaml("team-mattermost", "mattermost", url=url_var("team-mattermost"),
                          channel="town-square", username="lightkeeper-bot"),
            notifier_yaml("team-discord", "discord", url=url_var("team-discord"),
                          username="Lightkeeper"),
            notifier_yaml("team-teams", "teams", url=url_var("team-teams")),
            notifier_yaml("team-chat", "google_chat", url=url_var("team-chat")),
            notifier_yaml("team-telegram", "telegram", bot_token="${LKTEST_TELEGRAM_TOKEN}",
                          chat_id="-1001234567890", api_url=r["team-telegram"].url("")),
            notifier_yaml("team-matrix", "matrix", homeserver=r["team-matrix"].url(""),
                          room_id=room, access_token="${LKTEST_MATRIX_TOKEN}"),
            notifier_yaml("team-ntfy", "ntfy", server=r["team-ntfy"].url(""), topic="lk-alerts",
                          access_token="${LKTEST_NTFY_TOKEN}"),
            notifier_yaml("team-pushover", "pushover",
                          url=r["team-pushover"].url("/1/messages.json"),
                          app_token="${LKTEST_PUSHOVER_APP}", user_key="${LKTEST_PUSHOVER_USER}"),
            notifier_yaml("team-gotify", "gotify", server=r["team-gotify"].url(""),
                          app_token="${LKTEST_GOTIFY_TOKEN}"),
            notifier_yaml("team-pagerduty", "pagerduty", url=r["team-pagerduty"].url("/v2/enqueue"),
                          routing_key="${LKTEST_PAGERDUTY_KEY}"),
            notifier_yaml("team-opsgenie", "opsgenie", api_url=r["team-opsgenie"].url(""),
                          api_key="${LKTEST_OPSGENIE_KEY}", tags=["web"]),
            notifier_yaml("team-twilio", "twilio", api_url=r["team-twilio"].url(""),
                          account_sid=twilio_sid, auth_token="${LKTEST_TWILIO_TOKEN}",
                          to="+447700900123", **{"from": "+15005550006"}),
            notifier_yaml("team-sms", "sms_gateway",
                          url=r["team-sms"].url("/send?to={{recipient}}&key=${LKTEST_SMS_KEY}"),
                          content_type="application/json",
                          body='{"to": "{{recipient}}", "message": "{{text}}"}',
                          headers={"X-Check": "{{check}}"}, recipient="+447700900123",
                          secrets=["${LKTEST_SMS_KEY}"]),
        ]
        config = self.write_config(notifiers, list(r))
        lk = self.start(config, env=env)
        alive = self.alive(lk)

        for name, receiver in r.items():
            receiver.wait_requests(1, DELIVERY, "the problem", alive=alive)
        incident = self.incident(lk)
        iid = incident["id"]
        self.target_server.status = 200
        for name, receiver in r.items():
            receiver.wait_requests(2, DELIVERY, "the recovery", alive=alive)

        ctx = {
            "iid": iid,
            "key": "lightkeeper-%s-%d" % (self.check_name, iid),
            "status_page": self.public_url + "/checks/" + self.check_name,
            "ack_prefix": self.public_url + "/ack/",
        }
        checks = {
            "ops-hook": lambda p, q: self.webhook(p, q, ctx, s["LKTEST_WEBHOOK_SECRET"]),
            "team-slack": lambda p, q: self.slack(p, q, paths["team-slack"]),
            "team-mattermost": lambda p, q: self.mattermost(p, q, paths["team-mattermost"]),
            "team-discord": lambda p, q: self.discord(p, q, ctx, paths["team-discord"]),
            "team-teams": lambda p, q: self.teams(p, q, ctx, s["LKTEST_TEAMS_SIG"]),
            "team-chat": lambda p, q: self.google_chat(p, q, ctx, s["LKTEST_CHAT_TOKEN"]),
            "team-telegram": lambda p, q: self.telegram(p, q, telegram_token),
            "team-matrix": lambda p, q: self.matrix(p, q, room, s["LKTEST_MATRIX_TOKEN"]),
            "team-ntfy": lambda p, q: self.ntfy(p, q, ctx, s["LKTEST_NTFY_TOKEN"]),
            "team-pushover": lambda p, q: self.pushover(p, q, ctx, s["LKTEST_PUSHOVER_APP"],
                                                        s["LKTEST_PUSHOVER_USER"]),
            "team-gotify": lambda p, q: self.gotify(p, q, ctx, s["LKTEST_GOTIFY_TOKEN"]),
            "team-pagerduty": lambda p, q: self.pagerduty(p, q, ctx, s["LKTEST_PAGERDUTY_KEY"]),
            "team-opsgenie": lambda p, q: self.opsgenie(p, q, ctx, s["LKTEST_OPSGENIE_KEY"]),
            "team-twilio": lambda p, q: self.twilio(p, q, twilio_sid,
                                                    s["LKTEST_TWILIO_TOKEN"]),
            "team-sms": lambda p, q: self.sms_gateway(p, q, ctx, s["LKTEST_SMS_KEY"]),
        }
        for name, receiver in r.items():
            with self.subTest(notifier=name):
                got = receiver.received()
                self.assertEqual(len(got), 2, got)
                problem, recovery = got
                # The sender adds the notification id as the Idempotency-Key to every request.
                self.assertEqual(problem.header("Idempotency-Key"),
                                 "lightkeeper-p%d:t0:c0:%s" % (iid, name), problem)
                self.assertEqual(recovery.header("Idempotency-Key"),
                                 "lightkeeper-p%d:ok:%s" % (iid, name), recovery)
                checks[name](problem, recovery)
                for req in got:
                    names = [k.lower() for k, _ in req.header_list]
                    self.assertEqual(sorted(set(names)), sorted(names), req.header_list)

        # The outbox agrees: per notifier one problem and one recovery, each sent at once.
        listed = self.notifications(lk, check=self.check_name)
        by_channel = {}
        for n in listed:
            by_channel.setdefault(n["channel"], []).append(n)
        self.assertEqual(sorted(by_channel), sorted(r), listed)
        for name, items in by_channel.items():
            with self.subTest(outbox=name):
                self.assertEqual(sorted(n["kind"] for n in items), ["problem", "recovery"], items)
                for n in items:
                    self.assertEqual(n["state"], "sent", n)
                    self.assertEqual([(a["outcome"], a["status"]) for a in n["attempts"]],
                                     [("sent", 200)], n)
        # Secrets came from ${VAR}: neither the log nor the API shows them.
        self.assertNoSecrets(lk.log(), secrets, "the daemon's log")
        self.assertNoSecrets(json.dumps(listed), secrets, "/api/v1/notifications")
        self.assertIn("alert: problem about %s to team-pagerduty" % self.check_name, lk.log())
        self.assertRegex(lk.log(), r"notification #\d+ \(recovery\) sent to team-opsgenie")

    # One method per service: (problem request, recovery request). ----------------------------

    def json_post(self, req, path, content_type="application/json"):
        self.assertEqual(req.method, "POST", req)
        self.assertEqual(req.path, path, req)
        self.assertEqual(req.header("Content-Type"), content_type, req)
        return req.json()

    def webhook(self, p, q, ctx, secret):
        for req, event in ((p, "problem"), (q, "recovery")):
            body = self.json_post(req, "/hook")
            expected = "sha256=" + hmac.new(secret.encode(), req.body, hashlib.sha256).hexdigest()
            self.assertEqual(req.header("X-Lightkeeper-Signature"), expected, req.headers)
            self.assertEqual(req.header("X-Lightkeeper-Event"), event)
            self.assertEqual(body["version"], 1)
            self.assertEqual(body["id"], req.header("Idempotency-Key"))
            self.assertEqual(body["event"], event)
            self.assertEqual(body["check"], self.check_name)
            self.assertEqual(body["incident"], {"id": ctx["iid"], "key": ctx["key"]})
            self.assertEqual(body["status_page_url"], ctx["status_page"])
        pb, qb = p.json(), q.json()
        self.assertEqual(pb["title"], "DOWN: api")
        self.assertTrue(pb["text"].startswith("DOWN: api\n"), pb["text"])
        self.assertIn("500", pb["error"])
        self.assertTrue(pb["ack_url"].startswith(ctx["ack_prefix"]), pb)
        self.assertEqual(qb["title"], "RECOVERED: api")
        self.assertEqual(qb["ack_url"], "")

    def slack(self, p, q, path):
        for req, title in ((p, "DOWN: api"), (q, "RECOVERED: api")):
            body = self.json_post(req, path)
            self.assertTrue(body["text"].startswith("*%s*\n" % title), body)
            self.assertEqual(body["blocks"][0], {"type": "header", "text": {
                "type": "plain_text", "text": title}})
            self.assertEqual(body["blocks"][1]["type"], "section")
            self.assertEqual(body["blocks"][1]["text"]["type"], "mrkdwn")

    def mattermost(self, p, q, path):
        for req, title in ((p, "DOWN: api"), (q, "RECOVERED: api")):
            body = self.json_post(req, path)
            self.assertTrue(body["text"].startswith("#### %s\n" % title), body)
            self.assertEqual(body["channel"], "town-square")
            self.assertEqual(body["username"], "lightkeeper-bot")

    def discord(self, p, q, ctx, path):
        for req, title in ((p, "DOWN: api"), (q, "RECOVERED: api")):
            body = self.json_post(req, path)
            self.assertEqual(body["username"], "Lightkeeper")
            self.assertNotIn("content", body)  # nothing the check says can mention anyone
            (embed,) = body["embeds"]
            self.assertEqual(embed["title"], title)
            self.assertEqual(embed["url"], ctx["status_page"])
            self.assertIn("Incident: #%d" % ctx["iid"], embed["description"])
        self.assertEqual(p.json()["embeds"][0]["color"], DISCORD_RED)
        self.assertNotEqual(q.json()["embeds"][0]["color"], DISCORD_RED)

    def teams(self, p, q, ctx, sig):
        for req, title, colour in ((p, "DOWN: api", "Attention"), (q, "RECOVERED: api", "Good")):
            body = self.json_post(req, "/workflows/abc/triggers/manual/paths/invoke")
            self.assertEqual(req.query["sig"], [sig])
            self.assertEqual(body["type"], "message")
            (attachment,) = body["attachments"]
            self.assertEqual(attachment["contentType"], "application/vnd.microsoft.card.adaptive")
            card = attachment["content"]
            self.assertEqual((card["type"], card["version"]), ("AdaptiveCard", "1.4"))
            self.assertEqual((card["body"][0]["text"], card["body"][0]["color"]), (title, colour))
        actions = {a["title"]: a["url"] for a in p.json()["attachments"][0]["content"]["actions"]}
        self.assertEqual(actions["Status page"], ctx["status_page"])
        self.assertTrue(actions["Acknowledge"].startswith(ctx["ack_prefix"]), actions)
        actions = {a["title"] for a in q.json()["attachments"][0]["content"]["actions"]}
        self.assertEqual(actions, {"Status page"})

    def google_chat(self, p, q, ctx, chat_token):
        for req, title in ((p, "DOWN: api"), (q, "RECOVERED: api")):
            body = self.json_post(req, "/v1/spaces/AAAA/messages",
                                  "application/json; charset=UTF-8")
            self.assertEqual(req.query, {
                "key": ["chatkey"], "token": [chat_token], "threadKey": [ctx["key"]],
                "messageReplyOption": ["REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"]})
            self.assertTrue(body["text"].startswith("*%s*\n" % title), body)

    def telegram(self, p, q, bot_token):
        for req, title in ((p, "DOWN: api"), (q, "RECOVERED: api")):
            body = self.json_post(req, "/bot%s/sendMessage" % bot_token)
            self.assertEqual(body["chat_id"], -1001234567890)  # a number, not a string
            self.assertEqual(body["parse_mode"], "HTML")
            self.assertTrue(body["text"].startswith("<b>%s</b>\n" % title), body)

    def matrix(self, p, q, room, access_token):
        txn_ids = []
        for req, title in ((p, "DOWN: api"), (q, "RECOVERED: api")):
            self.assertEqual(req.method, "PUT", req)
            self.assertEqual(req.header("Content-Type"), "application/json")
            self.assertEqual(req.header("Authorization"), "Bearer " + access_token)
            segments = req.path.split("/")
            # /_matrix/client/v3/rooms/<room>/send/m.room.message/<txnId>
            self.assertEqual(len(segments), 9, req.path)
            self.assertEqual(segments[:5], ["", "_matrix", "client", "v3", "rooms"], req.path)
            self.assertEqual(urllib.parse.unquote(segments[5]), room, req.path)
            self.assertEqual(segments[6:8], ["send", "m.room.message"], req.path)
            txn = urllib.parse.unquote(segments[8])
            self.assertEqual(txn, req.header("Idempotency-Key"))
            txn_ids.append(txn)
            body = req.json()
            self.assertEqual(body["msgtype"], "m.text")
            self.assertTrue(body["body"].startswith(title + "\n"), body)
        # A homeserver drops a message whose transaction id it has seen.
        self.assertNotEqual(txn_ids[0], txn_ids[1])

    def ntfy(self, p, q, ctx, access_token):
        for req in (p, q):
            self.assertEqual((req.method, req.path), ("POST", "/lk-alerts"), req)
            self.assertEqual(req.header("Content-Type"), "text/plain; charset=utf-8")
            self.assertEqual(req.header("Authorization"), "Bearer " + access_token)
            self.assertEqual(req.header("Click"), ctx["status_page"])
            self.assertIn("Incident: #%d" % ctx["iid"], req.body.decode())
        self.assertEqual((p.header("Title"), p.header("Priority"), p.header("Tags")),
                         ("DOWN: api", "5", "rotating_light,lightkeeper,api"))
        actions = p.header("Actions")
        self.assertTrue(actions.startswith("view, Acknowledge, " + ctx["ack_prefix"]), actions)
        self.assertEqual((q.header("Title"), q.header("Priority"), q.header("Tags")),
                         ("RECOVERED: api", "3", "white_check_mark,lightkeeper,api"))
        self.assertIsNone(q.header("Actions"))

    def pushover(self, p, q, ctx, app_token, user_key):
        for req in (p, q):
            self.assertEqual((req.method, req.path), ("POST", "/1/messages.json"), req)
            self.assertEqual(req.header("Content-Type"), "application/x-www-form-urlencoded")
            form = req.form()
            self.assertEqual((form["token"], form["user"]), (app_token, user_key))
            self.assertIn("Incident: #%d" % ctx["iid"], form["message"])
            self.assertLess(abs(int(form["timestamp"]) - time.time()), 120, form)
        pf, qf = p.form(), q.form()
        self.assertEqual((pf["title"], pf["priority"], pf["url_title"]),
                         ("DOWN: api", "1", "Acknowledge"))
        self.assertTrue(pf["url"].startswith(ctx["ack_prefix"]), pf)
        self.assertEqual((qf["title"], qf["priority"], qf["url"], qf["url_title"]),
                         ("RECOVERED: api", "0", ctx["status_page"], "Status page"))

    def gotify(self, p, q, ctx, app_token):
        for req, title, priority in ((p, "DOWN: api", 8), (q, "RECOVERED: api", 4)):
            body = self.json_post(req, "/message")
            self.assertEqual(req.query, {"token": [app_token]})
            self.assertEqual((body["title"], body["priority"]), (title, priority))
            self.assertIn("Incident: #%d" % ctx["iid"], body["message"])
        click = p.json()["extras"]["client::notification"]["click"]["url"]
        self.assertTrue(click.startswith(ctx["ack_prefix"]), click)
        click = q.json()["extras"]["client::notification"]["click"]["url"]
        self.assertEqual(click, ctx["status_page"])

    def pagerduty(self, p, q, ctx, routing_key):
        body = self.json_post(p, "/v2/enqueue")
        self.assertEqual((body["routing_key"], body["event_action"], body["dedup_key"]),
                         (routing_key, "trigger", ctx["key"]))
        payload = body["payload"]
        self.assertTrue(payload["summary"].startswith("DOWN: api: "), payload)
        self.assertEqual((payload["severity"], payload["component"]), ("critical", "api"))
        self.assertTrue(payload["source"], payload)
        self.assertEqual(payload["custom_details"]["incident"], ctx["iid"])
        self.assertTrue(payload["custom_details"]["ack_url"].startswith(ctx["ack_prefix"]))
        self.assertEqual(body["client_url"], ctx["status_page"])
        body = self.json_post(q, "/v2/enqueue")
        self.assertEqual(body, {"routing_key": routing_key, "event_action": "resolve",
                                "dedup_key": ctx["key"]})

    def opsgenie(self, p, q, ctx, api_key):
        body = self.json_post(p, "/v2/alerts")
        self.assertEqual(p.header("Authorization"), "GenieKey " + api_key)
        self.assertEqual((body["message"], body["alias"], body["priority"], body["entity"]),
                         ("DOWN: api", ctx["key"], "P1", "api"))
        self.assertEqual(body["tags"], ["lightkeeper", "web"])
        self.assertTrue(body["details"]["ack_url"].startswith(ctx["ack_prefix"]))
        body = self.json_post(q, "/v2/alerts/%s/close" % ctx["key"])
        self.assertEqual(q.header("Authorization"), "GenieKey " + api_key)
        self.assertEqual(q.query, {"identifierType": ["alias"]})
        self.assertEqual(body["source"], "Lightkeeper")
        self.assertIn("again", body["note"])

    def twilio(self, p, q, sid, auth_token):
        for req, title in ((p, "DOWN: api"), (q, "RECOVERED: api")):
            self.assertEqual((req.method, req.path),
                             ("POST", "/2010-04-01/Accounts/%s/Messages.json" % sid), req)
            self.assertEqual(req.header("Content-Type"), "application/x-www-form-urlencoded")
            self.assertEqual(req.header("Authorization"), basic_auth(sid, auth_token))
            form = req.form()
            self.assertEqual((form["To"], form["From"]), ("+447700900123", "+15005550006"))
            self.assertTrue(form["Body"].startswith(title + "\n"), form)

    def sms_gateway(self, p, q, ctx, key):
        for req, title in ((p, "DOWN: api"), (q, "RECOVERED: api")):
            body = self.json_post(req, "/send")
            self.assertEqual(req.query, {"to": ["+447700900123"], "key": [key]})
            self.assertEqual(req.header("X-Check"), "api")
            self.assertEqual(body["to"], "+447700900123")
            self.assertTrue(body["message"].startswith(title + "\n"), body)
        self.assertIn("Ack: " + ctx["ack_prefix"], p.json()["message"])


# ---------------------------------------------------------------------------------------------
# 2. Email over SMTP with STARTTLS and AUTH
# ---------------------------------------------------------------------------------------------


class Email(AlertCase):
    def test_problem_and_recovery_arrive_as_one_thread_at_both_recipients(self):
        reason = SmtpSink.skip_reason()
        if reason:
            self.skipTest(reason)
        password = token("smtp-password")
        cert, key = lktest.make_self_signed_cert(self.tmp, name="smtp")
        sink = self.target(SmtpSink(self.tmp, cert, key, "alerts", password).start())
        # The email notifier has no option for a CA file and libcurl reads only the CA bundle
        # it was built with (not SSL_CERT_FILE): the daemon runs where that bundle also holds
        # the sink's certificate.
        prefix = trust_wrapper(self.tmp, cert)
        if prefix is None:
            self.skipTest("cannot make the daemon trust a test certificate here (needs root "
                          "and unshare -m)")
        recipients = ["oncall@example.org", "Ops Team <ops@example.org>"]
        notifiers = [notifier_yaml(
            "mail", "email", smtp="smtp://127.0.0.1:%d" % sink.port, starttls=True,
            username="alerts", password="${LKTEST_SMTP_PASSWORD}",
            **{"from": "Lightkeeper <lightkeeper@example.org>", "to": recipients})]
        config = self.write_config(notifiers, ["mail"])
        lk = self.start(config, env={"LKTEST_SMTP_PASSWORD": password}, prefix=prefix)

        def delivered(count):
            def enough():
                self.alive(lk)()
                got = sink.messages()
                if len(got) >= count:
                    return got
                return NotYet([n["last_error"] for n in self.notifications(lk, channel="mail")])
            return enough

        (problem,) = wait_for(delivered(1), DELIVERY, "the problem mail at the sink")
        self.target_server.status = 200
        messages = wait_for(delivered(2), DELIVERY, "the recovery mail at the sink")
        self.assertEqual(len(messages), 2, messages)
        recovery = messages[1]
        iid = self.incident(lk)["id"]

        for record, subject in ((problem, "DOWN: api"), (recovery, "RECOVERED: api")):
            with self.subTest(subject=subject):
                self.assertTrue(record["tls"], "sent without STARTTLS")
                self.assertTrue(record["authenticated"], "sent without AUTH")
                self.assertEqual(record["login"], "alerts")
                self.assertEqual(record["mail_from"], "lightkeeper@example.org")
                self.assertEqual(record["rcpt_tos"], ["oncall@example.org", "ops@example.org"])
                msg = record["message"]
                self.assertEqual(msg["Subject"], subject)
                self.assertIn("oncall@example.org", msg["To"])
                self.assertIn("ops@example.org", msg["To"])
                self.assertEqual(msg["X-Lightkeeper-Incident"], "lightkeeper-api-%d" % iid)
                self.assertEqual(msg["Auto-Submitted"], "auto-generated")
                self.assertEqual(msg.get_content_type(), "multipart/alternative")
                parts = {part.get_content_type(): part.get_content()
                         for part in msg.iter_parts()}
                self.assertEqual(sorted(parts), ["text/html", "text/plain"])
                self.assertIn("Incident: #%d" % iid, parts["text/plain"])
                self.assertIn("<h2", parts["text/html"])
                self.assertIn(subject, parts["text/html"])
        p, r = problem["message"], recovery["message"]
        # One thread per incident: both point at the same thread id, with ids of their own.
        self.assertEqual(r["References"], p["References"])
        self.assertEqual(r["In-Reply-To"], p["References"])
        self.assertNotEqual(r["Message-ID"], p["Message-ID"])
        self.assertNotIn(password, lk.log())
        listed = self.notifications(lk, channel="mail")
        self.assertEqual(sorted((n["kind"], n["state"]) for n in listed),
                         [("problem", "sent"), ("recovery", "sent")], listed)
        self.assertEqual([a["status"] for n in listed for a in n["attempts"]], [250, 250])
        self.assertNotIn(password, json.dumps(listed))


# ---------------------------------------------------------------------------------------------
# 3-6. Receivers that are down, ask to wait, fail through a crash, or refuse for good
# ---------------------------------------------------------------------------------------------


class Retries(AlertCase):
    def hook(self, receiver, name="ops-hook"):
        return notifier_yaml(name, "webhook", url=receiver.url("/hook"), timeout="5s")

    def problem_key(self, lk, channel="ops-hook"):
        iid = self.incident(lk)["id"]
        return "lightkeeper-p%d:t0:c0:%s" % (iid, channel)

    def test_a_receiver_that_is_down_gets_the_message_once_it_is_up(self):
        receiver = self.receiver("ops-hook", up=False)
        lk = self.start(self.write_config([self.hook(receiver)], ["ops-hook"]))

        failed = self.wait_notification(
            lk, "ops-hook", lambda n: n["attempts"],
            "a failed attempt to the receiver that is down")
        self.assertEqual(failed["state"], "pending", failed)
        self.assertEqual(failed["kind"], "problem", failed)
        first = failed["attempts"][0]
        self.assertEqual(first["outcome"], "retryable", failed)
        self.assertIsNone(first["status"], failed)
        self.assertIn("connect", first["error"], failed)
        self.assertIn("127.0.0.1", first["error"], failed)
        self.assertIsNotNone(failed["next_attempt_at"], failed)
        receiver.up()

        # The first retry comes 1 to 10 s after the first attempt, the next one within 20 s.
        sent = self.wait_notification(lk, "ops-hook", lambda n: n["state"] == "sent",
                                      "the notification sent after the receiver came up",
                                      timeout=35)
        key = self.problem_key(lk)
        got = receiver.received()
        self.assertEqual([(g.header("Idempotency-Key"), g.status) for g in got], [(key, 200)])
        self.assertEqual(got[0].json()["id"], key)
        outcomes = [(a["outcome"], a["status"]) for a in sent["attempts"]]
        self.assertEqual(outcomes[-1], ("sent", 200), sent)
        self.assertTrue(all(o == ("retryable", None) for o in outcomes[:-1]), sent)
        self.assertGreaterEqual(len(outcomes), 2, sent)
        self.assertEqual(sent["attempt_count"], len(outcomes), sent)
        self.assertEqual(len(self.notifications(lk, channel="ops-hook")), 1)
        self.assertRegex(lk.log(), r"notification #\d+ to ops-hook not delivered")
        self.assertRegex(lk.log(), r"notification #\d+ \(problem\) sent to ops-hook")

    def test_retry_after_is_honoured(self):
        receiver = self.receiver("ops-hook")
        receiver.answer_next(429, {"Retry-After": "2", "Content-Type": "text/plain"},
                             b"slow down")
        lk = self.start(self.write_config([self.hook(receiver)], ["ops-hook"]))

        sent = self.wait_notification(lk, "ops-hook", lambda n: n["state"] == "sent",
                                      "the notification sent after a 429")
        got = receiver.received()
        self.assertEqual([g.status for g in got], [429, 200], got)
        self.assertEqual(got[0].header("Idempotency-Key"), got[1].header("Idempotency-Key"))
        gap = got[1].at - got[0].at
        # Retry-After: 2 and the outbox is read every 500 ms; backoff alone would be 1 to 10 s.
        self.assertGreaterEqual(gap, 1.9, "retried %.2fs after a 429 with Retry-After: 2" % gap)
        self.assertLess(gap, 2.0 + 0.5 + lktest.SLACK, "retried only after %.2fs" % gap)
        self.assertEqual([(a["outcome"], a["status"]) for a in sent["attempts"]],
                         [("retryable", 429), ("sent", 200)], sent)
        self.assertIn("429", sent["attempts"][0]["error"], sent)
        self.assertEqual(sent["attempt_count"], 2, sent)
        # The retry was planned for Retry-After, not for the backoff.
        first_at = api_time(sent["attempts"][0]["at"])
        second_at = api_time(sent["attempts"][1]["at"])
        self.assertGreaterEqual(second_at - first_at, 1.9, sent)

    def test_a_message_in_the_outbox_survives_kill_9_and_is_accepted_once(self):
        receiver = self.receiver("ops-hook", status=503, body=b"maintenance")
        config = self.write_config([self.hook(receiver)], ["ops-hook"])
        first = self.start(config, name="before-kill")

        pending = self.wait_notification(first, "ops-hook", lambda n: n["attempts"],
                                         "a 503 from the receiver")
        self.assertEqual((pending["state"], pending["attempts"][0]["outcome"],
                          pending["attempts"][0]["status"]), ("pending", "retryable", 503),
                         pending)
        key = self.problem_key(first)
        incident = self.incident(first)
        first.kill9()
        self.assertEqual(first.proc.returncode, -9)
        receiver.answer(200, {"Content-Type": "application/json"}, b'{"ok":true}')

        second = self.start(config, name="after-kill")
        sent = self.wait_notification(second, "ops-hook", lambda n: n["state"] == "sent",
                                      "the notification sent after the restart")
        accepted = [g for g in receiver.with_key(key) if g.status == 200]
        self.assertEqual(len(accepted), 1, receiver.received())
        self.assertTrue(all(g.header("Idempotency-Key") == key for g in receiver.received()),
                        receiver.received())
        self.assertGreaterEqual(len(receiver.with_key(key)), 2, receiver.received())
        self.assertEqual(sent["id"], pending["id"], sent)
        self.assertEqual(sent["attempts"][0], pending["attempts"][0], sent)
        self.assertEqual(sent["attempts"][-1]["outcome"], "sent", sent)
        # No second problem: the same incident, one notification for the channel.
        listed = self.notifications(second, channel="ops-hook")
        self.assertEqual([(n["id"], n["kind"]) for n in listed], [(pending["id"], "problem")],
                         listed)
        # The API's key is the outbox's; the receiver sees it with the product and the channel.
        self.assertEqual("lightkeeper-%s:ops-hook" % listed[0]["key"], key, listed)
        self.assertEqual([i["id"] for i in second.incidents("?check=api")], [incident["id"]])
        self.assertNotIn("alert: problem about", second.log())

    def test_a_notifier_failing_for_good_is_reported_to_the_fallback(self):
        refusing = self.receiver("team-telegram", status=401,
                                 body=b'{"ok":false,"error_code":401,"description":"Unauthorized"}')
        backup = self.receiver("backup-hook")
        bot_token = "123456:" + token("telegram")
        notifiers = [
            notifier_yaml("team-telegram", "telegram", bot_token="${LKTEST_TELEGRAM_TOKEN}",
                          chat_id="-1001234567890", api_url=refusing.url("")),
            self.hook(backup, name="backup-hook"),
        ]
        config = self.write_config(notifiers, ["team-telegram"],
                                   alerting={"fallback": ["backup-hook"]})
        lk = self.start(config, env={"LKTEST_TELEGRAM_TOKEN": bot_token})

        (report,) = backup.wait_requests(1, DELIVERY, "the notifier-failing message",
                                         alive=self.alive(lk))
        body = report.json()
        self.assertEqual(body["event"], "problem", body)
        self.assertIn("team-telegram", body["check"], body)
        self.assertIn("team-telegram", body["text"], body)
        self.assertIn("401", body["error"], body)
        self.assertIn("401", body["text"], body)
        self.assertNotIn(bot_token, report.body.decode(), "the bot token reached the fallback")

        failed = self.wait_notification(lk, "team-telegram", lambda n: n["state"] == "failed",
                                        "the telegram notification failed for good")
        self.assertEqual([(a["outcome"], a["status"]) for a in failed["attempts"]],
                         [("permanent", 401)], failed)
        self.assertEqual(len(refusing.received()), 1, refusing.received())
        reports = self.wait_notification(lk, "backup-hook", lambda n: n["state"] == "sent",
                                         "the notifier-failing message recorded as sent")
        self.assertEqual(reports["kind"], "notifier-failing", reports)
        self.assertEqual(len(backup.received()), 1, backup.received())
        self.assertNotIn(bot_token, lk.log())
        self.assertNotIn(bot_token, json.dumps(self.notifications(lk)))
        self.assertIn("failed for good", lk.log())


def api_time(text):
    """Seconds since the epoch of an API time such as 2024-05-01T10:00:00.123Z."""
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


if __name__ == "__main__":
    lktest.main()
