#include "alert/notify/opsgenie/opsgenie.hpp"

#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/encoding.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::opsgenie {
namespace {

// Opsgenie's documented limits: message 130 characters, alias 512, description 15000.
constexpr std::size_t kMessageMax = 130;
constexpr std::size_t kDescriptionMax = 15000;

std::string priority(const Message& m, const Settings& s) {
  if (!s.priority.empty()) return s.priority;
  switch (m.severity) {
    case State::fail:
      return "P1";
    case State::warn:
      return "P3";
    default:
      return "P4";
  }
}

constexpr std::array kOptions{
    config::Option{"api_key", "string", "", "Key of an API integration, e.g. ${OPSGENIE_API_KEY}.",
                   true},
    config::Option{"api_url", "string", "https://api.opsgenie.com",
                   "API base URL; EU accounts: https://api.eu.opsgenie.com."},
    config::Option{"priority", "string", "",
                   "P1 to P5; empty: P1 for failures, P3 for warnings, P4 otherwise."},
    config::Option{"tags", "list", "", "Tags of the alert, besides \"lightkeeper\"."},
    config::Option{"template", "string", "",
                   "The alert's description with {{placeholders}}; empty: the body."},
};

constexpr std::array<std::string_view, 5> kPriorities{"P1", "P2", "P3", "P4", "P5"};

}  // namespace

HttpRequest build(const Message& m, const Settings& s) {
  const std::string alias = m.incident_key();
  std::string url;
  nlohmann::ordered_json body;
  if (m.event == Event::problem) {
    url = detail::join_url(s.api_url, "/v2/alerts");
    std::string description =
        render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m);
    nlohmann::ordered_json tags = nlohmann::ordered_json::array({"lightkeeper"});
    for (const auto& tag : s.tags) tags.push_back(tag);
    nlohmann::ordered_json details = {{"state", lk::to_string(m.to)},
                                      {"since", format_time(m.since)},
                                      {"last_error", m.last_error}};
    if (!m.location.empty()) details["location"] = m.location;
    if (!m.status_page_url.empty()) details["status_page"] = m.status_page_url;
    if (!m.ack_url.empty()) details["ack_url"] = m.ack_url;
    body = {
        {"message", detail::truncate_utf8(default_title(m), kMessageMax)},
        {"alias", alias},
        {"description", detail::truncate_utf8(std::move(description), kDescriptionMax)},
        {"tags", tags},
        {"details", details},
        {"entity", m.check},
        {"source", "Lightkeeper"},
        {"priority", priority(m, s)},
    };
  } else {
    const char* verb = m.is_recovery() ? "/close" : "/acknowledge";
    url = detail::join_url(s.api_url,
                           "/v2/alerts/" + percent_encode(alias) + verb + "?identifierType=alias");
    body = {{"source", "Lightkeeper"}};
    if (!m.acknowledged_by.empty()) body["user"] = m.acknowledged_by;
    body["note"] = m.note.empty() ? default_body(m) : m.note;
  }
  HttpRequest request = detail::json_request("POST", url, body, m);
  request.headers.emplace_back("Authorization", "GenieKey " + s.api_key);
  request.secrets.push_back(s.api_key);
  return request;
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.api_key = detail::read_nonempty(fields, "api_key");
  s.api_url = detail::read_url(fields, "api_url");
  s.priority = detail::read_choice(fields, "priority", kPriorities);
  s.tags = fields.string_list("tags");
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::opsgenie
