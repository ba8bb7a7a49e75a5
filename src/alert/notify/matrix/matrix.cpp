#include "alert/notify/matrix/matrix.hpp"

#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::matrix {
namespace {

constexpr std::array kOptions{
    config::Option{"homeserver", "string", "",
                   "Base URL of the homeserver, e.g. https://matrix.example.org.", true},
    config::Option{"room_id", "string", "",
                   "Room id (not an alias), e.g. \"!abcdef:example.org\"; quote it, as a leading ! "
                   "is a YAML tag.",
                   true},
    config::Option{"access_token", "string", "",
                   "Access token of the account that posts, e.g. ${MATRIX_TOKEN}.", true},
    config::Option{"template", "string", "",
                   "Message text with {{placeholders}}; empty: the title, then the body."},
};

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  // m.text rather than m.notice: the default push rules silence notices, and an alert should
  // notify.
  nlohmann::ordered_json body = {
      {"msgtype", "m.text"},
      {"body", render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m)}};
  std::string path = "/_matrix/client/v3/rooms/" + percent_encode(s.room_id) +
                     "/send/m.room.message/" + percent_encode(m.id);
  HttpRequest request = detail::json_request("PUT", detail::join_url(s.homeserver, path), body, m);
  request.headers.emplace_back("Authorization", "Bearer " + s.access_token);
  request.secrets.push_back(s.access_token);
  return request;
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.homeserver = detail::read_url(fields, "homeserver");
  s.room_id = detail::read_nonempty(fields, "room_id");
  if (s.room_id.starts_with('#')) {
    fields.error("room_id", "expected a room id like \"!abcdef:example.org\", got the alias " +
                                detail::quoted(s.room_id) +
                                " (the id is in the room's settings, under Advanced)");
  } else if (!s.room_id.empty() &&
             (!s.room_id.starts_with('!') || s.room_id.find(':') == std::string::npos)) {
    fields.error("room_id", "expected a room id like \"!abcdef:example.org\", got " +
                                detail::quoted(s.room_id));
  }
  s.access_token = detail::read_nonempty(fields, "access_token");
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::matrix
