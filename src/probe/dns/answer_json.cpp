// The answer as the JSON document that conditions read (json.rcode, json.answers ...), and as
// the one line people read when it is fine.

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "probe/dns/dns_probe.hpp"

namespace lk::probe::dns {

namespace {

nlohmann::json record_json(const Record& r) {
  return {{"name", r.name}, {"type", type_name(r.type)}, {"ttl", r.ttl}, {"data", r.data}};
}

/// "520us", "12ms", "1.5s": whole milliseconds from a millisecond on.
std::string readable(Duration d) {
  if (d >= std::chrono::milliseconds(1) && d < std::chrono::seconds(1))
    d = std::chrono::round<std::chrono::milliseconds>(d);
  return format_duration(d);
}

}  // namespace

std::string answer_summary(const Message& answer, const Settings& s, Duration took, bool over_tcp) {
  constexpr std::size_t kShown = 5;
  const std::string type = type_name(s.record_type);
  std::string out = rcode_name(answer.rcode);
  std::vector<const Record*> of_type;
  std::uint32_t min_ttl = std::numeric_limits<std::uint32_t>::max();
  for (const Record& r : answer.answers) {
    min_ttl = std::min(min_ttl, r.ttl);
    if (r.type == s.record_type) of_type.push_back(&r);
  }
  if (answer.rcode != rcode::noerror) {
    out += " for " + s.query + " " + type;
  } else if (of_type.empty()) {
    out += ", no " + type + " record for " + s.query;
  } else {
    out += ": ";
    constexpr std::size_t kLongest = 80;  // a DKIM key would drown the line
    for (std::size_t i = 0; i < std::min(of_type.size(), kShown); ++i) {
      const std::string& data = of_type[i]->data;
      out += (i ? ", " : "") + (data.size() > kLongest ? data.substr(0, kLongest) + "..." : data);
    }
    if (of_type.size() > kShown) out += " and " + std::to_string(of_type.size() - kShown) + " more";
    out += " (" + type + ", TTL " + std::to_string(min_ttl) + "s)";
  }
  out += " in " + readable(took);
  if (over_tcp) out += " over TCP";
  return out;
}

std::string answer_json(const Message& answer, const Settings& s, std::string_view server,
                        bool over_tcp, bool udp_truncated) {
  nlohmann::json answers = nlohmann::json::array();
  std::vector<std::string> set;
  nlohmann::json records = nlohmann::json::array();
  std::uint32_t min_ttl = std::numeric_limits<std::uint32_t>::max();
  for (const Record& r : answer.answers) {
    records.push_back(record_json(r));
    min_ttl = std::min(min_ttl, r.ttl);
    if (r.type == s.record_type) {
      answers.push_back(r.data);
      set.push_back(r.data);
    }
  }
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  std::string answer_set;
  for (const auto& item : set) answer_set += (answer_set.empty() ? "" : ", ") + item;
  nlohmann::json authority = nlohmann::json::array();
  for (const Record& r : answer.authority) authority.push_back(record_json(r));

  const std::size_t answer_count = answers.size();
  nlohmann::json doc = {
      {"server", server},
      {"query", s.query},
      {"type", type_name(s.record_type)},
      {"transport", over_tcp ? "tcp" : "udp"},
      {"udp_truncated", udp_truncated},
      {"rcode", rcode_name(answer.rcode)},
      {"authoritative", answer.authoritative},
      {"truncated", answer.truncated},
      {"recursion_available", answer.recursion_available},
      {"authenticated_data", answer.authenticated_data},
      {"answers", std::move(answers)},
      {"answer_count", answer_count},
      {"answer_set", std::move(answer_set)},
      {"records", std::move(records)},
      {"authority", std::move(authority)},
  };
  doc["min_ttl"] = answer.answers.empty() ? nlohmann::json(nullptr) : nlohmann::json(min_ttl);
  // Text from the server may hold bytes that are not UTF-8: replaced, never thrown.
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace lk::probe::dns
