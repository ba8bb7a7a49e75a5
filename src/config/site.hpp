#pragma once
// Reads the public side of the main config file: `api` (tokens), `components` and
// `status_pages` (private to config/).

#include <filesystem>
#include <span>
#include <string_view>

#include "config/config.hpp"
#include "config/yaml_fields.hpp"

namespace lk::config {

/// Fills config.api, config.components and config.status_pages from the top level and checks
/// every reference (a component naming a check, a page naming a component). Runs after the
/// checks are read. A page's `css_file` is read relative to `config_dir` and added to
/// config.files, so that editing it reloads the config.
void read_site(YamlFields& top, ReadContext context, const std::filesystem::path& config_dir,
               Config& config);

/// The option table of a section, for the generated reference: "api", "api.tokens",
/// "components", "status_pages", "status_pages.colors", "status_pages.footer_links".
std::span<const Option> site_section_options(std::string_view section);

}  // namespace lk::config
