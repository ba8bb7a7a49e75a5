#include "alert/notify/template.hpp"

#include <algorithm>
#include <optional>

namespace lk::alert {
namespace {

std::optional<std::string> value_of(std::string_view name, const Message& m,
                                    const Variables& extra) {
  for (const auto& [key, value] : extra) {
    if (key == name) return value;
  }
  if (name == "title") return default_title(m);
  if (name == "body") return default_body(m);
  if (name == "check") return m.check;
  if (name == "event") return std::string(to_string(m.event));
  if (name == "from") return std::string(lk::to_string(m.from));
  if (name == "to") return std::string(lk::to_string(m.to));
  if (name == "severity") return std::string(lk::to_string(m.severity));
  if (name == "since") return format_time(m.since);
  if (name == "time") return format_time(m.at);
  if (name == "duration") return format_duration(m.at - m.since);
  if (name == "error") return m.last_error;
  if (name == "location") return m.location;
  if (name == "incident") return m.incident_id ? std::to_string(m.incident_id) : std::string{};
  if (name == "incident_key") return m.incident_key();
  if (name == "status_url") return m.status_page_url;
  if (name == "ack_url") return m.is_recovery() ? std::string{} : m.ack_url;
  if (name == "acked_by") return m.acknowledged_by;
  if (name == "note") return m.note;
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Renders one line; `all_empty` says whether it had placeholders and every one was empty.
std::string render_line(std::string_view line, const Message& m, const Escape& escape,
                        const Variables& extra, bool& all_empty) {
  std::string out;
  int placeholders = 0;
  int empty = 0;
  std::size_t pos = 0;
  while (pos < line.size()) {
    auto open = line.find("{{", pos);
    auto close = open == std::string_view::npos ? open : line.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out += line.substr(pos);
      break;
    }
    out += line.substr(pos, open - pos);
    auto name = trim(line.substr(open + 2, close - open - 2));
    if (auto value = value_of(name, m, extra)) {
      ++placeholders;
      if (value->empty()) ++empty;
      out += escape ? escape(*value) : *value;
    } else {
      out += line.substr(open, close + 2 - open);
    }
    pos = close + 2;
  }
  all_empty = placeholders > 0 && placeholders == empty;
  return out;
}

}  // namespace

const std::vector<std::string_view>& template_placeholders() {
  static const std::vector<std::string_view> names = {
      "title",    "body",         "check",      "event",    "from",     "to",
      "severity", "since",        "time",       "duration", "error",    "location",
      "incident", "incident_key", "status_url", "ack_url",  "acked_by", "note"};
  return names;
}

std::string render_template(std::string_view tpl, const Message& m, const Escape& escape,
                            const Variables& extra, bool drop_empty_lines) {
  std::string out;
  bool first = true;
  std::size_t pos = 0;
  while (pos <= tpl.size()) {
    auto end = tpl.find('\n', pos);
    if (end == std::string_view::npos) end = tpl.size();
    bool all_empty = false;
    std::string line = render_line(tpl.substr(pos, end - pos), m, escape, extra, all_empty);
    if (!all_empty || !drop_empty_lines) {
      if (!first) out += '\n';
      out += line;
      first = false;
    }
    pos = end + 1;
  }
  return out;
}

std::vector<std::string> template_errors(std::string_view tpl, const Variables& extra) {
  std::vector<std::string> errors;
  const auto& known = template_placeholders();
  std::size_t pos = 0;
  while ((pos = tpl.find("{{", pos)) != std::string_view::npos) {
    auto close = tpl.find("}}", pos + 2);
    if (close == std::string_view::npos) {
      errors.push_back("unterminated placeholder at offset " + std::to_string(pos) +
                       ": add the closing \"}}\"");
      break;
    }
    auto name = trim(tpl.substr(pos + 2, close - pos - 2));
    bool is_extra = std::any_of(extra.begin(), extra.end(),
                                [&](const auto& variable) { return variable.first == name; });
    if (!is_extra && std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      errors.push_back("unknown placeholder {{" + std::string(name) + "}}; known: " + list);
    }
    pos = close + 2;
  }
  return errors;
}

}  // namespace lk::alert
