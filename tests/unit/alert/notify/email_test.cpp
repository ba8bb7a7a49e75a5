// The email channel: the message it writes (headers, MIME structure, encodings, threading),
// the envelope, and what its config reader accepts and reports.

#include "alert/notify/email/email.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "alert/notify/email/mime.hpp"
#include "alert/notify/template.hpp"
#include "channel_fields.hpp"
#include "sample_message.hpp"

namespace lk::alert::email {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

Settings settings() {
  Settings s;
  s.smtp_url = "smtp://mail.example.com";
  s.username = "alerts@example.com";
  s.password = "s3cret-pw";
  s.from = "Lightkeeper <alerts@example.com>";
  s.to = {"ops@example.com", "On Call <oncall@example.com>"};
  return s;
}

// --- Reading a message back, as a mail client would --------------------------------------

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto end = text.find("\r\n");
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 2);
  }
  return lines;
}

std::string head_of(const std::string& message) {
  return message.substr(0, message.find("\r\n\r\n") + 2);
}

// The unfolded value of the first header `name` of the message's header block.
std::string header(const std::string& message, std::string_view name) {
  const auto lines = lines_of(head_of(message));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].starts_with(std::string(name) + ":")) continue;
    std::string value = lines[i].substr(name.size() + 1);
    for (std::size_t j = i + 1; j < lines.size() && lines[j].starts_with(' '); ++j)
      value += lines[j];
    return value.empty() ? value : value.substr(1);
  }
  return "<absent>";
}

// The names of the header fields, in order: what a receiver would see as separate headers.
std::vector<std::string> header_names(const std::string& message) {
  std::vector<std::string> names;
  for (const auto& line : lines_of(head_of(message))) {
    if (!line.empty() && line[0] != ' ' && line[0] != '\t')
      names.push_back(line.substr(0, line.find(':')));
  }
  return names;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode_qp(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "=\r\n") {
      i += 2;
    } else if (text[i] == '=') {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else if (text.substr(i, 2) == "\r\n") {
      out += '\n';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string decode_base64(std::string_view text) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    auto v = kAlphabet.find(c);
    if (v == std::string_view::npos) continue;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// RFC 2047 as a reader applies it: encoded words decoded, blanks between them dropped.
std::string decode_words(std::string_view value) {
  std::string out;
  bool after_word = false;
  while (!value.empty()) {
    if (value.starts_with("=?UTF-8?B?")) {
      auto end = value.find("?=", 10);
      out += decode_base64(value.substr(10, end - 10));
      value.remove_prefix(end + 2);
      after_word = true;
    } else if (after_word && value.front() == ' ' && value.substr(1).starts_with("=?")) {
      value.remove_prefix(1);
    } else {
      out += value.front();
      value.remove_prefix(1);
      after_word = false;
    }
  }
  return out;
}

// The decoded body of the MIME part whose Content-Type starts with `type`.
std::string part(const std::string& message, std::string_view type) {
  const auto start = message.find("Content-Type: " + std::string(type), message.find("\r\n\r\n"));
  if (start == std::string::npos) return "<absent>";
  const auto body = message.find("\r\n\r\n", start) + 4;
  auto end = message.find("\r\n--", body - 2);
  if (end == std::string::npos) end = message.size();
  return decode_qp(std::string_view(message).substr(body, end + 2 - body));
}

// --- The message -----------------------------------------------------------------------

TEST(Email, WritesTheHeadersAMailClientNeeds) {
  MailRequest r = build(test::sample_problem(), settings());
  EXPECT_EQ(header(r.message, "Date"), "Fri, 15 Jan 2027 08:05:00 +0000");
  EXPECT_EQ(header(r.message, "From"), "Lightkeeper <alerts@example.com>");
  EXPECT_EQ(header(r.message, "To"), "ops@example.com, On Call <oncall@example.com>");
  EXPECT_EQ(header(r.message, "Subject"), "DOWN: api-health");
  EXPECT_EQ(header(r.message, "Message-ID"), "<n-42@lightkeeper>");
  EXPECT_EQ(header(r.message, "References"), "<lightkeeper-api-health-7@lightkeeper>");
  EXPECT_EQ(header(r.message, "In-Reply-To"), "<lightkeeper-api-health-7@lightkeeper>");
  EXPECT_EQ(header(r.message, "MIME-Version"), "1.0");
  EXPECT_EQ(header(r.message, "Auto-Submitted"), "auto-generated");
  EXPECT_THAT(header(r.message, "Content-Type"), HasSubstr("multipart/alternative; boundary="));
}

TEST(Email, TheEnvelopeHasBareAddressesAndThePasswordIsASecret) {
  MailRequest r = build(test::sample_problem(), settings());
  EXPECT_EQ(r.url, "smtp://mail.example.com:587");
  EXPECT_TRUE(r.starttls);
  EXPECT_EQ(r.username, "alerts@example.com");
  EXPECT_EQ(r.password, "s3cret-pw");
  EXPECT_EQ(r.from, "alerts@example.com");
  EXPECT_THAT(r.to, ElementsAre("ops@example.com", "oncall@example.com"));
  EXPECT_EQ(r.idempotency_key, "n-42");
  EXPECT_THAT(r.secrets, ElementsAre("s3cret-pw"));
}

TEST(Email, ImplicitTlsUrlsGetTheirPortSpeltOut) {
  Settings s = settings();
  s.smtp_url = "smtps://mail.example.com";
  EXPECT_EQ(build(test::sample_problem(), s).url, "smtps://mail.example.com:465");
  s.smtp_url = "smtp://[2001:db8::1]:2525/lightkeeper.example.com";
  EXPECT_EQ(build(test::sample_problem(), s).url,
            "smtp://[2001:db8::1]:2525/lightkeeper.example.com");
}

TEST(Email, TheTextPartIsTheRenderedTemplate) {
  const Message m = test::sample_problem();
  MailRequest r = build(m, settings());
  EXPECT_EQ(part(r.message, "text/plain"), default_body(m) + "\n");
  EXPECT_THAT(r.message, HasSubstr("Content-Type: text/plain; charset=UTF-8\r\n"
                                   "Content-Transfer-Encoding: quoted-printable\r\n"));

  Settings s = settings();
  s.subject_template = "[lk] {{check}} is {{to}}";
  s.template_text = "{{check}}: {{error}}\nAck: {{ack_url}}";
  r = build(test::sample_recovery(), s);
  EXPECT_EQ(header(r.message, "Subject"), "[lk] api-health is ok");
  // The recovery has no ack link, so that line is dropped.
  EXPECT_EQ(part(r.message, "text/plain"), "api-health: connect to 10.0.0.5:443 refused\n");
}

TEST(Email, EveryLineEndsInCrlfAndNoneIsTooLong) {
  Message m = test::sample_problem();
  m.last_error = std::string(3000, 'x') + " " + std::string(400, 'y') + "\n" + "Überlastung: ☕ " +
                 std::string(2000, '=') + "\r\nend\ttab \n";
  for (const Message& message : {m, test::sample_recovery(), test::sample_ack()}) {
    const std::string text = build(message, settings()).message;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') {
        ASSERT_TRUE(i > 0 && text[i - 1] == '\r') << "bare LF at " << i;
      }
      if (text[i] == '\r') {
        ASSERT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR at " << i;
      }
    }
    ASSERT_TRUE(text.ends_with("\r\n"));
    for (const auto& line : lines_of(text)) EXPECT_LE(line.size(), 78u) << line;
  }
  EXPECT_THAT(part(build(m, settings()).message, "text/plain"),
              HasSubstr(m.last_error.substr(0, 3401)));
}

TEST(Email, ANonAsciiSubjectIsWrittenAsEncodedWordsThatReadBackTheSame) {
  Message m = test::sample_problem();
  m.check = "café-☕-東京 checkout flow for the European storefront and its payment gateway";
  const MailRequest r = build(m, settings());
  const std::string raw = header(r.message, "Subject");
  EXPECT_THAT(raw, HasSubstr("=?UTF-8?B?"));
  EXPECT_EQ(decode_words(raw), "DOWN: " + m.check);
  for (const auto& line : lines_of(head_of(r.message))) EXPECT_LE(line.size(), 78u) << line;
  // An ASCII subject that only looks encoded is encoded, so it is shown as written.
  m.check = "=?UTF-8?B?SGk=?=";
  EXPECT_EQ(decode_words(header(build(m, settings()).message, "Subject")), "DOWN: " + m.check);
}

TEST(Email, LineBreaksInValuesCannotAddHeaders) {
  Message m = test::sample_problem();
  m.check = "api\r\nBcc: attacker@example.net";
  Settings s = settings();
  s.subject_template = "{{check}}\nX-Injected: 1";
  s.from = "Evil\r\nBcc: x <alerts@example.com>";
  s.to = {"ops@example.com\r\nBcc: attacker@example.net"};
  const MailRequest r = build(m, s);
  EXPECT_THAT(
      header_names(r.message),
      ElementsAre("Date", "From", "To", "Subject", "Message-ID", "In-Reply-To", "References",
                  "MIME-Version", "Auto-Submitted", "X-Auto-Response-Suppress",
                  "X-Lightkeeper-Event", "X-Lightkeeper-Incident", "Content-Type"));
  EXPECT_EQ(header(r.message, "Subject"), "api Bcc: attacker@example.net X-Injected: 1");
  for (const auto& rcpt : r.to) EXPECT_EQ(rcpt.find_first_of("\r\n "), std::string::npos);
}

TEST(Email, EveryMessageOfAnIncidentIsInOneThread) {
  const MailRequest problem = build(test::sample_problem(), settings());
  const MailRequest ack = build(test::sample_ack(), settings());
  const MailRequest recovery = build(test::sample_recovery(), settings());
  std::set<std::string> ids;
  for (const auto* r : {&problem, &ack, &recovery}) {
    ids.insert(header(r->message, "Message-ID"));
    EXPECT_EQ(header(r->message, "References"), "<lightkeeper-api-health-7@lightkeeper>");
    EXPECT_EQ(header(r->message, "In-Reply-To"), "<lightkeeper-api-health-7@lightkeeper>");
  }
  EXPECT_EQ(ids.size(), 3u);
  Message next = test::sample_problem();
  next.id = "n-99";
  next.incident_id = 8;
  EXPECT_EQ(header(build(next, settings()).message, "References"),
            "<lightkeeper-api-health-8@lightkeeper>");
}

TEST(Email, MessageIdsAreMadeOfSafeCharacters) {
  Message m = test::sample_problem();
  m.id.clear();
  EXPECT_EQ(header(build(m, settings()).message, "Message-ID"),
            "<lightkeeper-api-health-7-problem@lightkeeper>");
  EXPECT_EQ(build(m, settings()).idempotency_key, "lightkeeper-api-health-7-problem");
  m.id = "a b/c@d>";
  EXPECT_EQ(header(build(m, settings()).message, "Message-ID"), "<a=20b=2Fc=40d=3E@lightkeeper>");
  m.check = "web.example.com";
  EXPECT_EQ(header(build(m, settings()).message, "References"),
            "<lightkeeper-web=2Eexample=2Ecom-7@lightkeeper>");
  EXPECT_LE(message_id_part(std::string(5000, '/')).size(), 50u);
  EXPECT_NE(message_id_part(std::string(5000, '/')), message_id_part(std::string(5001, '/')));
}

TEST(Email, TheHtmlPartEscapesEverythingAndLinksOnlyTheMessagesOwnUrls) {
  Message m = test::sample_problem();
  m.last_error = "<script>alert(1)</script> \"quoted\" see https://evil.example.net/x";
  m.ack_url = "https://status.example.com/ack/7?sig=abc&exp=1";
  const std::string html = part(build(m, settings()).message, "text/html");
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("<a href=\"https://status.example.com/checks/api-health\""));
  EXPECT_THAT(html, HasSubstr("<a href=\"https://status.example.com/ack/7?sig=abc&amp;exp=1\""));
  EXPECT_THAT(html, Not(HasSubstr("href=\"https://evil")));
  EXPECT_THAT(html, HasSubstr(">DOWN: api-health</h2>"));
}

TEST(Email, WithoutHtmlTheMessageIsPlainText) {
  Settings s = settings();
  s.html = false;
  const MailRequest r = build(test::sample_problem(), s);
  EXPECT_EQ(header(r.message, "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(header(r.message, "Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_THAT(r.message, Not(HasSubstr("multipart")));
  const std::string body = r.message.substr(r.message.find("\r\n\r\n") + 4);
  EXPECT_EQ(decode_qp(body), default_body(test::sample_problem()) + "\n");
}

TEST(Email, TheBoundaryOnlyAppearsAsABoundary) {
  Message m = test::sample_problem();
  const MailRequest r = build(m, settings());
  const std::string type = header(r.message, "Content-Type");
  const std::string boundary = type.substr(type.find("boundary=\"") + 10);
  const std::string b = boundary.substr(0, boundary.size() - 1);
  std::size_t count = 0;
  for (auto pos = r.message.find(b); pos != std::string::npos; pos = r.message.find(b, pos + 1))
    ++count;
  EXPECT_EQ(count, 4u);  // the header, two delimiters and the close
  EXPECT_TRUE(r.message.ends_with("--" + b + "--\r\n"));
}

TEST(Email, RedactedShowsTheEnvelopeAndHeadersButNotThePassword) {
  const MailRequest r = build(test::sample_problem(), settings());
  const std::string log = r.redacted();
  EXPECT_THAT(log,
              HasSubstr("SMTP smtp://mail.example.com:587 (STARTTLS) user alerts@example.com"));
  EXPECT_THAT(log, HasSubstr("MAIL FROM:<alerts@example.com>\nRCPT TO:<ops@example.com>\n"));
  EXPECT_THAT(log, HasSubstr("Subject: DOWN: api-health\n"));
  EXPECT_THAT(log, Not(HasSubstr("s3cret-pw")));
  EXPECT_THAT(log, Not(HasSubstr("Last error")));  // the body stays out of logs
}

// --- The building blocks ---------------------------------------------------------------

TEST(EmailMime, QuotedPrintableKeepsLinesShortAndReadsBack) {
  struct Case {
    std::string text;
    std::string encoded;
  };
  const std::vector<Case> cases = {
      {"plain text", "plain text\r\n"},
      {"a=b", "a=3Db\r\n"},
      {"trailing space \nnext", "trailing space=20\r\nnext\r\n"},
      {"tab\t", "tab=09\r\n"},
      {".starts with a dot", "=2Estarts with a dot\r\n"},
      {"From here", "=46rom here\r\n"},
      {"café", "caf=C3=A9\r\n"},
      {"crlf\r\nline", "crlf\r\nline\r\n"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(quoted_printable(c.text), c.encoded) << c.text;
    EXPECT_EQ(decode_qp(quoted_printable(c.text)), [&] {
      std::string t = c.text;
      for (auto p = t.find("\r\n"); p != std::string::npos; p = t.find("\r\n")) t.erase(p, 1);
      return t + "\n";
    }()) << c.text;
  }
  const std::string longer = std::string(100, 'a') + "." + std::string(200, '=') + " é ";
  const std::string encoded = quoted_printable(longer);
  for (const auto& line : lines_of(encoded)) {
    EXPECT_LE(line.size(), 76u);
    EXPECT_FALSE(line.starts_with('.'));
    EXPECT_FALSE(line.ends_with(' '));
  }
  EXPECT_EQ(decode_qp(encoded), longer + "\n");
}

TEST(EmailMime, DatesAreRfc5322InUtc) {
  EXPECT_EQ(rfc5322_date(TimePoint{std::chrono::seconds{0}}), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(TimePoint{std::chrono::seconds{1'709'251'199}}),
            "Thu, 29 Feb 2024 23:59:59 +0000");
}

TEST(EmailMime, MailboxesAreSplitIntoNameAndAddress) {
  EXPECT_EQ(parse_mailbox("ops@example.com")->address, "ops@example.com");
  EXPECT_EQ(parse_mailbox("  Ops Team <ops@example.com> ")->name, "Ops Team");
  EXPECT_EQ(parse_mailbox("\"Doe, Jane \\\"J\\\"\" <jane@example.com>")->name, "Doe, Jane \"J\"");
  EXPECT_EQ(parse_mailbox("<ops@example.com>")->address, "ops@example.com");
  EXPECT_FALSE(parse_mailbox("Ops <ops@example.com"));
  EXPECT_FALSE(parse_mailbox("Ops <a> <ops@example.com>"));
  EXPECT_EQ(mailbox_header("To", {{"Doe, Jane", "jane@example.com"}, {"Zoë", "zoe@example.com"}}),
            "To: \"Doe, Jane\" <jane@example.com>, =?UTF-8?B?Wm/Dqw==?= <zoe@example.com>\r\n");
}

TEST(EmailMime, AddressProblemsAreNamed) {
  EXPECT_EQ(address_problem("ops@example.com"), "");
  EXPECT_EQ(address_problem("ops"), "has no @");
  EXPECT_EQ(address_problem("a@b@c"), "has more than one @");
  EXPECT_EQ(address_problem("@example.com"), "has nothing before the @");
  EXPECT_EQ(address_problem("ops@"), "has nothing after the @");
  EXPECT_EQ(address_problem("o ps@example.com"), "must not contain spaces or control characters");
  EXPECT_EQ(address_problem("ops@example.com\r\nRSET"),
            "must not contain spaces or control characters");
  EXPECT_EQ(address_problem("ops@exa>mple.com"), "must not contain '>'");
}

// --- Config ----------------------------------------------------------------------------

const ChannelKind kEmail{"email", "Email over SMTP.", &options, &parse, &build_request};

constexpr std::string_view kValid =
    "smtp: smtp://mail.example.com:587\n"
    "username: alerts@example.com\n"
    "password: ${SMTP_PASSWORD}\n"
    "from: Lightkeeper <alerts@example.com>\n"
    "to: [ops@example.com, On Call <oncall@example.com>]\n";

TEST(EmailConfig, ReadsEveryOption) {
  auto parsed = test::parse_channel(kEmail,
                                    std::string(kValid) +
                                        "starttls: true\nsubject: '[lk] {{title}}'\n"
                                        "template: '{{body}}'\nhtml: false\n",
                                    {{"SMTP_PASSWORD", "pw-from-env"}});
  ASSERT_THAT(parsed.errors, IsEmpty());
  const auto& s = dynamic_cast<const SettingsOf<Settings>&>(*parsed.settings).settings;
  EXPECT_EQ(s.smtp_url, "smtp://mail.example.com:587");
  EXPECT_TRUE(s.starttls);
  EXPECT_EQ(s.username, "alerts@example.com");
  EXPECT_EQ(s.password, "pw-from-env");
  EXPECT_EQ(s.from, "Lightkeeper <alerts@example.com>");
  EXPECT_THAT(s.to, ElementsAre("ops@example.com", "On Call <oncall@example.com>"));
  EXPECT_EQ(s.subject_template, "[lk] {{title}}");
  EXPECT_EQ(s.template_text, "{{body}}");
  EXPECT_FALSE(s.html);
}

TEST(EmailConfig, DefaultsToStartTlsAndHtml) {
  auto parsed = test::parse_channel(
      kEmail, "smtp: smtp://mail.example.com\nfrom: alerts@example.com\nto: ops@example.com\n");
  ASSERT_THAT(parsed.errors, IsEmpty());
  const auto& s = dynamic_cast<const SettingsOf<Settings>&>(*parsed.settings).settings;
  EXPECT_TRUE(s.starttls);
  EXPECT_TRUE(s.html);
  EXPECT_THAT(s.to, ElementsAre("ops@example.com"));
}

TEST(EmailConfig, ReportsEachMistake) {
  struct Case {
    std::string yaml;
    std::string error;
  };
  const std::string rest = "from: alerts@example.com\nto: [ops@example.com]\n";
  const std::vector<Case> cases = {
      {"smtp: https://mail.example.com\n" + rest,
       "smtp: expected a URL starting with smtp:// or smtps://"},
      {"smtp: smtp://:25\n" + rest, "smtp: expected a host name after smtp://"},
      {"smtp: smtp://mail.example.com:70000\n" + rest,
       "smtp: expected a port from 1 to 65535, got \"70000\""},
      {"smtp: smtp://me:pw@mail.example.com\n" + rest,
       "smtp: expected no user or password in the URL; use username and password"},
      {"smtp: smtp://mail.example.com\nfrom: alerts\nto: [ops@example.com]\n",
       "from: \"alerts\" is not an email address: it has no @"},
      {"smtp: smtp://mail.example.com\nfrom: alerts@example.com\nto: [ops@example.com, "
       "a b@example.com]\n",
       "to: \"a b@example.com\" is not an email address: it must not contain spaces or control "
       "characters"},
      {"smtp: smtp://mail.example.com\nfrom: alerts@example.com\nto: []\n",
       "to: expected at least one recipient"},
      {"smtp: smtp://mail.example.com\nsubject: '{{titel}}'\n" + rest, "subject: "},
      {"smtp: smtp://mail.example.com\ntemplate: '{{body'\n" + rest, "template: "},
      {"smtp: smtp://mail.example.com\nusername: lk\n" + rest,
       "username: a username needs a password"},
      {"smtp: smtp://mail.example.com\nstarttls: false\nusername: lk\npassword: pw\n" + rest,
       "starttls: would send the password in the clear; use smtps:// or starttls: true"},
  };
  for (const auto& c : cases) {
    auto parsed = test::parse_channel(kEmail, c.yaml);
    ASSERT_EQ(parsed.errors.size(), 1u) << c.yaml << "\n"
                                        << ::testing::PrintToString(parsed.errors);
    EXPECT_TRUE(parsed.errors[0].starts_with(c.error)) << parsed.errors[0];
  }
}

TEST(EmailConfig, ReportsEveryMistakeAtOnce) {
  auto parsed = test::parse_channel(
      kEmail, "smtp: ftp://mail.example.com\nfrom: nobody\nto: [ops]\nusername: lk\n");
  EXPECT_EQ(parsed.errors.size(), 4u) << ::testing::PrintToString(parsed.errors);
  parsed = test::parse_channel(kEmail, "html: false\n");
  std::set<std::string> keys;
  for (const auto& e : parsed.errors) keys.insert(e.substr(0, e.find(':')));
  EXPECT_THAT(keys, ::testing::IsSupersetOf({"smtp", "from", "to"}))
      << ::testing::PrintToString(parsed.errors);
}

TEST(EmailConfig, PlainSmtpIsAllowedWithoutAPasswordAndImplicitTlsWithOne) {
  EXPECT_THAT(test::parse_channel(kEmail,
                                  "smtp: smtp://relay.internal:25\nstarttls: false\n"
                                  "from: alerts@example.com\nto: ops@example.com\n")
                  .errors,
              IsEmpty());
  EXPECT_THAT(test::parse_channel(kEmail,
                                  "smtp: smtps://mail.example.com\nstarttls: false\nusername: lk\n"
                                  "password: pw\nfrom: alerts@example.com\nto: ops@example.com\n")
                  .errors,
              IsEmpty());
}

TEST(EmailConfig, AParsedNotifierBuildsAnEmail) {
  auto parsed = test::parse_channel(kEmail, kValid, {{"SMTP_PASSWORD", "pw-from-env"}});
  ASSERT_THAT(parsed.errors, IsEmpty());
  Request request = kEmail.build(test::sample_problem(), *parsed.settings);
  const auto& mail = std::get<MailRequest>(request);
  EXPECT_EQ(mail.url, "smtp://mail.example.com:587");
  EXPECT_THAT(mail.secrets, ElementsAre("pw-from-env"));
  EXPECT_EQ(header(mail.message, "Subject"), "DOWN: api-health");
}

}  // namespace
}  // namespace lk::alert::email
