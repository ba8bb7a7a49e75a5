#include "store/sqlite/codec.hpp"

#include <limits>
#include <nlohmann/json.hpp>

namespace lk::store::sqlite {

Status status_from_code(std::int64_t code) {
  switch (code) {
    case 0:
      return Status::ok;
    case 1:
      return Status::warn;
    case 2:
      return Status::fail;
    default:
      return Status::unknown;
  }
}

State state_from_text(std::string_view text) {
  return parse_state(text).value_or(State::unknown);
}

std::optional<std::string> encode_metrics(const std::vector<Metric>& metrics) {
  if (metrics.empty()) return std::nullopt;
  auto array = nlohmann::json::array();
  for (const Metric& metric : metrics) {
    nlohmann::json item{{"name", metric.name}, {"value", metric.value}};
    if (!metric.unit.empty()) item["unit"] = metric.unit;
    array.push_back(std::move(item));
  }
  // `replace`: a probe may hand us invalid UTF-8 in a name; store it mangled, not fail the batch.
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<Metric> decode_metrics(std::string_view json) {
  std::vector<Metric> metrics;
  const auto array = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return metrics;
  for (const auto& item : array) {
    if (!item.is_object()) continue;
    Metric metric;
    metric.name = item.value("name", "");
    // JSON has no NaN or infinity: dump() writes them as null, which reads back as NaN.
    const auto value = item.find("value");
    metric.value = value != item.end() && value->is_number()
                       ? value->get<double>()
                       : std::numeric_limits<double>::quiet_NaN();
    metric.unit = item.value("unit", "");
    metrics.push_back(std::move(metric));
  }
  return metrics;
}

}  // namespace lk::store::sqlite
