"""`lightkeeper check smtp://, imap://, pop3://` (and smtps, imaps, pop3s) against real servers
on loopback: Dovecot for IMAP and POP3 (plain, STARTTLS, implicit TLS, a wrong password),
aiosmtpd for SMTP (STARTTLS, implicit TLS, AUTH), and hostile servers for each protocol that
must fail clearly within the deadline.
"""

import os

import lktest
from lktest import CRITICAL, OK, SLACK, UNKNOWN, refusing_port
from mailpeers import (PASSWORD, USER, CloseMidwayServer, Dovecot, GarbageServer, SilentServer,
                       SmtpServer, start_peer)

PASSWORD_VAR = "LKTEST_MAIL_PASSWORD"


class MailCheckBase(lktest.CheckTestCase):
    def check(self, *args, password=PASSWORD, timeout=60.0):
        env = dict(os.environ, **{PASSWORD_VAR: password})
        return super().check(*args, timeout=timeout, env=env)

    @staticmethod
    def login(ca_file=None, starttls=False):
        """URL parameters to log in as the test user; the password comes from the environment."""
        query = "username=%s&password=${%s}" % (USER, PASSWORD_VAR)
        if starttls:
            query += "&starttls=true"
        if ca_file:
            query += "&ca_file=" + ca_file
        return query


class _PeerCase(MailCheckBase):
    """One peer for the whole class: started once, stopped by PID at the end."""

    peer_class = None

    @classmethod
    def setUpClass(cls):
        reason = cls.peer_class.skip_reason()
        if reason:  # before making the temp dir
            raise lktest.unittest.SkipTest(reason)
        cls.peer_tmp = lktest.TempDir(prefix="lktest-mail-")
        cls.addClassCleanup(cls.peer_tmp.cleanup)
        cls.peer, cls.cert, cls.key = start_peer(cls.peer_class, cls.peer_tmp, "mail",
                                                 cls.addClassCleanup)

    def url(self, scheme, query=""):
        port_name = scheme
        return "%s://127.0.0.1:%d%s" % (scheme, self.peer.ports[port_name],
                                        "?" + query if query else "")

    def assertOutcome(self, run, code, *fragments):
        try:
            return super().assertOutcome(run, code, *fragments)
        except AssertionError as e:
            raise AssertionError("%s\n--- peer log ---\n%s" % (e, self.peer.log())) from None


class DovecotImap(_PeerCase):
    peer_class = Dovecot

    def test_the_greeting_and_capabilities_can_be_judged(self):
        run = self.check(self.url("imap"), "-e", 'body contains "Dovecot"',
                         "-e", 'header.capabilities contains "STARTTLS"',
                         "-e", "metric.greeting < 5000", "-e", "latency.first_byte < 5s")
        self.assertOutcome(run, OK, "IMAP server at 127.0.0.1:%d answered in"
                           % self.peer.ports["imap"])

    def test_starttls_and_login(self):
        run = self.check(self.url("imap", self.login(self.cert, starttls=True)),
                         "-e", "metric.login < 5000", "-e", "cert.expires_in > 20d")
        self.assertOutcome(run, OK, "(STARTTLS, logged in as alice)")
        self.assertRegex(run.stdout, r"(?m)^  tls\s+[\d.]+ ms", run.describe())

    def test_implicit_tls_and_login(self):
        run = self.check(self.url("imaps", self.login(self.cert)))
        self.assertOutcome(run, OK, "(TLS, logged in as alice)")

    def test_a_wrong_password_is_a_refused_login(self):
        run = self.check(self.url("imap", self.login(self.cert, starttls=True)), password="wrong")
        first = self.assertOutcome(run, CRITICAL, "IMAP login as alice at 127.0.0.1:%d refused: "
                                   "\"NO [AUTHENTICATIONFAILED]" % self.peer.ports["imap"])
        self.assertNotIn("wrong", first)

    def test_an_untrusted_certificate_stops_before_the_password(self):
        log_before = len(self.peer.log())
        run = self.check(self.url("imaps", self.login()))
        self.assertOutcome(run, CRITICAL, "TLS certificate of 127.0.0.1:%d: self-signed "
                           "certificate CN=localhost" % self.peer.ports["imaps"])
        # Dovecot logs each connection when it closes: this one made no login attempt. (A line
        # of the previous test's connection may still arrive after log_before: look for ours.)
        def closed_without_auth():
            return [line for line in self.peer.log()[log_before:].splitlines()
                    if "no auth attempts" in line]
        lines = lktest.wait_for(closed_without_auth, 10,
                                "dovecot to log a connection closed without a login attempt")
        self.assertTrue(all("user=<alice>" not in line for line in lines), lines)

    def test_a_login_in_the_clear_must_be_asked_for(self):
        run = self.check(self.url("imap", self.login()))
        self.assertOutcome(run, UNKNOWN, "invalid check")
        self.assertIn("in the clear", run.stdout, run.describe())
        run = self.check(self.url("imap", self.login() + "&plaintext_login=true"))
        self.assertOutcome(run, OK, "logged in as alice")


class DovecotPop3(_PeerCase):
    peer_class = Dovecot

    def test_the_greeting_and_capabilities_can_be_judged(self):
        run = self.check(self.url("pop3"), "-e", 'body contains "+OK"',
                         "-e", 'header.capabilities contains "STLS"')
        self.assertOutcome(run, OK, "POP3 server at 127.0.0.1:%d answered in"
                           % self.peer.ports["pop3"])

    def test_stls_and_login(self):
        run = self.check(self.url("pop3", self.login(self.cert, starttls=True)))
        self.assertOutcome(run, OK, "(STARTTLS, logged in as alice)")

    def test_implicit_tls_and_login(self):
        run = self.check(self.url("pop3s", self.login(self.cert)), "--json")
        self.assertEqual(run.returncode, OK, run.describe())
        result = self.json_of(run)
        self.assertIn("logged in as alice", result["message"])
        self.assertIn("cert_not_after", result)
        names = [m["name"] for m in result["metrics"]]
        for name in ("greeting", "login", "latency", "cert_days_left"):
            self.assertIn(name, names, run.describe())

    def test_a_wrong_password_is_a_refused_login(self):
        run = self.check(self.url("pop3s", self.login(self.cert)), password="wrong")
        self.assertOutcome(run, CRITICAL, "POP3 login as alice at 127.0.0.1:%d refused: "
                           "\"-ERR [AUTH] Authentication failed.\"" % self.peer.ports["pop3s"])


class AiosmtpdSmtp(_PeerCase):
    peer_class = SmtpServer

    def test_the_greeting_and_extensions_can_be_judged(self):
        run = self.check(self.url("smtp"), "-e", 'body contains "220 lktest.smtp"',
                         "-e", 'header.capabilities contains "STARTTLS"')
        self.assertOutcome(run, OK, "SMTP server at 127.0.0.1:%d answered in"
                           % self.peer.ports["smtp"])

    def test_starttls_and_login(self):
        run = self.check(self.url("smtp", self.login(self.cert, starttls=True)),
                         "-e", 'header.capabilities contains "AUTH"')
        self.assertOutcome(run, OK, "(STARTTLS, logged in as alice)")

    def test_implicit_tls_and_login(self):
        run = self.check(self.url("smtps", self.login(self.cert)))
        self.assertOutcome(run, OK, "(TLS, logged in as alice)")

    def test_a_wrong_password_is_a_refused_login(self):
        run = self.check(self.url("smtp", self.login(self.cert, starttls=True)), password="wrong")
        self.assertOutcome(run, CRITICAL, "SMTP login as alice at 127.0.0.1:%d refused: \"535"
                           % self.peer.ports["smtp"])

    def test_a_server_that_offers_auth_only_after_starttls_says_so(self):
        run = self.check(self.url("smtp", self.login() + "&plaintext_login=true"))
        self.assertOutcome(run, CRITICAL, "offers no AUTH (some servers offer it only after "
                           "STARTTLS)")


class HostileMailServers(MailCheckBase):
    GREETINGS = {"smtp": b"220 mx.example ESMTP\r\n", "imap": b"* OK ready\r\n",
                 "pop3": b"+OK ready\r\n"}
    FIRST_COMMAND = {"smtp": "EHLO", "imap": "CAPABILITY", "pop3": "CAPA"}

    def test_a_refused_connection_is_a_connect_failure(self):
        port = self.target(refusing_port()).port
        for scheme in ("smtp", "imap", "pop3"):
            run = self.check("%s://127.0.0.1:%d" % (scheme, port))
            self.assertOutcome(run, CRITICAL, "connect to 127.0.0.1:%d refused" % port)

    def test_a_server_that_never_answers_times_out_on_time(self):
        server = self.target(SilentServer())
        for scheme in ("smtp", "imap", "pop3"):
            run = self.check("%s://127.0.0.1:%d" % (scheme, server.port), "-t", "2s")
            self.assertOutcome(run, CRITICAL, "timed out after 2s waiting for the %s greeting "
                               "from 127.0.0.1:%d" % (scheme.upper(), server.port))
            self.assertGreaterEqual(run.elapsed, 1.9, run.describe())
            self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_a_server_that_answers_garbage_is_not_the_protocol(self):
        server = self.target(GarbageServer())
        wants = {"smtp": "not an SMTP reply from", "imap": "not an IMAP greeting from",
                 "pop3": "not a POP3 greeting from"}
        for scheme, want in wants.items():
            run = self.check("%s://127.0.0.1:%d" % (scheme, server.port), "-t", "2s")
            self.assertOutcome(run, CRITICAL, want + " 127.0.0.1:%d" % server.port)
            self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_a_server_that_closes_mid_dialogue_is_named(self):
        for scheme, greeting in self.GREETINGS.items():
            server = self.target(CloseMidwayServer(greeting))
            run = self.check("%s://127.0.0.1:%d" % (scheme, server.port), "-t", "2s")
            self.assertOutcome(run, CRITICAL, "connection closed by 127.0.0.1:%d while waiting for "
                               "the reply to %s" % (server.port, self.FIRST_COMMAND[scheme]))
            self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_implicit_tls_against_a_plain_server_fails_the_handshake(self):
        for scheme, greeting in self.GREETINGS.items():
            server = self.target(CloseMidwayServer(greeting))
            run = self.check("%ss://127.0.0.1:%d" % (scheme, server.port), "-t", "2s")
            self.assertOutcome(run, CRITICAL, "TLS handshake with 127.0.0.1:%d failed" % server.port)


class MailConfig(MailCheckBase):
    def test_config_validate_accepts_mail_checks_and_names_mistakes(self):
        checks = [
            lktest.check_yaml("smtp-ok", "smtp", target="mx.example:587", starttls=True,
                              username="alice", password="${%s}" % PASSWORD_VAR),
            lktest.check_yaml("imap-ok", "imap", target="mx.example", tls=True),
            lktest.check_yaml("pop3-bad", "pop3", target="mx.example", username="alice",
                              password="x"),
        ]
        path = self.tmp.write("lk.yaml", lktest.config_yaml(self.tmp.join("lk.db"), checks))
        env = dict(os.environ)
        env[PASSWORD_VAR] = "s3cret"
        run = lktest.run_binary(["config", "validate", "-c", path], env=env)
        out = run.stdout + run.stderr
        self.assertNotEqual(run.returncode, 0, run.describe())
        self.assertIn("checks[2].username: the password would cross the network in the clear", out,
                      run.describe())
        self.assertNotIn("checks[0]", out, run.describe())
        self.assertNotIn("checks[1]", out, run.describe())


if __name__ == "__main__":
    lktest.main()
