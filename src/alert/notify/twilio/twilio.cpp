#include "alert/notify/twilio/twilio.hpp"

#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::twilio {
namespace {

constexpr std::size_t kBodyMax = 1600;  // Twilio's limit for one message body

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

}  // namespace lk::alert::twilio
