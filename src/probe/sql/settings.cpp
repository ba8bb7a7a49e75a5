#include "probe/sql/settings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace lk::probe::sql {

void read_common(config::Fields& fields, CheckSpec& spec, Settings& s, std::string_view scheme) {
  s.address = read_address(fields);
  s.database = fields.string("database");
  s.username = fields.string("username");
  s.password = fields.string("password");
  s.query = fields.string("query");
  s.replication = fields.boolean("replication");
  if (s.query.find_first_not_of(" \t\r\n;") == std::string::npos)
    fields.error("query", "the query is empty; write one that answers quickly, e.g. SELECT 1");
  spec.target = std::string(scheme) + "://" + (s.username.empty() ? "" : s.username + "@") +
                s.address.text() + (s.database.empty() ? "" : "/" + s.database);
}

const std::optional<std::string>* Answer::value(
    std::initializer_list<std::string_view> names) const {
  auto same = [](std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) ==
             std::tolower(static_cast<unsigned char>(y));
    });
  };
  for (auto name : names)
    for (std::size_t i = 0; i < columns.size() && i < first_row.size(); ++i)
      if (same(columns[i], name)) return &first_row[i];
  return nullptr;
}

void keep_first_row(Answer& answer, std::vector<std::optional<std::string>> row) {
  for (auto& value : row) {
    if (value && value->size() > kMaxValue) {
      value->resize(kMaxValue);
      answer.truncated = true;
    }
  }
  answer.first_row = std::move(row);
}

void observe(Observation& obs, const Answer& answer, Duration connect_time, Duration query_time) {
  if (!answer.first_row.empty() && answer.first_row.front()) obs.body = *answer.first_row.front();
  obs.body_truncated = answer.truncated;
  obs.metrics.push_back({"connect_time", to_ms(connect_time), "ms"});
  obs.metrics.push_back({"query_time", to_ms(query_time), "ms"});
  obs.metrics.push_back({"rows", static_cast<double>(answer.rows), ""});
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace lk::probe::sql
