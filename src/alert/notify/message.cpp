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
  return mask_secrets(std::move(out), secrets);
}

namespace {

// "web-1" or, grouped, "3 checks (web-1, web-2, db)"; long lists are cut after a few names.
std::string subject_of(const Message& m) {
  if (m.members.size() <= 1) return m.check;
  constexpr std::size_t kNamed = 4;
  std::string names;
  for (std::size_t i = 0; i < m.members.size() && i < kNamed; ++i)
    names += (i ? ", " : "") + m.members[i].check;
  if (m.members.size() > kNamed) names += ", …";
  return std::to_string(m.members.size()) + " checks (" + names + ")";
}

}  // namespace

std::string default_title(const Message& m) {
  switch (m.event) {
    case Event::recovery:
      return "RECOVERED: " + subject_of(m);
    case Event::acknowledged:
      return "ACKNOWLEDGED: " + subject_of(m);
    case Event::problem:
      break;
  }
  return (m.to == State::warn ? "WARNING: " : "DOWN: ") + subject_of(m);
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
  const bool grouped = m.members.size() > 1;
  switch (m.event) {
    case Event::recovery:
      if (grouped) {
        out += std::to_string(m.members.size()) + " checks are ok again (resolved) after " +
               format_duration(m.at - m.since) + ".\n";
        break;
      }
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
      if (grouped)
        out += std::to_string(m.members.size()) + " checks are failing together.\n";
      else
        out += m.check + " is " + std::string(lk::to_string(m.to)) + " (was " +
               std::string(lk::to_string(m.from)) + ").\n";
      line("From: ", where);
      line("Since: ", format_time(m.since) + " (" + format_duration(m.at - m.since) + ")");
      line("Last error: ", m.last_error);
      line("Note: ", m.note);
      break;
  }
  if (m.members.size() > 1) {
    out += m.event == Event::recovery ? "Recovered:\n" : "Checks:\n";
    for (const auto& member : m.members) {
      out += "- " + member.check + " " + std::string(lk::to_string(member.severity)) + " since " +
             format_time(member.since);
      if (member.recovered_at)
        out += ", down " + format_duration(*member.recovered_at - member.since);
      else if (!member.last_error.empty())
        out += ": " + member.last_error;
      out += '\n';
    }
  }
  if (!m.also_affected.empty()) {
    std::string list;
    for (const auto& name : m.also_affected) list += (list.empty() ? "" : ", ") + name;
    line("Also affected (depend on it): ", list);
  }
  line("Incident: #", m.incident_id ? std::to_string(m.incident_id) : std::string{});
  line("Status page: ", m.status_page_url);
  if (m.event == Event::problem) line("Acknowledge: ", m.ack_url);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace lk::alert
