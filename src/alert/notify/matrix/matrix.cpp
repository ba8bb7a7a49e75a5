#include "alert/notify/matrix/matrix.hpp"

#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::matrix {

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

}  // namespace lk::alert::matrix
