#include "alert/notify/pagerduty/pagerduty.hpp"

#include <array>

#include "alert/notify/channel_util.hpp"
#include "alert/notify/request_util.hpp"
#include "alert/notify/template.hpp"

namespace lk::alert::pagerduty {
namespace {

constexpr std::size_t kSummaryMax = 1024;  // payload.summary's documented limit

std::string_view action(Event e) {
  switch (e) {
    case Event::recovery:
      return "resolve";
    case Event::acknowledged:
      return "acknowledge";
    case Event::problem:
      break;
  }
  return "trigger";
}

constexpr std::array kOptions{
    config::Option{
        "routing_key", "string", "",
        "Integration key of an Events API v2 integration, e.g. ${PAGERDUTY_ROUTING_KEY}.", true},
    config::Option{"url", "string", "https://events.pagerduty.com/v2/enqueue",
                   "Events API endpoint; EU accounts: https://events.eu.pagerduty.com/v2/enqueue."},
    config::Option{"template", "string", "",
                   "The alert's summary with {{placeholders}}; empty: the title and the last "
                   "error."},
};

}  // namespace

std::string_view severity_of(State s) {
  switch (s) {
    case State::fail:
      return "critical";
    case State::warn:
      return "warning";
    case State::unknown:
      return "error";
    case State::ok:
    case State::pending:
      break;
  }
  return "info";
}

HttpRequest build(const Message& m, const Settings& s) {
  nlohmann::ordered_json body = {
      {"routing_key", s.routing_key},
      {"event_action", action(m.event)},
      {"dedup_key", m.incident_key()},
  };
  // Acknowledge and resolve events need only the key; PagerDuty ignores a payload on them.
  if (m.event == Event::problem) {
    std::string summary =
        render_template(s.template_text.empty() ? kDefaultTemplate : s.template_text, m);
    // The default "{{title}}: {{error}}" without an error reads "title: ".
    while (summary.ends_with(' ') || summary.ends_with(':')) summary.pop_back();
    nlohmann::ordered_json details = {
        {"state", lk::to_string(m.to)},  {"previous_state", lk::to_string(m.from)},
        {"since", format_time(m.since)}, {"last_error", m.last_error},
        {"incident", m.incident_id},
    };
    if (!m.ack_url.empty()) details["ack_url"] = m.ack_url;
    body["payload"] = {
        {"summary", detail::truncate_utf8(std::move(summary), kSummaryMax)},
        {"source", m.location.empty() ? std::string("lightkeeper") : m.location},
        {"severity", severity_of(m.severity)},
        {"timestamp", format_time(m.since)},
        {"component", m.check},
        {"custom_details", details},
    };
    body["client"] = "Lightkeeper";
    if (!m.status_page_url.empty()) {
      body["client_url"] = m.status_page_url;
      body["links"] =
          nlohmann::ordered_json::array({{{"href", m.status_page_url}, {"text", "Status page"}}});
    }
  }
  HttpRequest request = detail::json_request("POST", s.url, body, m);
  request.secrets.push_back(s.routing_key);
  return request;
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ChannelSettings> parse(config::Fields& fields) {
  Settings s;
  s.routing_key = detail::read_nonempty(fields, "routing_key");
  s.url = detail::read_url(fields, "url");
  s.template_text = detail::read_template(fields, "template");
  return detail::wrap_settings(std::move(s));
}

Request build_request(const Message& m, const ChannelSettings& settings) {
  return build(m, detail::unwrap_settings<Settings>(settings));
}

}  // namespace lk::alert::pagerduty
