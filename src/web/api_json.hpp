#pragma once
// JSON shapes of the API's values. Internal to web/ (nlohmann_json is a private dependency).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/store.hpp"
#include "web/model.hpp"

namespace lk::web::api {

using Json = nlohmann::json;

/// Serialises for the wire. Invalid UTF-8 in user text is replaced rather than thrown on.
std::string dump(const Json& json);

/// A check as listed by /api/v1/checks; `with_history` adds the daily bars and sparkline.
Json check_json(const CheckItem& check, std::string_view location, bool with_history);
Json result_json(const Result& result);
Json rollup_json(const store::Rollup& rollup);
/// `now` gives open incidents their duration so far.
Json incident_json(const Incident& incident, TimePoint now);

std::string_view to_string(store::Resolution resolution);

/// The columns of a batch rollup row, in the order RollupRowWriter writes them.
inline constexpr const char* kRollupColumns =
    R"(["bucket","location","count","failures","warnings","uptime","latency_min_ms",)"
    R"("latency_avg_ms","latency_max_ms","latency_p95_ms"])";

/// Writes rollups as JSON arrays in kRollupColumns' order, straight into `out`: a dashboard's
/// batch is ~90,000 rows, several times slower to build as Json values and dump, and twice the
/// bytes as keyed objects. Latencies are written to the microsecond (rollup_json() writes every
/// digit of the double); a time or a location repeated from row to row is formatted once.
class RollupRowWriter {
 public:
  explicit RollupRowWriter(std::string& out) : out_(out) {}
  /// Appends one row array (no separator).
  void row(const store::Rollup& rollup);
  /// Appends `text` as a JSON string, as dump() would.
  void string(std::string_view text);

 private:
  std::string& out_;
  std::string location_, location_json_;
  std::unordered_map<std::int64_t, std::string> times_;  // bucket (ms) -> "\"...\""
  std::string scratch_;                                  // one row at a time
};

}  // namespace lk::web::api
