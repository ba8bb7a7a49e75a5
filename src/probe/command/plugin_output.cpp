#include "probe/command/plugin_output.hpp"

#include <charconv>

namespace lk::probe::command {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string out = "\"";
  out += text.size() > kMax ? std::string(text.substr(0, kMax)) + "..." : std::string(text);
  out += "\"";
  return out;
}

/// A number as the guidelines allow ([-0-9.], plus exponents some plugins print); the rest of
/// `text` after it is returned in `rest`.
std::optional<double> leading_number(std::string_view text, std::string_view& rest) {
  // Only [-+0-9.] may start a value: from_chars would also read "inf" and "nan".
  if (text.empty() ||
      !((text[0] >= '0' && text[0] <= '9') || text[0] == '-' || text[0] == '+' || text[0] == '.'))
    return std::nullopt;
  double value = 0;
  const char* first = text.data();
  // from_chars does not take a leading '+'; some plugins print one.
  if (!text.empty() && text.front() == '+') ++first;
  auto [end, ec] = std::from_chars(first, text.data() + text.size(), value);
  if (ec != std::errc{} || end == first) return std::nullopt;
  rest = text.substr(static_cast<std::size_t>(end - text.data()));
  return value;
}

std::vector<std::string_view> split_fields(std::string_view text) {
  std::vector<std::string_view> out;
  while (true) {
    auto semi = text.find(';');
    out.push_back(text.substr(0, semi));
    if (semi == std::string_view::npos) return out;
    text = text.substr(semi + 1);
  }
}

/// Reads one `label=value...` item starting at text[i] (not a space); advances i past it.
void read_item(std::string_view text, std::size_t& i, PerfData& out) {
  const std::size_t start = i;
  std::string label;
  auto skip_item = [&](std::string reason) {
    while (i < text.size() && !is_space(text[i])) ++i;
    out.problems.push_back(quoted(text.substr(start, i - start)) + " " + reason);
  };
  if (text[i] == '\'') {
    ++i;
    bool closed = false;
    while (i < text.size()) {
      if (text[i] == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'') {  // '' is a quote inside the label
          label += '\'';
          i += 2;
          continue;
        }
        ++i;
        closed = true;
        break;
      }
      label += text[i++];
    }
    if (!closed) {
      i = start + 1;  // resume at the next space rather than swallow the rest
      return skip_item("has an unterminated quoted label");
    }
    if (i >= text.size() || text[i] != '=') return skip_item("has no '=' after its label");
  } else {
    while (i < text.size() && text[i] != '=' && !is_space(text[i])) label += text[i++];
    if (i >= text.size() || text[i] != '=') return skip_item("is not label=value");
  }
  ++i;  // '='
  const std::size_t value_start = i;
  while (i < text.size() && !is_space(text[i])) ++i;
  std::string_view spec = text.substr(value_start, i - value_start);
  if (label.empty()) {
    out.problems.push_back(quoted(text.substr(start, i - start)) + " has an empty label");
    return;
  }
  auto fields = split_fields(spec);
  if (fields.size() > 5) {
    out.problems.push_back(quoted(text.substr(start, i - start)) +
                           " has more than value;warn;crit;min;max");
    return;
  }
  if (fields[0] == "U") return;  // undetermined: no value to record
  std::string_view unit;
  auto value = leading_number(fields[0], unit);
  if (!value) {
    out.problems.push_back(quoted(text.substr(start, i - start)) + " has no numeric value");
    return;
  }
  for (char c : unit) {
    if ((c >= '0' && c <= '9') || c == '.' || c == '-') {
      out.problems.push_back(quoted(text.substr(start, i - start)) + " has a malformed value");
      return;
    }
  }
  PerfValue v;
  v.label = std::move(label);
  v.value = *value;
  v.unit = std::string(unit);
  if (fields.size() > 1) v.warn = std::string(fields[1]);
  if (fields.size() > 2) v.crit = std::string(fields[2]);
  for (std::size_t k = 3; k < fields.size(); ++k) {
    if (fields[k].empty()) continue;
    // Some plugins repeat the unit on min and max (";0MB;100MB"); take the number.
    std::string_view tail;
    auto bound = leading_number(fields[k], tail);
    if (!bound || (!tail.empty() && tail != unit)) {
      out.problems.push_back(quoted(text.substr(start, i - start)) + " has a malformed " +
                             (k == 3 ? "min" : "max"));
      return;
    }
    (k == 3 ? v.min : v.max) = *bound;
  }
  out.values.push_back(std::move(v));
}

}  // namespace

PerfData parse_perfdata(std::string_view text) {
  PerfData out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    read_item(text, i, out);
  }
  return out;
}

PluginOutput parse_plugin_output(std::string_view output) {
  PluginOutput out;
  std::string perf_text;
  bool first = true;
  bool in_perfdata = false;  // after the '|' of the long text, every line is performance data
  while (!output.empty() || first) {
    auto newline = output.find('\n');
    std::string_view line = output.substr(0, newline);
    output = newline == std::string_view::npos ? std::string_view{} : output.substr(newline + 1);
    if (in_perfdata) {
      perf_text += ' ';
      perf_text += line;
      continue;
    }
    auto bar = line.find('|');
    std::string_view text = line.substr(0, bar);
    if (first) {
      out.summary = std::string(trim(text));
    } else {
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (!out.long_text.empty() || !trim(text).empty()) out.long_text.append(text).append("\n");
    }
    if (bar != std::string_view::npos) {
      perf_text += ' ';
      perf_text += line.substr(bar + 1);
      // On the first line the performance data ends with the line; in the long text it runs on
      // to the end of the output.
      in_perfdata = !first;
    }
    first = false;
  }
  while (!out.long_text.empty() && is_space(out.long_text.back())) out.long_text.pop_back();
  out.perfdata = parse_perfdata(perf_text);
  return out;
}

std::optional<std::size_t> first_non_text(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) return i;
      ++i;
      continue;
    }
    std::size_t length = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (length == 0 || i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return i;
    // Overlong three- and four-byte forms and surrogates.
    auto c1 = static_cast<unsigned char>(text[i + 1]);
    if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0) || (c == 0xf0 && c1 < 0x90) ||
        (c == 0xf4 && c1 >= 0x90))
      return i;
    i += length;
  }
  return std::nullopt;
}

}  // namespace lk::probe::command
