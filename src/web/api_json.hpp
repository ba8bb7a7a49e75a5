#pragma once
// JSON shapes of the API's values. Internal to web/ (nlohmann_json is a private dependency).

#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "web/model.hpp"

namespace lk::web::api {

using Json = nlohmann::json;

/// Serialises for the wire. Invalid UTF-8 in user text is replaced rather than thrown on.
std::string dump(const Json& json);

/// A check as listed by /api/v1/checks; `with_history` adds the daily bars and sparkline.
Json check_json(const CheckView& check, bool with_history);
Json result_json(const Result& result);
Json rollup_json(const store::Rollup& rollup);
/// `now` gives open incidents their duration so far.
Json incident_json(const Incident& incident, TimePoint now);

std::string_view to_string(store::Resolution resolution);

}  // namespace lk::web::api
