#include "alert/notify/message.hpp"

#include <algorithm>
#include <cctype>

#include "alert/notify/encoding.hpp"

namespace lk::alert {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (std::size_t pos = text.find(what); pos != std::string::npos;
       pos = text.find(what, pos + with.size())) {
    text.replace(pos, what.size(), with);
  }
}

// Credentials travel in these headers as "<scheme> <credential>"; the scheme is kept so a
// log still shows which kind of authentication was used.
// Custom webhook headers such as "X-Api-Key" carry credentials too, so any header whose name
// mentions one is masked whole.
std::string mask_header(std::string_view name, std::string_view value) {
  if (iequals(name, "Authorization") || iequals(name, "Proxy-Authorization")) {
    auto space = value.find(' ');
    return space == std::string_view::npos ? "***" : std::string(value.substr(0, space)) + " ***";
  }
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word : {"key", "token", "secret", "auth", "password", "cookie"}) {
    if (lower.find(word) != std::string::npos) return "***";
  }
  return std::string(value);
}

}  // namespace

std::string_view to_string(Event e) {
  switch (e) {
    case Event::problem:
      return "problem";
    case Event::acknowledged:
      return "acknowledged";
    case Event::recovery:
      return "recovery";
  }
  return "problem";
}

std::string Message::incident_key() const {
  return "lightkeeper-" + check + "-" + std::to_string(incident_id);
}

std::string HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

std::string HttpRequest::redacted() const {
  std::string out = method + " " + url + "\n";
  for (const auto& [key, value] : headers) out += key + ": " + mask_header(key, value) + "\n";
  if (!body.empty()) out += "\n" + body;
  // Longest first, so a secret that contains another is masked whole.
  std::vector<std::string> forms;
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    forms.push_back(secret);
    forms.push_back(percent_encode(secret));
    forms.push_back(form_encode({{"", secret}}).substr(1));
  }
  std::sort(forms.begin(), forms.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& form : forms) replace_all(out, form, "***");
  return out;
}

std::string default_title(const Message& m) {
  switch (m.event) {
    case Event::recovery:
      return "RECOVERED: " + m.check;
    case Event::acknowledged:
      return "ACKNOWLEDGED: " + m.check;
    case Event::problem:
      break;
  }
  return (m.to == State::warn ? "WARNING: " : "DOWN: ") + m.check;
}

std::string default_body(const Message& m) {
  std::string out;
  auto line = [&out](std::string_view label, const std::string& value) {
    if (value.empty()) return;
    out += label;
    out += value;
    out += '\n';
  };
  const std::string where = m.location.empty() ? std::string{} : m.location;
  switch (m.event) {
    case Event::recovery:
      out += m.check + " is " + std::string(lk::to_string(m.to)) + " again (resolved) after " +
             format_duration(m.at - m.since) + ".\n";
      line("Down since: ", format_time(m.since));
      line("Last error: ", m.last_error);
      break;
    case Event::acknowledged:
      out += m.check + " is " + std::string(lk::to_string(m.to)) + "; acknowledged" +
             (m.acknowledged_by.empty() ? "" : " by " + m.acknowledged_by) + ".\n";
      line("Note: ", m.note);
      line("Since: ", format_time(m.since));
      break;
    case Event::problem:
      out += m.check + " is " + std::string(lk::to_string(m.to)) + " (was " +
             std::string(lk::to_string(m.from)) + ").\n";
      line("From: ", where);
      line("Since: ", format_time(m.since) + " (" + format_duration(m.at - m.since) + ")");
      line("Last error: ", m.last_error);
      line("Note: ", m.note);
      break;
  }
  line("Incident: #", m.incident_id ? std::to_string(m.incident_id) : std::string{});
  line("Status page: ", m.status_page_url);
  if (m.event == Event::problem) line("Acknowledge: ", m.ack_url);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace lk::alert
