"""`lightkeeper check tls://...`: certificates judged without HTTP, against real TLS servers
on loopback (good, expired, self-signed, wrong host name, near expiry), STARTTLS through a real
Dovecot and aiosmtpd, and hostile servers that must fail clearly within the deadline.
"""

import json

import lktest
from lktest import (CRITICAL, OK, SLACK, TlsServer, WARNING, make_expired_cert,
                    make_self_signed_cert, refusing_port)
import mailpeers
from mailpeers import (CloseMidwayServer, Dovecot, GarbageServer, SilentServer, SmtpServer,
                       make_ca, make_cert, start_peer)


class TlsCheckBase(lktest.CheckTestCase):
    def serve_cert(self, cert, key):
        return self.target(TlsServer(cert, key))

    def url(self, server, query=""):
        return "tls://127.0.0.1:%d%s" % (server.port, "?" + query if query else "")


class TlsCertificates(TlsCheckBase):
    def setUp(self):
        super().setUp()
        self.ca = make_ca(self.tmp)

    def leaf(self, name, days=30, san="DNS:localhost,IP:127.0.0.1"):
        return make_cert(self.tmp, name, san=san, days=days, ca=self.ca)

    def test_a_trusted_certificate_is_ok_and_tells_protocol_issuer_and_days(self):
        server = self.serve_cert(*self.leaf("good"))
        run = self.check(self.url(server, "ca_file=" + self.ca[0]),
                         "-e", 'json.protocol == "TLSv1.3"', "-e", "json.chain_valid == true",
                         "-e", "json.hostname_valid == true", "-e", "cert.expires_in > 20d",
                         "-e", 'json.issuer contains "lktest CA"', "-e", "metric.cert_days_left > 20")
        first = self.assertOutcome(run, OK, "TLSv1.3, certificate CN=localhost valid for 29 days",
                                   "issuer CN=lktest CA")
        self.assertRegex(run.stdout, r"(?m)^  tls\s+[\d.]+ ms", run.describe())
        self.assertIn("certificate expires", run.stdout, first)

    def test_the_json_result_carries_the_certificate_expiry(self):
        server = self.serve_cert(*self.leaf("good"))
        run = self.check(self.url(server, "ca_file=" + self.ca[0]), "--json")
        self.assertEqual(run.returncode, OK, run.describe())
        result = self.json_of(run)
        self.assertIn("cert_not_after", result, run.describe())
        names = [m["name"] for m in result["metrics"]]
        self.assertIn("cert_days_left", names, run.describe())
        self.assertIn("handshake", names, run.describe())

    def test_an_expired_certificate_fails_saying_when_it_expired(self):
        cert, key, ca = make_expired_cert(self.tmp)
        server = self.serve_cert(cert, key)
        run = self.check(self.url(server, "ca_file=" + ca))
        self.assertOutcome(run, CRITICAL, "TLS certificate of 127.0.0.1:%d" % server.port,
                           "certificate CN=localhost expired on 2020-02-01")

    def test_a_self_signed_certificate_fails_unless_the_chain_is_not_verified(self):
        server = self.serve_cert(*make_self_signed_cert(self.tmp))
        run = self.check(self.url(server))
        self.assertOutcome(run, CRITICAL, "self-signed certificate CN=localhost")
        run = self.check(self.url(server, "verify_chain=false"), "-e", "json.chain_valid == false")
        self.assertOutcome(run, OK, "valid for")

    def test_a_certificate_for_another_name_fails_unless_that_name_is_asked_for(self):
        server = self.serve_cert(*self.leaf("other", san="DNS:other.example"))
        run = self.check(self.url(server, "ca_file=" + self.ca[0]))
        self.assertOutcome(run, CRITICAL,
                           "certificate is not valid for 127.0.0.1 (it names other.example)")
        run = self.check(self.url(server, "ca_file=%s&servername=other.example" % self.ca[0]))
        self.assertOutcome(run, OK, "CN=localhost valid for")
        run = self.check(self.url(server, "ca_file=%s&verify_hostname=false" % self.ca[0]),
                         "-e", "json.hostname_valid == false")
        self.assertOutcome(run, OK)

    def test_a_certificate_near_expiry_warns_and_closer_still_fails(self):
        soon = self.serve_cert(*self.leaf("soon", days=5))
        run = self.check(self.url(soon, "ca_file=" + self.ca[0]))
        self.assertOutcome(run, WARNING, "certificate CN=localhost expires in 4 days",
                           "(warn_days: 14)")
        run = self.check(self.url(soon, "ca_file=%s&warn_days=3&fail_days=1" % self.ca[0]))
        self.assertOutcome(run, OK)
        sooner = self.serve_cert(*self.leaf("sooner", days=2))
        run = self.check(self.url(sooner, "ca_file=" + self.ca[0]))
        self.assertOutcome(run, CRITICAL, "expires in 1 day", "(fail_days: 3)")

    def test_a_missing_ca_file_is_named(self):
        server = self.serve_cert(*self.leaf("good"))
        run = self.check(self.url(server, "ca_file=" + self.tmp.join("nope.pem")))
        self.assertOutcome(run, CRITICAL, "cannot load ca_file", "nope.pem")


class TlsHostileServers(TlsCheckBase):
    def test_a_refused_connection_is_a_connect_failure(self):
        port = self.target(refusing_port()).port
        run = self.check("tls://127.0.0.1:%d" % port)
        self.assertOutcome(run, CRITICAL, "connect to 127.0.0.1:%d refused" % port)

    def test_a_server_that_never_answers_times_out_on_time(self):
        server = self.target(SilentServer())
        run = self.check(self.url(server), "-t", "2s")
        self.assertOutcome(run, CRITICAL, "timed out after 2s waiting for the TLS handshake with "
                           "127.0.0.1:%d" % server.port)
        self.assertGreaterEqual(run.elapsed, 1.9, run.describe())
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_a_server_that_answers_garbage_fails_the_handshake(self):
        server = self.target(GarbageServer())
        run = self.check(self.url(server), "-t", "2s")
        self.assertOutcome(run, CRITICAL, "TLS handshake with 127.0.0.1:%d failed" % server.port)
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_a_server_that_closes_during_the_handshake_is_named(self):
        server = self.target(CloseMidwayServer())
        run = self.check(self.url(server), "-t", "2s")
        self.assertOutcome(run, CRITICAL, "connection closed by 127.0.0.1:%d during the TLS "
                           "handshake" % server.port)

    def test_starttls_against_a_silent_server_names_the_greeting(self):
        server = self.target(SilentServer())
        run = self.check(self.url(server, "starttls=smtp"), "-t", "2s")
        self.assertOutcome(run, CRITICAL, "timed out after 2s waiting for the SMTP greeting")
        self.assertLess(run.elapsed, 2 + SLACK, run.describe())

    def test_starttls_against_garbage_says_it_is_not_the_protocol(self):
        server = self.target(GarbageServer())
        run = self.check(self.url(server, "starttls=pop3"), "-t", "2s")
        self.assertOutcome(run, CRITICAL, "not a POP3 greeting from 127.0.0.1:%d" % server.port)

    def test_starttls_against_a_server_that_hangs_up_after_the_greeting(self):
        server = self.target(CloseMidwayServer(b"* OK ready\r\n"))
        run = self.check(self.url(server, "starttls=imap"), "-t", "2s")
        self.assertOutcome(run, CRITICAL, "connection closed by 127.0.0.1:%d while waiting for "
                           "the reply to CAPABILITY" % server.port)


class TlsStarttls(TlsCheckBase):
    """STARTTLS up to the handshake with real mail servers."""

    def test_imap_and_pop3_starttls_with_dovecot(self):
        dovecot, cert, _ = start_peer(Dovecot, self.tmp, "dovecot", self.addCleanup)
        for protocol in ("imap", "pop3"):
            run = self.check("tls://127.0.0.1:%d?starttls=%s&ca_file=%s"
                             % (dovecot.ports[protocol], protocol, cert),
                             "-e", 'json.protocol ~ "TLSv1"', "-t", "10s")
            self.assertOutcome(run, OK, "certificate CN=localhost valid for 29 days")
        run = self.check("tls://127.0.0.1:%d?starttls=imap" % dovecot.ports["imap"], "-t", "10s")
        self.assertOutcome(run, CRITICAL, "self-signed certificate CN=localhost")

    def test_smtp_starttls_with_aiosmtpd(self):
        smtp, cert, _ = start_peer(SmtpServer, self.tmp, "smtp", self.addCleanup)
        run = self.check("tls://127.0.0.1:%d?starttls=smtp&ca_file=%s" % (smtp.ports["smtp"], cert),
                         "-t", "10s")
        self.assertOutcome(run, OK, "certificate CN=localhost valid for 29 days")
        run = self.check("tls://127.0.0.1:%d?ca_file=%s" % (smtp.ports["smtps"], cert), "-t", "10s")
        self.assertOutcome(run, OK, "certificate CN=localhost valid for 29 days")


class TlsConfig(TlsCheckBase):
    def test_config_validate_names_tls_mistakes_with_positions(self):
        path = self.tmp.write("lk.yaml", lktest.config_yaml(
            self.tmp.join("lk.db"),
            [lktest.check_yaml("good", "tls", target="mail.example:25", starttls="smtp",
                               warn_days=30, fail_days=7),
             lktest.check_yaml("bad", "tls", target="mail.example", starttls="ftp",
                               warn_days=3, fail_days=10)]))
        run = lktest.run_binary(["config", "validate", "-c", path])
        self.assertNotEqual(run.returncode, 0, run.describe())
        self.assertIn("checks[1].starttls: expected smtp, imap or pop3", run.stdout + run.stderr,
                      run.describe())
        self.assertIn("checks[1].fail_days", run.stdout + run.stderr, run.describe())
        self.assertNotIn("checks[0]", run.stdout + run.stderr, run.describe())


if __name__ == "__main__":
    lktest.main()
