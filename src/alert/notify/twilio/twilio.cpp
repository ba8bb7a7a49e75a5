#include "alert/notify/twilio/twilio.hpp"

#include <algorithm>
#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::twilio {
namespace {

constexpr std::size_t kBodyMax = 1600;  // Twilio's limit for one message body

constexpr std::array kOptions{
    config::Option{"account_sid", "string", "", "Account SID (AC…), e.g. ${TWILIO_ACCOUNT_SID}.",
                   true},
    config::Option{"auth_token", "string", "", "Auth token, e.g. ${TWILIO_AUTH_TOKEN}.", true},
    config::Option{"from", "string", "",
                   "Sender: a number in E.164 form such as \"+15005550006\" (or a sender id); or "
                   "give messaging_service_sid."},
    config::Option{"messaging_service_sid", "string", "",
                   "Messaging service (MG…) to send through, instead of from."},
    config::Option{"to", "string", "",
                   "Recipient number in E.164 form, e.g. \"+447700900123\" (one notifier per "
                   "recipient).",
                   true},
    config::Option{"api_url", "string", "https://api.twilio.com", "API base URL."},
    config::Option{"template", "string", "",
                   "SMS text with {{placeholders}}; empty: title, location, since, error and "
                   "acknowledge link, one a line."},
};

// "+447700900123": '+', then up to 15 digits, the first not 0 (ITU-T E.164).
bool is_e164(std::string_view number) {
  if (number.starts_with("whatsapp:")) number.remove_prefix(9);
  return number.size() >= 3 && number.size() <= 16 && number[0] == '+' && number[1] != '0' &&
         std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void check_prefix(config::Fields& fields, std::string_view key, const std::string& value,
                  std::string_view prefix, std::string_view what) {
  if (!value.empty() && !value.starts_with(prefix))
    fields.error(key, "expected " + std::string(what) + " starting with " + std::string(prefix) +
                          ", got " + detail::quoted(value));
}

void check_number(config::Fields& fields, std::string_view key, const std::string& value) {
  if (!value.empty() && !is_e164(value))
    fields.error(
        key, "expected a number in E.164 form like +447700900123, got " + detail::quoted(value));
}

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  std::vector<std::pair<std::string, std::string>> fields = {{"To", s.to}};
  if (!s.messaging_service_sid.empty()) {
    fields.emplace_back("MessagingServiceSid", s.messaging_service_sid);
  } else {
    fields.emplace_back("From", s.from);
  }
  fields.emplace_back(
      "Body", detail::truncate_utf8(
                  render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m),
                  kBodyMax));
  HttpRequest request;
  request.method = "POST";
  request.url = detail::join_url(
      s.api_url, "/2010-04-01/Accounts/" + percent_encode(s.account_sid) + "/Messages.json");
  request.headers.emplace_back("Content-Type", std::string(kForm));
  std::string credentials = base64(s.account_sid + ":" + s.auth_token);
  request.headers.emplace_back("Authorization", "Basic " + credentials);
  request.body = form_encode(fields);
  request.idempotency_key = m.id;
  request.secrets = {s.auth_token, credentials};
  return request;
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.account_sid = detail::read_nonempty(fields, "account_sid");
  check_prefix(fields, "account_sid", s.account_sid, "AC", "an Account SID");
  s.auth_token = detail::read_nonempty(fields, "auth_token");
  s.from = fields.string("from");
  // Twilio also takes alphanumeric sender ids ("Lightkeeper"): only numbers are checked.
  if (s.from.starts_with('+')) check_number(fields, "from", s.from);
  s.messaging_service_sid = fields.string("messaging_service_sid");
  check_prefix(fields, "messaging_service_sid", s.messaging_service_sid, "MG",
               "a Messaging Service SID");
  if (s.from.empty() == s.messaging_service_sid.empty()) {
    fields.error("from", s.from.empty()
                             ? "missing: give from (a sender number) or messaging_service_sid"
                             : "give from or messaging_service_sid, not both");
  }
  s.to = detail::read_nonempty(fields, "to");
  check_number(fields, "to", s.to);
  s.api_url = detail::read_url(fields, "api_url");
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::twilio
