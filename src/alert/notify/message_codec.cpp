#include "alert/notify/message_codec.hpp"

#include <nlohmann/json.hpp>

namespace lk::alert {
namespace {

using json = nlohmann::json;

std::int64_t ns(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
TimePoint at_ns(std::int64_t v) {
  return TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds{v})};
}

Event event_from(std::string_view text) {
  if (text == "recovery") return Event::recovery;
  if (text == "acknowledged") return Event::acknowledged;
  return Event::problem;
}

State state_from(const json& j, const char* key) {
  return parse_state(j.value(key, std::string("fail"))).value_or(State::fail);
}

}  // namespace

std::string encode(const Message& m) {
  json j = {{"id", m.id},
            {"event", to_string(m.event)},
            {"check", m.check},
            {"from", to_string(m.from)},
            {"to", to_string(m.to)},
            {"severity", to_string(m.severity)},
            {"since", ns(m.since)},
            {"at", ns(m.at)},
            {"last_error", m.last_error},
            {"location", m.location},
            {"incident_id", m.incident_id},
            {"status_page_url", m.status_page_url},
            {"ack_url", m.ack_url},
            {"acknowledged_by", m.acknowledged_by},
            {"note", m.note}};
  if (!m.members.empty()) {
    json members = json::array();
    for (const auto& member : m.members) {
      json x = {{"check", member.check},
                {"severity", to_string(member.severity)},
                {"since", ns(member.since)},
                {"last_error", member.last_error}};
      if (member.recovered_at) x["recovered_at"] = ns(*member.recovered_at);
      members.push_back(std::move(x));
    }
    j["members"] = std::move(members);
  }
  if (!m.also_affected.empty()) j["also_affected"] = m.also_affected;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<Message> decode_message(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  try {
    Message m;
    m.id = j.value("id", std::string{});
    m.event = event_from(j.value("event", std::string{}));
    m.check = j.value("check", std::string{});
    m.from = state_from(j, "from");
    m.to = state_from(j, "to");
    m.severity = state_from(j, "severity");
    m.since = at_ns(j.value("since", std::int64_t{0}));
    m.at = at_ns(j.value("at", std::int64_t{0}));
    m.last_error = j.value("last_error", std::string{});
    m.location = j.value("location", std::string{});
    m.incident_id = j.value("incident_id", std::int64_t{0});
    m.status_page_url = j.value("status_page_url", std::string{});
    m.ack_url = j.value("ack_url", std::string{});
    m.acknowledged_by = j.value("acknowledged_by", std::string{});
    m.note = j.value("note", std::string{});
    if (auto it = j.find("members"); it != j.end() && it->is_array()) {
      for (const auto& x : *it) {
        Member member;
        member.check = x.value("check", std::string{});
        member.severity = state_from(x, "severity");
        member.since = at_ns(x.value("since", std::int64_t{0}));
        member.last_error = x.value("last_error", std::string{});
        if (x.contains("recovered_at"))
          member.recovered_at = at_ns(x["recovered_at"].get<std::int64_t>());
        m.members.push_back(std::move(member));
      }
    }
    if (auto it = j.find("also_affected"); it != j.end() && it->is_array())
      m.also_affected = it->get<std::vector<std::string>>();
    return m;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace lk::alert
