// The option reference of docs/configuration.md, generated from the option tables.

#include <algorithm>
#include <string>
#include <vector>

#include "alert/notify/channel.hpp"
#include "config/config.hpp"
#include "config/site.hpp"

namespace lk::config {

namespace {

// Table cells must not break the table: escape the pipe, keep each cell on one line.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void append_table(std::string& out, std::string_view heading, std::string_view intro,
                  std::span<const Option> options) {
  out += "## " + std::string(heading) + "\n\n";
  if (!intro.empty()) out += std::string(intro) + "\n\n";
  out += "| option | type | default | description |\n";
  out += "|---|---|---|---|\n";
  for (const Option& o : options) {
    std::string default_text = o.required                ? "**required**"
                               : o.default_value.empty() ? ""
                                                         : "`" + cell(o.default_value) + "`";
    out += "| `" + cell(o.key) + "` | " + cell(o.type) + " | " + default_text + " | " +
           cell(o.help) + " |\n";
  }
  out += "\n";
}

}  // namespace

std::string options_markdown(std::span<const ProbeKindParser> kinds) {
  std::string out;
  append_table(out, "Top level", "Settings of the main config file.", top_level_options());
  append_table(out, "Common check options",
               "Every entry of `checks:` takes these, next to the options of its `type`.",
               check_options());
  std::vector<const ProbeKindParser*> sorted;
  for (const ProbeKindParser& kind : kinds) sorted.push_back(&kind);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->type < b->type; });
  for (const ProbeKindParser* kind : sorted) {
    append_table(out, "`type: " + std::string(kind->type) + "`",
                 "Options of " + std::string(kind->type) + " checks, in the check's mapping.",
                 kind->options);
  }
  // Alerting: see docs/alerting.md for how these fit together.
  struct Section {
    std::string_view key, heading, intro;
  };
  constexpr Section kSections[] = {
      {"notifiers", "`notifiers:`",
       "Every notifier takes these, next to the options of its `type` (below)."},
      {"people", "`people:`", ""},
      {"schedules", "`schedules:`", ""},
      {"schedules.layers", "`schedules[].layers:`", ""},
      {"schedules.overrides", "`schedules[].overrides:`", ""},
      {"escalations", "`escalations:`", ""},
      {"escalations.tiers", "`escalations[].tiers:`", ""},
      {"routes", "`routes:`", ""},
      {"match", "`match:`", "In routes, maintenance and silences."},
      {"maintenance", "`maintenance:`", ""},
      {"silences", "`silences:`", ""},
      {"alerting", "`alerting:`", ""},
  };
  for (const auto& section : kSections) {
    std::string intro(section.intro);
    if (section.key == "routes" || section.key == "escalations.tiers" || section.key == "people")
      intro += (intro.empty() ? "" : " ") + std::string(target_help());
    append_table(out, section.heading, intro, alerting_section_options(section.key));
  }
  constexpr Section kSiteSections[] = {
      {"api", "`api:`", "See docs/api.md."},
      {"api.tokens", "`api.tokens:`", ""},
      {"components", "`components:`", ""},
      {"status_pages", "`status_pages:`", ""},
      {"status_pages.colors", "`status_pages[].colors:`", ""},
      {"status_pages.footer_links", "`status_pages[].footer_links:`", ""},
  };
  for (const auto& section : kSiteSections)
    append_table(out, section.heading, section.intro, site_section_options(section.key));
  std::vector<const alert::ChannelKind*> channels;
  for (const auto& kind : alert::channel_kinds()) channels.push_back(&kind);
  std::sort(channels.begin(), channels.end(),
            [](const auto* a, const auto* b) { return a->type < b->type; });
  for (const auto* kind : channels)
    append_table(out, "Notifier `type: " + std::string(kind->type) + "`", kind->help,
                 kind->options());
  return out;
}

}  // namespace lk::config
