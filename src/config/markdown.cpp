// The option reference of docs/configuration.md, generated from the option tables.

#include <algorithm>
#include <string>
#include <vector>

#include "config/config.hpp"

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
  return out;
}

}  // namespace lk::config
