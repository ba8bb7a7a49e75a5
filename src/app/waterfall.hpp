#pragma once
// Human and JSON renderings of one check run, for `lightkeeper check`.

#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string_view>

#include "core/result.hpp"

namespace lk::app {

/// Prints the target, peer and a per-phase timing waterfall (DNS, connect, TLS, first byte,
/// total) with bars to scale, and the certificate expiry when known.
void print_waterfall(std::ostream& out, std::string_view target, const Observation& o,
                     TimePoint now);

nlohmann::json result_json(const Result& r, const Observation& o);

}  // namespace lk::app
