#include "alert/notify/telegram/telegram.hpp"

#include <cstdlib>

#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::telegram {
namespace {

constexpr std::size_t kTextMax = 4096;  // sendMessage's documented limit

// Telegram takes a numeric chat id as an integer; "@channel" stays a string.
nlohmann::ordered_json chat(const std::string& id) {
  if (id.empty() || id[0] == '@') return id;
  char* end = nullptr;
  long long value = std::strtoll(id.c_str(), &end, 10);
  if (end != nullptr && *end == '\0') return value;
  return id;
}

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  std::string text = render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text,
                                     m, detail::escape_html);
  nlohmann::ordered_json body = {
      {"chat_id", chat(s.chat_id)},
      {"text", detail::truncate_utf8(std::move(text), kTextMax)},
      {"parse_mode", "HTML"},
      {"link_preview_options", {{"is_disabled", true}}},
  };
  if (s.disable_notification) body["disable_notification"] = true;
  HttpRequest request = detail::json_request(
      "POST", detail::join_url(s.api_url, "/bot" + s.bot_token + "/sendMessage"), body, m);
  request.secrets.push_back(s.bot_token);
  return request;
}

}  // namespace lk::alert::telegram
