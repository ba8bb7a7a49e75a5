#pragma once
// The JSON side of evaluation: walking a path, comparing a JSON value with literals.

#include <string>

#include <nlohmann/json.hpp>

#include "expect/expect.hpp"
#include "expect/node.hpp"

namespace lk::expect {

/// Evaluates a json.<path> condition against the parsed body.
Verdict evaluate_json(const Node& node, const nlohmann::json& document);

}  // namespace lk::expect
