#include "web/badge.hpp"

#include <cmath>
#include <cstdio>

#include "web/text.hpp"

namespace lk::web {

namespace {

constexpr std::string_view kLabelColor = "#555555";
constexpr std::string_view kNoDataColor = "#59636e";
constexpr double kPadding = 6;  // each side of each part

std::string number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  return buf;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

void append_text(std::string& out, double x, std::string_view text) {
  // A faint shadow one pixel down, as shields draws it, then the text.
  out += "<text x=\"" + number(x) + "\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\">";
  append_xml_escaped(out, text);
  out += "</text><text x=\"" + number(x) + "\" y=\"14\">";
  append_xml_escaped(out, text);
  out += "</text>";
}

}  // namespace

double badge_text_width(std::string_view text) {
  double width = 0;
  for (unsigned char c : text) {
    if (c >= 0x80 && c < 0xC0) continue;  // UTF-8 continuation bytes: counted with their lead
    std::string_view narrow = "il.,:;'|!", thin = "fjrt()[]I", wide = "mwMW%";
    if (narrow.find(static_cast<char>(c)) != std::string_view::npos)
      width += 3.7;
    else if (thin.find(static_cast<char>(c)) != std::string_view::npos)
      width += 4.6;
    else if (c == ' ')
      width += 3.9;
    else if (wide.find(static_cast<char>(c)) != std::string_view::npos)
      width += 10.8;
    else if (c >= 'A' && c <= 'Z')
      width += 7.6;
    else
      width += 7.0;
  }
  return std::ceil(width);
}

std::string badge_svg(std::string_view label, std::string_view value, std::string_view color) {
  const double label_width = badge_text_width(label) + 2 * kPadding;
  const double value_width = badge_text_width(value) + 2 * kPadding;
  const double width = label_width + value_width;
  std::string alt = std::string(label) + ": " + std::string(value);
  std::string out;
  out.reserve(1024);
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(width) +
         "\" height=\"20\" role=\"img\" aria-label=\"";
  append_xml_escaped(out, alt);
  out += "\"><title>";
  append_xml_escaped(out, alt);
  out +=
      "</title><linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" "
      "stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/>"
      "</linearGradient><clipPath id=\"r\"><rect width=\"" +
      number(width) +
      "\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath><g clip-path=\"url(#r)\"><rect "
      "width=\"" +
      number(label_width) + "\" height=\"20\" fill=\"" + std::string(kLabelColor) +
      "\"/><rect x=\"" + number(label_width) + "\" width=\"" + number(value_width) +
      "\" height=\"20\" fill=\"" + std::string(color) + "\"/><rect width=\"" + number(width) +
      "\" height=\"20\" fill=\"url(#s)\"/></g><g fill=\"#fff\" text-anchor=\"middle\" "
      "font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">";
  append_text(out, label_width / 2, label);
  append_text(out, label_width + value_width / 2, value);
  out += "</g></svg>\n";
  return out;
}

std::string_view badge_color(ComponentState state) {
  switch (state) {
    case ComponentState::operational:
      return "#1a7f37";
    case ComponentState::degraded:
      return "#9a6700";
    case ComponentState::down:
      return "#cf222e";
    case ComponentState::maintenance:
      return "#0969da";
    case ComponentState::no_data:
      return kNoDataColor;
  }
  return kNoDataColor;
}

std::string status_badge_svg(std::string_view label, ComponentState state) {
  return badge_svg(label, lower(state_word(state)), badge_color(state));
}

std::string uptime_badge_svg(std::string_view period, std::optional<double> uptime) {
  const std::string label = "uptime " + std::string(period);
  if (!uptime) return badge_svg(label, "no data", kNoDataColor);
  std::string_view color = *uptime >= 0.999  ? badge_color(ComponentState::operational)
                           : *uptime >= 0.99 ? badge_color(ComponentState::degraded)
                                             : badge_color(ComponentState::down);
  return badge_svg(label, format_percent(*uptime), color);
}

}  // namespace lk::web
