#include "alert/notify/telegram/telegram.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "alert/notify/channel_util.hpp"
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

constexpr std::array kOptions{
    config::Option{"bot_token", "string", "",
                   "Bot token from @BotFather (123456:ABC-DEF…), e.g. ${TELEGRAM_TOKEN}.", true},
    config::Option{"chat_id", "string", "",
                   "Chat to post in: a numeric id such as -1001234567890, or a public channel's "
                   "@name.",
                   true},
    config::Option{"api_url", "string", "https://api.telegram.org",
                   "Bot API server, for a self-hosted one."},
    config::Option{"template", "string", "",
                   "Message text in Telegram HTML (<b>, <i>, <a href=…>) with {{placeholders}} "
                   "(their values are escaped); empty: the title in bold, then the body."},
    config::Option{"disable_notification", "bool", "false",
                   "Deliver silently: the message arrives without a sound."},
};

// "-1001234567890" or "@channelname", as the Bot API takes them.
bool is_chat_id(std::string_view id) {
  if (id.size() > 1 && id.front() == '@') return true;
  if (id.starts_with('-')) id.remove_prefix(1);
  return !id.empty() &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
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

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.bot_token = detail::read_nonempty(fields, "bot_token");
  // A token is "<bot id>:<secret>"; the value itself is never shown in a message.
  if (!s.bot_token.empty() && s.bot_token.find(':') == std::string::npos)
    fields.error("bot_token", "expected a token like 123456:ABC-DEF… as @BotFather gives it");
  s.chat_id = detail::read_nonempty(fields, "chat_id");
  if (!s.chat_id.empty() && !is_chat_id(s.chat_id))
    fields.error("chat_id",
                 "expected a numeric chat id like -1001234567890 or a channel name like "
                 "@alerts, got " +
                     detail::quoted(s.chat_id));
  s.api_url = detail::read_url(fields, "api_url");
  s.template_text = detail::read_template(fields, "template");
  s.disable_notification = fields.boolean("disable_notification");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::telegram
