#pragma once
// Reads the alerting sections of the main config file (private to config/).

#include <span>
#include <string_view>
#include <vector>

#include "alert/policy/model.hpp"
#include "config/config.hpp"
#include "config/yaml_fields.hpp"

namespace lk::config {

/// Fills `out` from the top level's notifiers, people, schedules, escalations, routes,
/// maintenance, silences and alerting, and checks every reference (including the checks'
/// depends_on, which is why it runs after every check is read).
void read_alerting(YamlFields& top, ReadContext context, const std::vector<Check>& checks,
                   alert::AlertConfig& out);

}  // namespace lk::config
