// The channel table and every channel's config: YAML in, settings and errors out, and the
// request a parsed notifier builds is the one its Settings would build.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <sstream>

#include "alert/notify/channel.hpp"
#include "alert/notify/discord/discord.hpp"
#include "alert/notify/email/email.hpp"
#include "alert/notify/google_chat/google_chat.hpp"
#include "alert/notify/gotify/gotify.hpp"
#include "alert/notify/matrix/matrix.hpp"
#include "alert/notify/mattermost/mattermost.hpp"
#include "alert/notify/ntfy/ntfy.hpp"
#include "alert/notify/opsgenie/opsgenie.hpp"
#include "alert/notify/pagerduty/pagerduty.hpp"
#include "alert/notify/pushover/pushover.hpp"
#include "alert/notify/slack/slack.hpp"
#include "alert/notify/sms_gateway/sms_gateway.hpp"
#include "alert/notify/teams/teams.hpp"
#include "alert/notify/telegram/telegram.hpp"
#include "alert/notify/twilio/twilio.hpp"
#include "alert/notify/webhook/webhook.hpp"
#include "channel_fields.hpp"
#include "sample_message.hpp"

namespace lk::alert {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const ChannelKind& kind(std::string_view type) {
  const ChannelKind* k = find_channel_kind(type);
  if (k == nullptr) throw std::logic_error("no channel kind " + std::string(type));
  return *k;
}

using Build = std::function<Request(const Message&)>;

/// build() of the channel that owns S (found by argument-dependent lookup).
template <class S>
Build build_with(S settings) {
  return
      [settings = std::move(settings)](const Message& m) -> Request { return build(m, settings); };
}

/// Everything a request carries, secrets included, as one text (not for logs).
std::string raw(const Request& request) {
  if (const auto* http = std::get_if<HttpRequest>(&request)) {
    std::string out = http->method + " " + http->url + "\n";
    for (const auto& [name, value] : http->headers) out += name + ": " + value + "\n";
    return out + "\n" + http->body;
  }
  const auto& mail = std::get<MailRequest>(request);
  std::string out = mail.url + (mail.starttls ? " starttls" : "") + "\nuser " + mail.username +
                    "\npassword " + mail.password + "\nfrom " + mail.from + "\n";
  for (const auto& to : mail.to) out += "to " + to + "\n";
  return out + "\n" + mail.message;
}

void expect_same_request(const Request& got, const Request& want) {
  ASSERT_EQ(got.index(), want.index()) << "a request of another kind";
  EXPECT_EQ(raw(got), raw(want));
  std::visit(
      [&](const auto& expected) {
        const auto& actual = std::get<std::decay_t<decltype(expected)>>(got);
        EXPECT_EQ(actual.idempotency_key, expected.idempotency_key);
        EXPECT_EQ(actual.secrets, expected.secrets);
      },
      want);
}

/// A notifier written in YAML and build() with the Settings it stands for.
struct Example {
  std::string_view type;
  std::string_view yaml;
  Build expected;
};

// The smallest valid mapping of each channel: only its required options.
const std::vector<Example>& minimal_examples() {
  static const std::vector<Example> examples = {
      {"webhook", "url: https://hooks.example.com/lk",
       build_with(webhook::Settings{.url = "https://hooks.example.com/lk"})},
      {"email", "smtp: smtp://mail.example.com\nfrom: alerts@example.com\nto: ops@example.com",
       build_with(email::Settings{.smtp_url = "smtp://mail.example.com",
                                  .from = "alerts@example.com",
                                  .to = {"ops@example.com"}})},
      {"slack", "url: https://hooks.slack.com/services/T1/B2/x",
       build_with(slack::Settings{.webhook_url = "https://hooks.slack.com/services/T1/B2/x"})},
      {"mattermost", "url: https://mm.example.com/hooks/abc",
       build_with(mattermost::Settings{.webhook_url = "https://mm.example.com/hooks/abc"})},
      {"discord", "url: https://discord.com/api/webhooks/1/tok",
       build_with(discord::Settings{.webhook_url = "https://discord.com/api/webhooks/1/tok"})},
      {"teams", "url: https://x.logic.azure.com/workflows/1?sig=s",
       build_with(teams::Settings{.webhook_url = "https://x.logic.azure.com/workflows/1?sig=s"})},
      {"google_chat", "url: https://chat.googleapis.com/v1/spaces/S/messages?key=k&token=t",
       build_with(google_chat::Settings{
           .webhook_url = "https://chat.googleapis.com/v1/spaces/S/messages?key=k&token=t"})},
      {"telegram", "bot_token: \"123:abc\"\nchat_id: -100123",
       build_with(telegram::Settings{.bot_token = "123:abc", .chat_id = "-100123"})},
      {"matrix",
       "homeserver: https://matrix.example.org\nroom_id: \"!r:example.org\"\naccess_token: tok",
       build_with(matrix::Settings{.homeserver = "https://matrix.example.org",
                                   .room_id = "!r:example.org",
                                   .access_token = "tok"})},
      {"ntfy", "topic: lk-alerts", build_with(ntfy::Settings{.topic = "lk-alerts"})},
      {"pushover", "app_token: a1\nuser_key: u1",
       build_with(pushover::Settings{.app_token = "a1", .user_key = "u1"})},
      {"gotify", "server: https://gotify.example.com\napp_token: t1",
       build_with(gotify::Settings{.server = "https://gotify.example.com", .app_token = "t1"})},
      {"pagerduty", "routing_key: rk1", build_with(pagerduty::Settings{.routing_key = "rk1"})},
      {"opsgenie", "api_key: k1", build_with(opsgenie::Settings{.api_key = "k1"})},
      {"twilio", "account_sid: AC1\nauth_token: t1\nfrom: \"+15005550006\"\nto: \"+447700900123\"",
       build_with(twilio::Settings{.account_sid = "AC1",
                                   .auth_token = "t1",
                                   .from = "+15005550006",
                                   .to = "+447700900123"})},
      {"sms_gateway",
       "url: \"https://sms.example.com/send?to={{recipient}}\"\nrecipient: \"+4477\"",
       build_with(sms_gateway::Settings{
           .url_template = "https://sms.example.com/send?to={{recipient}}", .recipient = "+4477"})},
  };
  return examples;
}

// Every option of each channel set, so that each key is seen to land in its field.
const std::vector<Example>& full_examples() {
  static const std::vector<Example> examples = {
      {"webhook",
       "url: https://hooks.example.com/lk\nmethod: put\n"
       "headers: {X-Team: ops, Authorization: \"Bearer t0k\"}\nsecret: s3cret\n"
       "template: \"{{check}} is {{to}}\"",
       build_with(webhook::Settings{.url = "https://hooks.example.com/lk",
                                    .method = "PUT",
                                    .headers = {{"X-Team", "ops"}, {"Authorization", "Bearer t0k"}},
                                    .secret = "s3cret",
                                    .template_text = "{{check}} is {{to}}"})},
      {"slack",
       "url: https://hooks.slack.com/services/T1/B2/x\ntemplate: \"*{{check}}*\"\nblocks: false",
       build_with(slack::Settings{.webhook_url = "https://hooks.slack.com/services/T1/B2/x",
                                  .template_text = "*{{check}}*",
                                  .blocks = false})},
      {"mattermost",
       "url: https://mm.example.com/hooks/abc\nchannel: ops\nusername: lk\n"
       "icon_url: https://example.com/lk.png\ntemplate: \"{{title}}\"",
       build_with(mattermost::Settings{.webhook_url = "https://mm.example.com/hooks/abc",
                                       .channel = "ops",
                                       .username = "lk",
                                       .icon_url = "https://example.com/lk.png",
                                       .template_text = "{{title}}"})},
      {"discord",
       "url: https://discord.com/api/webhooks/1/tok\nusername: lk\ncontent: \"<@&42>\"\n"
       "template: \"{{error}}\"",
       build_with(discord::Settings{.webhook_url = "https://discord.com/api/webhooks/1/tok",
                                    .username = "lk",
                                    .content = "<@&42>",
                                    .template_text = "{{error}}"})},
      {"teams", "url: https://x.logic.azure.com/workflows/1?sig=s\ntemplate: \"{{check}}\"",
       build_with(teams::Settings{.webhook_url = "https://x.logic.azure.com/workflows/1?sig=s",
                                  .template_text = "{{check}}"})},
      {"google_chat",
       "url: https://chat.googleapis.com/v1/spaces/S/messages?key=k&token=t\n"
       "thread_per_incident: false\ntemplate: \"{{check}}\"",
       build_with(google_chat::Settings{
           .webhook_url = "https://chat.googleapis.com/v1/spaces/S/messages?key=k&token=t",
           .thread_per_incident = false,
           .template_text = "{{check}}"})},
      {"telegram",
       "bot_token: \"123:abc\"\nchat_id: \"@alerts\"\napi_url: https://tg.example.com\n"
       "template: \"<b>{{check}}</b>\"\ndisable_notification: true",
       build_with(telegram::Settings{.bot_token = "123:abc",
                                     .chat_id = "@alerts",
                                     .api_url = "https://tg.example.com",
                                     .template_text = "<b>{{check}}</b>",
                                     .disable_notification = true})},
      {"matrix",
       "homeserver: https://matrix.example.org\nroom_id: \"!r:example.org\"\naccess_token: tok\n"
       "template: \"{{check}}\"",
       build_with(matrix::Settings{.homeserver = "https://matrix.example.org",
                                   .room_id = "!r:example.org",
                                   .access_token = "tok",
                                   .template_text = "{{check}}"})},
      {"ntfy",
       "server: https://ntfy.example.com\ntopic: lk\nusername: bob\npassword: pw\n"
       "problem_priority: high\nrecovery_priority: 1\ntemplate: \"{{check}}\"",
       build_with(ntfy::Settings{.server = "https://ntfy.example.com",
                                 .topic = "lk",
                                 .username = "bob",
                                 .password = "pw",
                                 .problem_priority = 4,
                                 .recovery_priority = 1,
                                 .template_text = "{{check}}"})},
      {"pushover",
       "app_token: a1\nuser_key: u1\ndevice: phone\nproblem_priority: emergency\n"
       "recovery_priority: -1\nemergency_retry: 2m\nemergency_expire: 2h\n"
       "url: https://po.example.com/1/messages.json\ntemplate: \"{{check}}\"",
       build_with(pushover::Settings{.app_token = "a1",
                                     .user_key = "u1",
                                     .device = "phone",
                                     .problem_priority = 2,
                                     .recovery_priority = -1,
                                     .emergency_retry = 120s,
                                     .emergency_expire = 7200s,
                                     .url = "https://po.example.com/1/messages.json",
                                     .template_text = "{{check}}"})},
      {"gotify",
       "server: https://gotify.example.com\napp_token: t1\nproblem_priority: 10\n"
       "recovery_priority: 1\ntemplate: \"{{check}}\"",
       build_with(gotify::Settings{.server = "https://gotify.example.com",
                                   .app_token = "t1",
                                   .problem_priority = 10,
                                   .recovery_priority = 1,
                                   .template_text = "{{check}}"})},
      {"pagerduty",
       "routing_key: rk1\nurl: https://events.eu.pagerduty.com/v2/enqueue\ntemplate: \"{{check}}\"",
       build_with(pagerduty::Settings{.routing_key = "rk1",
                                      .url = "https://events.eu.pagerduty.com/v2/enqueue",
                                      .template_text = "{{check}}"})},
      {"opsgenie",
       "api_key: k1\napi_url: https://api.eu.opsgenie.com\npriority: p2\ntags: [db, prod]\n"
       "template: \"{{check}}\"",
       build_with(opsgenie::Settings{.api_key = "k1",
                                     .api_url = "https://api.eu.opsgenie.com",
                                     .priority = "P2",
                                     .tags = {"db", "prod"},
                                     .template_text = "{{check}}"})},
      {"twilio",
       "account_sid: AC1\nauth_token: t1\nmessaging_service_sid: MG9\nto: \"+447700900123\"\n"
       "api_url: https://twilio.example.com\ntemplate: \"{{check}}\"",
       build_with(twilio::Settings{.account_sid = "AC1",
                                   .auth_token = "t1",
                                   .messaging_service_sid = "MG9",
                                   .to = "+447700900123",
                                   .api_url = "https://twilio.example.com",
                                   .template_text = "{{check}}"})},
      {"sms_gateway",
       "url: \"https://sms.example.com/send?to={{recipient}}\"\nmethod: get\n"
       "headers: {X-Key: \"k-{{recipient}}\"}\ncontent_type: application/json\n"
       "body: '{\"to\": \"{{recipient}}\", \"text\": \"{{text}}\"}'\nrecipient: \"+4477\"\n"
       "template: \"{{title}}\"\nsecrets: [k1]",
       build_with(
           sms_gateway::Settings{.method = "GET",
                                 .url_template = "https://sms.example.com/send?to={{recipient}}",
                                 .headers = {{"X-Key", "k-{{recipient}}"}},
                                 .content_type = "application/json",
                                 .body_template = R"({"to": "{{recipient}}", "text": "{{text}}"})",
                                 .recipient = "+4477",
                                 .text_template = "{{title}}",
                                 .secrets = {"k1"}})},
  };
  return examples;
}

void expect_builds_as_settings(const Example& example) {
  SCOPED_TRACE(std::string(example.type) + ":\n" + std::string(example.yaml));
  const ChannelKind& k = kind(example.type);
  test::ParsedChannel parsed = test::parse_channel(k, example.yaml);
  EXPECT_THAT(parsed.errors, IsEmpty());
  ASSERT_NE(parsed.settings, nullptr);
  for (const Message& m : {test::sample_problem(), test::sample_recovery(), test::sample_ack()}) {
    SCOPED_TRACE(m.id);
    expect_same_request(k.build(m, *parsed.settings), example.expected(m));
  }
}

TEST(ChannelConfig, EveryChannelHasAMinimalExampleAndAFullOne) {
  std::set<std::string_view> minimal, full;
  for (const auto& e : minimal_examples()) minimal.insert(e.type);
  for (const auto& e : full_examples()) full.insert(e.type);
  for (const ChannelKind& k : channel_kinds()) {
    EXPECT_TRUE(minimal.contains(k.type)) << k.type;
    // The email channel's own tests read each of its options.
    EXPECT_TRUE(k.type == "email" || full.contains(k.type)) << k.type;
  }
}

TEST(ChannelConfig, RequiredOptionsAloneBuildTheRequestOfTheDefaultSettings) {
  for (const Example& example : minimal_examples()) expect_builds_as_settings(example);
}

TEST(ChannelConfig, EveryOptionLandsInItsSetting) {
  for (const Example& example : full_examples()) expect_builds_as_settings(example);
}

TEST(ChannelConfig, EachMissingRequiredOptionIsReportedByName) {
  for (const ChannelKind& k : channel_kinds()) {
    SCOPED_TRACE(k.type);
    test::ParsedChannel parsed = test::parse_channel(k, "");
    int required = 0;
    for (const config::Option& option : k.options()) {
      if (!option.required) continue;
      ++required;
      EXPECT_THAT(parsed.errors,
                  ::testing::Contains(std::string(option.key) + ": missing required field"));
    }
    EXPECT_GT(required, 0) << "every channel needs at least a destination";
  }
}

/// Mapping `overrides` (lines "key: value") onto the channel's minimal example: a key it has
/// is replaced, any other is added.
std::string minimal_with(std::string_view type, std::string_view overrides) {
  std::string_view base;
  for (const auto& e : minimal_examples())
    if (e.type == type) base = e.yaml;
  auto key_of = [](const std::string& line) { return line.substr(0, line.find(':')); };
  std::vector<std::string> lines, extra;
  std::istringstream in{std::string(base)}, more{std::string(overrides)};
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  for (std::string line; std::getline(more, line);) {
    bool replaced = false;
    for (std::string& old : lines) {
      if (key_of(old) == key_of(line)) {
        old = line;
        replaced = true;
      }
    }
    if (!replaced) extra.push_back(line);
  }
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  for (const auto& line : extra) out += line + "\n";
  return out;
}

struct BadValue {
  std::string_view type;
  std::string_view overrides;  ///< mapped onto the channel's minimal example
  std::string_view error;      ///< the one error expected, or its start
};

void expect_one_error(const BadValue& c, const test::Environment& env = {}) {
  std::string yaml = minimal_with(c.type, c.overrides);
  SCOPED_TRACE(std::string(c.type) + ":\n" + yaml);
  test::ParsedChannel parsed = test::parse_channel(kind(c.type), yaml, env);
  ASSERT_EQ(parsed.errors.size(), 1u) << ::testing::PrintToString(parsed.errors);
  EXPECT_THAT(parsed.errors[0], HasSubstr(c.error));
}

TEST(ChannelConfig, UrlsMustBeHttpOrHttpsWithAHost) {
  const BadValue cases[] = {
      {"slack", "url: ftp://x",
       "url: expected a URL starting with http:// or https://, got \"ftp://x\""},
      {"webhook", "url: https:///hook", "url: expected a host name after \"https://\""},
      {"mattermost", "icon_url: picture.png",
       "icon_url: expected a URL starting with http:// or https://, got \"picture.png\""},
      {"ntfy", "server: \"https://ntfy.example.com/a b\"",
       "server: expected a URL without spaces or line breaks"},
      {"gotify", "server: \"\"", "server: expected a URL starting with http:// or https://"},
      {"sms_gateway", "url: \"sms.example.com/send?to={{recipient}}\"",
       "url: expected a URL starting with http:// or https://"},
      {"pagerduty", "url: events.pagerduty.com/v2/enqueue",
       "url: expected a URL starting with http:// or https://"},
  };
  for (const BadValue& c : cases) expect_one_error(c);
}

TEST(ChannelConfig, AUrlInAnErrorShowsItsHostButNotItsToken) {
  test::ParsedChannel parsed = test::parse_channel(
      kind("discord"), "url: ftp://user:pw@discord.com/api/webhooks/1/T0KEN-PART");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_THAT(parsed.errors[0], HasSubstr("got \"ftp://***@discord.com/…\""));
  EXPECT_THAT(parsed.errors[0], ::testing::Not(HasSubstr("T0KEN-PART")));
  EXPECT_THAT(parsed.errors[0], ::testing::Not(HasSubstr("pw")));
}

TEST(ChannelConfig, ChoicesListWhatIsAllowed) {
  const BadValue cases[] = {
      {"webhook", "method: FETCH",
       "method: expected one of GET, POST, PUT, PATCH, DELETE, got \"FETCH\""},
      {"sms_gateway", "method: SEND", "method: expected one of GET, POST, PUT, PATCH, DELETE"},
      {"opsgenie", "priority: P6", "priority: expected one of P1, P2, P3, P4, P5, got \"P6\""},
      {"ntfy", "problem_priority: 7",
       "problem_priority: expected 1 to 5 or one of min, low, default, high, max, urgent, got "
       "\"7\""},
      {"ntfy", "recovery_priority: loud", "recovery_priority: expected 1 to 5 or one of"},
      {"pushover", "recovery_priority: 3",
       "recovery_priority: expected -2 to 2 or one of lowest, low, normal, high, emergency, got "
       "\"3\""},
      {"gotify", "problem_priority: 11", "problem_priority: must be between 0 and 10, got 11"},
  };
  for (const BadValue& c : cases) expect_one_error(c);
}

TEST(ChannelConfig, TemplatesAreCheckedWithTheChannelsOwnPlaceholders) {
  const BadValue cases[] = {
      {"slack", "template: \"{{titel}}\"", "template: unknown placeholder {{titel}}; known: title"},
      {"teams", "template: \"{{title\"", "template: unterminated placeholder"},
      {"pagerduty", "template: \"{{recipient}}\"", "template: unknown placeholder {{recipient}}"},
      // The SMS text is a message template: {{recipient}} and {{text}} are the request's.
      {"sms_gateway", "template: \"{{text}}\"", "template: unknown placeholder {{text}}"},
      {"sms_gateway", "body: \"to={{recipient}}&msg={{txt}}\"",
       "body: unknown placeholder {{txt}}"},
      {"sms_gateway", "url: \"https://sms.example.com/?to={{recipent}}\"",
       "url: unknown placeholder {{recipent}}"},
      {"sms_gateway", "headers: {X-To: \"{{recipent}}\"}",
       "headers: header X-To: unknown placeholder {{recipent}}"},
  };
  for (const BadValue& c : cases) expect_one_error(c);
  // The request templates may use the gateway's own placeholders.
  test::ParsedChannel ok = test::parse_channel(
      kind("sms_gateway"),
      "url: \"https://sms.example.com/?to={{recipient}}&m={{text}}\"\nrecipient: \"1\"\n"
      "headers: {X-To: \"{{recipient}}\"}\nbody: \"{{text}} {{check}}\"");
  EXPECT_THAT(ok.errors, IsEmpty());
}

TEST(ChannelConfig, ChannelSpecificValuesAreChecked) {
  const BadValue cases[] = {
      {"webhook", "headers: {\"Bad Name\": x}",
       "headers: expected a header name of letters, digits and -, got \"Bad Name\""},
      {"telegram", "chat_id: alerts",
       "chat_id: expected a numeric chat id like -1001234567890 or a channel name like @alerts, "
       "got \"alerts\""},
      {"telegram", "bot_token: nocolon", "bot_token: expected a token like 123456:ABC-DEF…"},
      {"matrix", "room_id: \"#lk:example.org\"",
       "room_id: expected a room id like \"!abcdef:example.org\", got the alias "
       "\"#lk:example.org\""},
      {"matrix", "room_id: lk", "room_id: expected a room id like \"!abcdef:example.org\""},
      {"ntfy", "topic: a/b", "topic: expected 1 to 64 letters, digits, - or _, got \"a/b\""},
      {"ntfy", "username: bob", "password: missing: username needs a password"},
      {"ntfy", "password: pw", "username: missing: password needs a username"},
      {"ntfy", "access_token: tk_1\nusername: bob\npassword: pw",
       "access_token: give access_token or username and password, not both"},
      {"pushover", "emergency_retry: 10s",
       "emergency_retry: must be at least 30s (Pushover's minimum), got 10s"},
      {"pushover", "emergency_expire: 5h",
       "emergency_expire: must be at most 3h (Pushover's maximum), got 5h"},
      {"twilio", "from: ~", "from: missing: give from (a sender number) or messaging_service_sid"},
      {"twilio", "messaging_service_sid: MG1",
       "from: give from or messaging_service_sid, not both"},
      {"twilio", "messaging_service_sid: XX1\nfrom: ~",
       "messaging_service_sid: expected a Messaging Service SID starting with MG, got \"XX1\""},
      {"twilio", "to: \"07700900123\"",
       "to: expected a number in E.164 form like +447700900123, got \"07700900123\""},
      {"twilio", "account_sid: XY1",
       "account_sid: expected an Account SID starting with AC, got \"XY1\""},
      {"pagerduty", "routing_key: \"\"", "routing_key: must not be empty"},
      {"slack", "chanel: ops", "chanel"},  // unknown keys are reported by the reader
  };
  for (const BadValue& c : cases) expect_one_error(c);
  // Twilio takes alphanumeric sender ids as they are.
  EXPECT_THAT(
      test::parse_channel(kind("twilio"), minimal_with("twilio", "from: Lightkeeper")).errors,
      IsEmpty());
}

TEST(ChannelConfig, ASecretWhoseVariableIsEmptyIsReported) {
  expect_one_error({"gotify", "app_token: ${GOTIFY_TOKEN}", "app_token: must not be empty"},
                   {{"GOTIFY_TOKEN", ""}});
}

/// A channel whose secret comes from `${VAR}`.
struct SecretExample {
  std::string_view type;
  std::string_view yaml;
  std::string_view variable;
  std::string_view value;   ///< the variable's value; a second run uses it with "2" appended
  std::string_view secret;  ///< the part of `value` that must not be logged
};

TEST(ChannelConfig, SecretsComeFromTheEnvironmentAndNeverReachTheLog) {
  const SecretExample cases[] = {
      {"webhook", "url: https://h.example.com\nheaders: {Authorization: \"Bearer ${HOOK_TOKEN}\"}",
       "HOOK_TOKEN", "hookSECRET1", "hookSECRET1"},
      {"slack", "url: ${SLACK_WEBHOOK_URL}", "SLACK_WEBHOOK_URL",
       "https://hooks.slack.com/services/T0/B0/slackSECRET1", "slackSECRET1"},
      {"mattermost", "url: ${MM_URL}", "MM_URL", "https://mm.example.com/hooks/mmSECRET1",
       "mmSECRET1"},
      {"discord", "url: ${DISCORD_URL}", "DISCORD_URL",
       "https://discord.com/api/webhooks/1/discordSECRET1", "discordSECRET1"},
      {"teams", "url: ${TEAMS_URL}", "TEAMS_URL",
       "https://x.logic.azure.com/workflows/1?sig=teamsSECRET1", "teamsSECRET1"},
      {"google_chat", "url: ${GCHAT_URL}", "GCHAT_URL",
       "https://chat.googleapis.com/v1/spaces/S/messages?key=k&token=gchatSECRET1", "gchatSECRET1"},
      {"telegram", "bot_token: ${TELEGRAM_TOKEN}\nchat_id: 1", "TELEGRAM_TOKEN", "123:tgSECRET1",
       "tgSECRET1"},
      {"matrix",
       "homeserver: https://m.example.org\nroom_id: \"!r:m.example.org\"\n"
       "access_token: ${MATRIX_TOKEN}",
       "MATRIX_TOKEN", "mxSECRET1", "mxSECRET1"},
      {"ntfy", "topic: t\naccess_token: ${NTFY_TOKEN}", "NTFY_TOKEN", "tk_ntfySECRET1",
       "ntfySECRET1"},
      {"pushover", "app_token: ${PUSHOVER_APP_TOKEN}\nuser_key: u", "PUSHOVER_APP_TOKEN",
       "poSECRET1", "poSECRET1"},
      {"gotify", "server: https://g.example.com\napp_token: ${GOTIFY_TOKEN}", "GOTIFY_TOKEN",
       "gotifySECRET1", "gotifySECRET1"},
      {"pagerduty", "routing_key: ${PAGERDUTY_ROUTING_KEY}", "PAGERDUTY_ROUTING_KEY", "pdSECRET1",
       "pdSECRET1"},
      {"opsgenie", "api_key: ${OPSGENIE_API_KEY}", "OPSGENIE_API_KEY", "ogSECRET1", "ogSECRET1"},
      {"twilio",
       "account_sid: AC1\nauth_token: ${TWILIO_AUTH_TOKEN}\nfrom: \"+15005550006\"\n"
       "to: \"+447700900123\"",
       "TWILIO_AUTH_TOKEN", "twSECRET1", "twSECRET1"},
      {"email",
       "smtp: smtps://mail.example.com\nusername: lk\npassword: ${SMTP_PASSWORD}\n"
       "from: alerts@example.com\nto: [ops@example.com]",
       "SMTP_PASSWORD", "mailSECRET1", "mailSECRET1"},
      {"sms_gateway",
       "url: \"https://sms.example.com/send?key=${SMS_KEY}&to={{recipient}}\"\nrecipient: \"1\"\n"
       "secrets: [\"${SMS_KEY}\"]",
       "SMS_KEY", "smsSECRET1", "smsSECRET1"},
  };
  const Message m = test::sample_problem();
  for (const SecretExample& c : cases) {
    SCOPED_TRACE(c.type);
    const ChannelKind& k = kind(c.type);
    test::ParsedChannel first =
        test::parse_channel(k, c.yaml, {{std::string(c.variable), std::string(c.value)}});
    test::ParsedChannel second =
        test::parse_channel(k, c.yaml, {{std::string(c.variable), std::string(c.value) + "2"}});
    ASSERT_THAT(first.errors, IsEmpty());
    ASSERT_THAT(second.errors, IsEmpty());
    Request one = k.build(m, *first.settings);
    Request two = k.build(m, *second.settings);
    // The variable's value is what the request carries...
    EXPECT_NE(raw(one), raw(two));
    // ...and the log never shows it.
    EXPECT_THAT(redacted(one), ::testing::Not(HasSubstr(c.secret)));
    EXPECT_THAT(redacted(two), ::testing::Not(HasSubstr(c.secret)));
  }
}

TEST(ChannelTable, HasEveryChannelOnceWithDocumentedOptions) {
  auto kinds = channel_kinds();
  EXPECT_EQ(kinds.size(), 16u);  // 15 HTTP channels and email
  std::set<std::string_view> types;
  for (const ChannelKind& k : kinds) {
    SCOPED_TRACE(k.type);
    EXPECT_TRUE(types.insert(k.type).second) << "listed twice";
    EXPECT_FALSE(k.help.empty());
    ASSERT_NE(k.options, nullptr);
    ASSERT_NE(k.parse, nullptr);
    ASSERT_NE(k.build, nullptr);
    std::set<std::string_view> keys;
    for (const config::Option& option : k.options()) {
      EXPECT_TRUE(keys.insert(option.key).second) << option.key << " listed twice";
      EXPECT_FALSE(option.help.empty()) << option.key;
      EXPECT_FALSE(option.type.empty()) << option.key;
    }
    EXPECT_EQ(find_channel_kind(k.type), &k);
  }
  EXPECT_TRUE(types.contains("email"));
}

TEST(ChannelTable, AnUnknownTypeHasNoKind) {
  EXPECT_EQ(find_channel_kind("nope"), nullptr);
  EXPECT_EQ(find_channel_kind(""), nullptr);
  EXPECT_EQ(find_channel_kind("Slack"), nullptr);
}

TEST(ChannelTable, RedactedDescribesAnHttpRequestWithItsSecretsMasked) {
  HttpRequest r;
  r.method = "POST";
  r.url = "https://example.com/hook";
  r.headers = {{"Authorization", "Bearer t0ps3cret"}};
  r.body = "key=t0ps3cret";
  r.secrets = {"t0ps3cret"};
  EXPECT_EQ(redacted(Request{r}), r.redacted());
  EXPECT_THAT(redacted(Request{r}), ::testing::Not(HasSubstr("t0ps3cret")));
}

TEST(ChannelTable, RedactedDescribesAnEmailWithItsSecretsMasked) {
  MailRequest mail;
  mail.url = "smtps://mail.example.com:465";
  mail.username = "lk";
  mail.password = "m4ilpw";
  mail.from = "alerts@example.com";
  mail.to = {"ops@example.com"};
  mail.message = "Subject: DOWN: api-health\r\n\r\nbody\r\n";
  mail.secrets = {"m4ilpw"};
  EXPECT_EQ(redacted(Request{mail}), mail.redacted());
  EXPECT_THAT(redacted(Request{mail}), ::testing::Not(HasSubstr("m4ilpw")));
}

}  // namespace
}  // namespace lk::alert
