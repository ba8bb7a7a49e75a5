// The persisted form of one CheckState: compact JSON, one row per check in the store.
//
//   {"v":1,"check":"shop","state":"fail","since":1800000000000000000,"flapping":false,
//    "incident":7,"message":"connect refused","locations":{"eu":{"hard":"fail","soft":"fail",
//    "bad":3,"good":0,"since":...,"last":...,"message":"...","history":"ooofff","flapping":false}}}
//
// Times are integer nanoseconds since the epoch; the flap history is one letter per result
// (p, o, w, f, u), oldest first. decode() reads what encode() writes and refuses anything else
// without throwing: a row it cannot read must not take the engine down on restart.

#include <chrono>
#include <limits>
#include <nlohmann/json.hpp>

#include "state/engine.hpp"
#include "state/flapping.hpp"

namespace lk::state {

namespace {

using Json = nlohmann::json;

constexpr int kFormatVersion = 1;

std::int64_t to_nanoseconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TimePoint from_nanoseconds(std::int64_t ns) {
  return TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds{ns})};
}

char state_letter(State s) {
  switch (s) {
    case State::pending:
      return 'p';
    case State::ok:
      return 'o';
    case State::warn:
      return 'w';
    case State::fail:
      return 'f';
    case State::unknown:
      return 'u';
  }
  return 'u';
}

std::optional<State> state_from_letter(char c) {
  switch (c) {
    case 'p':
      return State::pending;
    case 'o':
      return State::ok;
    case 'w':
      return State::warn;
    case 'f':
      return State::fail;
    case 'u':
      return State::unknown;
    default:
      return std::nullopt;
  }
}

Json encode_location(const LocationState& loc) {
  std::string history;
  for (State s : loc.history) history.push_back(state_letter(s));
  return Json{{"hard", to_string(loc.hard)},
              {"soft", to_string(loc.soft)},
              {"bad", loc.consecutive_bad},
              {"good", loc.consecutive_good},
              {"since", to_nanoseconds(loc.since)},
              {"last", to_nanoseconds(loc.last_result)},
              {"message", loc.last_message.view()},
              {"history", history},
              {"flapping", loc.flapping}};
}

// Readers for one field of a JSON object. An absent optional field leaves `out` as it is; a
// field that is present with the wrong type or value fails the whole decode.
enum class Need { required, optional };

const Json* field(const Json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool read_string(const Json& object, const char* key, std::string& out, Need need) {
  const Json* value = field(object, key);
  if (value == nullptr) return need == Need::optional;
  if (!value->is_string()) return false;
  out = value->get_ref<const std::string&>();
  return true;
}

bool read_text(const Json& object, const char* key, SharedText& out, Need need) {
  const Json* value = field(object, key);
  if (value == nullptr) return need == Need::optional;
  if (!value->is_string()) return false;
  out = value->get_ref<const std::string&>();
  return true;
}

bool read_integer(const Json& object, const char* key, std::int64_t& out, Need need) {
  const Json* value = field(object, key);
  if (value == nullptr) return need == Need::optional;
  if (!value->is_number_integer()) return false;
  if (value->is_number_unsigned() &&
      value->get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
    return false;
  }
  out = value->get<std::int64_t>();
  return true;
}

bool read_counter(const Json& object, const char* key, int& out) {
  std::int64_t value = out;
  if (!read_integer(object, key, value, Need::optional)) return false;
  if (value < 0 || value > std::numeric_limits<int>::max()) return false;
  out = int(value);
  return true;
}

bool read_bool(const Json& object, const char* key, bool& out) {
  const Json* value = field(object, key);
  if (value == nullptr) return true;
  if (!value->is_boolean()) return false;
  out = value->get<bool>();
  return true;
}

bool read_time(const Json& object, const char* key, TimePoint& out, Need need) {
  std::int64_t ns = 0;
  const bool present = field(object, key) != nullptr;
  if (!read_integer(object, key, ns, need)) return false;
  if (present) out = from_nanoseconds(ns);
  return true;
}

bool read_state(const Json& object, const char* key, State& out) {
  std::string text;
  if (!read_string(object, key, text, Need::required)) return false;
  auto state = parse_state(text);
  if (!state) return false;
  out = *state;
  return true;
}

bool read_history(const Json& object, StateHistory& out) {
  std::string letters;
  if (!read_string(object, "history", letters, Need::optional)) return false;
  for (char letter : letters) {
    auto state = state_from_letter(letter);
    if (!state) return false;
    out.push_back(*state);
  }
  while (out.size() > kFlapHistorySize) out.pop_front();
  return true;
}

std::optional<LocationState> decode_location(const Json& object) {
  if (!object.is_object()) return std::nullopt;
  LocationState loc;
  const bool ok = read_state(object, "hard", loc.hard) && read_state(object, "soft", loc.soft) &&
                  read_counter(object, "bad", loc.consecutive_bad) &&
                  read_counter(object, "good", loc.consecutive_good) &&
                  read_time(object, "since", loc.since, Need::optional) &&
                  read_time(object, "last", loc.last_result, Need::optional) &&
                  read_text(object, "message", loc.last_message, Need::optional) &&
                  read_history(object, loc.history) && read_bool(object, "flapping", loc.flapping);
  if (!ok) return std::nullopt;
  return loc;
}

std::optional<CheckState> decode_check(const Json& doc) {
  if (!doc.is_object()) return std::nullopt;
  std::int64_t version = 0;
  if (!read_integer(doc, "v", version, Need::required) || version != kFormatVersion) {
    return std::nullopt;
  }

  CheckState s;
  const bool ok = read_string(doc, "check", s.check, Need::required) && !s.check.empty() &&
                  read_state(doc, "state", s.state) &&
                  read_time(doc, "since", s.since, Need::required) &&
                  read_bool(doc, "flapping", s.flapping) &&
                  read_text(doc, "message", s.last_message, Need::optional);
  if (!ok) return std::nullopt;

  if (const Json* incident = field(doc, "incident"); incident != nullptr && !incident->is_null()) {
    std::int64_t id = 0;
    if (!read_integer(doc, "incident", id, Need::required) || id < 1) return std::nullopt;
    s.open_incident = id;
  }

  const Json* locations = field(doc, "locations");
  if (locations == nullptr || !locations->is_object()) return std::nullopt;
  for (const auto& [name, value] : locations->items()) {
    auto loc = decode_location(value);
    if (!loc) return std::nullopt;
    s.locations.emplace(name, std::move(*loc));
  }
  // The engine shares the check's message with the location it came from; so does a decoded row.
  for (const auto& [name, loc] : s.locations) {
    if (loc.last_message == s.last_message) {
      s.last_message = loc.last_message;
      break;
    }
  }
  return s;
}

}  // namespace

std::string StateEngine::encode(const CheckState& s) {
  Json locations = Json::object();
  for (const auto& [name, loc] : s.locations) locations[name.str()] = encode_location(loc);

  Json doc{{"v", kFormatVersion},
           {"check", s.check},
           {"state", to_string(s.state)},
           {"since", to_nanoseconds(s.since)},
           {"flapping", s.flapping},
           {"message", s.last_message.view()},
           {"locations", std::move(locations)}};
  if (s.open_incident) doc["incident"] = *s.open_incident;
  // Messages come from probes and may quote bytes that are not UTF-8; replace them rather
  // than throw, the message is for humans.
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<CheckState> StateEngine::decode(std::string_view text) {
  Json doc = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return std::nullopt;
  try {
    return decode_check(doc);
  } catch (const Json::exception&) {
    // Unreachable by construction (every field's type is checked before it is read), but
    // decode promises not to throw, and a bad row must not stop a restart.
    return std::nullopt;
  }
}

}  // namespace lk::state
