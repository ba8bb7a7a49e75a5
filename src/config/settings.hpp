#pragma once
// Reads and validates the top-level settings (everything but `checks` and `include`).
// Private to config/.

#include <filesystem>

#include "config/config.hpp"
#include "config/yaml_fields.hpp"

namespace lk::config {

/// Fills the settings of `config` from the main file's top level. `config_dir` is the directory
/// of the main config file, against which a relative `storage` path is resolved.
void read_settings(YamlFields& top, const std::filesystem::path& config_dir, Config& config);

}  // namespace lk::config
