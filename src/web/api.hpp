#pragma once
// The read-only JSON API under /api/v1. Times are RFC 3339 strings, durations are numbers of
// milliseconds in keys ending in _ms, missing values are null. Errors are always
// {"error": {"message": "...", "field": "..."}} (field only when one parameter is to blame).

#include <string_view>

#include "web/http.hpp"
#include "web/model.hpp"

namespace lk::store {
class Store;
}

namespace lk::web::api {

inline constexpr std::size_t kDefaultResultLimit = 1000;
inline constexpr std::size_t kMaxResultLimit = 10000;
inline constexpr std::size_t kDefaultIncidentLimit = 100;
inline constexpr std::size_t kMaxIncidentLimit = 1000;
/// Checks times buckets that one GET /api/v1/rollups may ask for (90 days of 2,000 checks;
/// about 50 MB of JSON per location).
inline constexpr std::size_t kMaxBatchRollups = 200'000;

/// A JSON error response; `field` names the parameter at fault, if any.
Response error(int status, std::string_view message, std::string_view field = {});

/// GET /api/v1/checks?tag=&group=&type=&state=: the checks in the snapshot, in config order
/// (state: ok, warn, fail, unknown, pending, or paused for paused ones).
Response list_checks(const StatusSnapshot& snapshot, const Request& request);

/// GET /api/v1/checks/{name}: one check with its 90 daily bars and sparkline.
Response get_check(const StatusSnapshot& snapshot, std::string_view name);

/// GET /api/v1/checks/{name}/results?from=&to=&limit=&location= (default: the last hour, 1000
/// results; location keeps those of one probe location).
Response check_results(const StatusSnapshot& snapshot, store::Store& store, std::string_view name,
                       const Request& request, TimePoint now);

/// GET /api/v1/checks/{name}/rollups?resolution=minute|hour|day&from=&to= (default resolution
/// hour; default range one hour of minutes, a day of hours or 90 days of days).
Response check_rollups(const StatusSnapshot& snapshot, store::Store& store, std::string_view name,
                       const Request& request, TimePoint now);

/// GET /api/v1/rollups?resolution=minute|hour|day&from=&to=&check=a,b: the rollups of many
/// checks in one answer, {"resolution", "from", "to", "checks": [{"check", "rollups": [...]}]},
/// rows shaped as in check_rollups (latencies to the microsecond). Checks in the order given,
/// or every check of the snapshot in config order; defaults as for check_rollups.
Response batch_rollups(const StatusSnapshot& snapshot, store::Store& store, const Request& request,
                       TimePoint now);

/// GET /api/v1/incidents?open=true|false&check=&limit=&before= (newest first; page on with
/// before=<next_before>).
Response list_incidents(store::Store& store, const Request& request, TimePoint now);

}  // namespace lk::web::api
