#pragma once
// Gotify: POST <server>/message?token=<application token> with JSON {title, message, priority,
// extras}; the click-through link goes in extras["client::notification"].click.url.

#include <string>

#include "alert/notify/message.hpp"

namespace lk::alert::gotify {

struct Settings {
  std::string server;     ///< https://gotify.example.com
  std::string app_token;  ///< an application token
  int problem_priority = 8;
  int recovery_priority = 4;
  std::string template_text;
};

inline constexpr std::string_view kDefaultTemplate = "{{body}}";

HttpRequest build(const Message& m, const Settings& s);

}  // namespace lk::alert::gotify
