#include "web/layout.hpp"

#include <cstdio>

#include <cctype>
#include <cmath>

#include "web/page_style.hpp"
#include "web/text.hpp"

namespace lk::web {

namespace {

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

// A host (and port) fit to be written into a CSP header and a src attribute as it is.
bool is_plain_authority(std::string_view authority) {
  if (authority.empty()) return false;
  for (char c : authority) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

// "https://cdn.example.com" of "https://cdn.example.com/logo.svg"; empty when not absolute.
std::string_view origin_of(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  auto path = url.find_first_of("/?#", scheme_end + 3);
  return url.substr(0, path);
}

// Characters of a URL that may go into an attribute unescaped-in-meaning: the escaping below
// handles quotes, this refuses what no sane logo URL holds (spaces, controls).
bool has_no_spaces(std::string_view url) {
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

double channel_luminance(int value) {
  double c = value / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double relative_luminance(const std::array<int, 3>& rgb) {
  return 0.2126 * channel_luminance(rgb[0]) + 0.7152 * channel_luminance(rgb[1]) +
         0.0722 * channel_luminance(rgb[2]);
}

// The page's own colours: custom properties for both schemes, and for each state colour the
// banner text (white or near-black) that reads best on it.
// The brand colour as given when it is readable (4.5:1, WCAG AA for text) on both the page and
// the cards of a palette, else mixed step by step towards black (light palette) or white (dark
// palette) until it is: one brand colour cannot be readable on white and on near-black at once,
// and links and state words are text.
std::string readable_on(std::string_view color, const Palette& palette, bool towards_white) {
  auto rgb = parse_hex_color(color);
  if (!rgb) return std::string(color);
  auto hex = [](const std::array<int, 3>& c) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", c[0], c[1], c[2]);
    return std::string(buffer);
  };
  const int target = towards_white ? 255 : 0;
  for (int step = 0; step <= 20; ++step) {
    std::array<int, 3> mixed{};
    for (int i = 0; i < 3; ++i) mixed[i] = (*rgb)[i] + ((target - (*rgb)[i]) * step) / 20;
    std::string candidate = hex(mixed);
    if (contrast_ratio(candidate, palette.bg) >= 4.5 &&
        contrast_ratio(candidate, palette.card) >= 4.5)
      return candidate;
  }
  return towards_white ? "#ffffff" : "#000000";
}

void append_color_overrides(std::string& out, const PageColors& colors) {
  struct Override {
    std::string_view value, property, state_class;
  } overrides[] = {{colors.accent, "a", {}},
                   {colors.operational, "ok", "s-ok"},
                   {colors.degraded, "dg", "s-dg"},
                   {colors.down, "dn", "s-dn"},
                   {colors.maintenance, "mt", "s-mt"}};
  for (const Palette* palette : {&kLightPalette, &kDarkPalette}) {
    const bool dark = palette == &kDarkPalette;
    std::string properties, banners;
    for (const auto& o : overrides) {
      if (!parse_hex_color(o.value)) continue;
      const std::string value = readable_on(o.value, *palette, dark);
      properties.append("--").append(o.property).append(":").append(value).append(";");
      if (o.state_class.empty()) continue;
      std::string_view text = contrast_ratio(value, "#ffffff") >= contrast_ratio(value, "#111111")
                                  ? "#ffffff"
                                  : "#111111";
      banners.append(".banner.").append(o.state_class).append("{color:").append(text).append("}");
    }
    if (properties.empty()) return;
    if (dark) out += "@media (prefers-color-scheme:dark){";
    out.append(":root{").append(properties).append("}").append(banners);
    if (dark) out += "}";
  }
}

// Custom CSS goes inside <style>, which only "</" can end; CSS has no use for '<' outside its
// strings, and inside them the escape "\3c " means the same character.
void append_custom_css(std::string& out, std::string_view css) {
  for (char c : css) {
    if (c == '<')
      out += "\\3c ";
    else
      out += c;
  }
}

void append_logo(std::string& out, const StatusPageSpec& page) {
  auto src = logo_source(page);
  if (!src) return;
  // The title is written right beside the logo; an alt repeating it would be read twice.
  std::string_view alt = page.logo_alt == page.title ? std::string_view{} : page.logo_alt;
  out += "<img src=\"";
  append_html_escaped(out, *src);
  out += "\" alt=\"";
  append_html_escaped(out, alt);
  out += "\">";
}

}  // namespace

std::string page_path(const StatusPageSpec& page) {
  return "/status/" + url_encode(page.slug) + "/";
}

std::string component_path(const StatusPageSpec& page, std::string_view component_id) {
  return page_path(page) + "components/" + url_encode(component_id);
}

std::string report_path(const StatusPageSpec& page, std::int64_t report_id) {
  return page_path(page) + "incidents/" + std::to_string(report_id);
}

std::string history_path(const StatusPageSpec& page) {
  return page_path(page) + "history";
}

std::string feed_path(const StatusPageSpec& page) {
  return page_path(page) + "feed.atom";
}

std::string absolute_url(const SiteSpec& site, std::string_view path) {
  std::string_view base = site.public_url;
  while (base.ends_with('/')) base.remove_suffix(1);
  return std::string(base) + std::string(path);
}

std::optional<std::string> logo_source(const StatusPageSpec& page) {
  std::string_view url = page.logo_url;
  if (url.empty() || !has_no_spaces(url)) return std::nullopt;
  if (url.starts_with("/") && !url.starts_with("//")) return std::string(url);
  if (starts_with_nocase(url, "data:image/")) return std::string(url);
  if ((starts_with_nocase(url, "https://") || starts_with_nocase(url, "http://")) &&
      is_plain_authority(origin_of(url).substr(origin_of(url).find("://") + 3)))
    return std::string(url);
  return std::nullopt;
}

bool is_safe_link(std::string_view url) {
  if (!has_no_spaces(url)) return false;
  if (url.starts_with("/") && !url.starts_with("//")) return true;
  return starts_with_nocase(url, "https://") || starts_with_nocase(url, "http://") ||
         starts_with_nocase(url, "mailto:");
}

std::string content_security_policy(const StatusPageSpec& page) {
  std::string img = "img-src 'self' data:";
  if (auto logo = logo_source(page); logo && logo->find("://") != std::string::npos)
    img.append(" ").append(origin_of(*logo));
  return "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; " +
         img + "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

std::optional<std::array<int, 3>> parse_hex_color(std::string_view text) {
  if ((text.size() != 4 && text.size() != 7) || text[0] != '#') return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::array<int, 3> rgb{};
  for (int i = 0; i < 3; ++i) {
    int hi = 0, lo = 0;
    if (text.size() == 4) {
      hi = lo = digit(text[1 + i]);
    } else {
      hi = digit(text[1 + 2 * i]);
      lo = digit(text[2 + 2 * i]);
    }
    if (hi < 0 || lo < 0) return std::nullopt;
    rgb[i] = hi * 16 + lo;
  }
  return rgb;
}

double contrast_ratio(std::string_view a, std::string_view b) {
  auto ca = parse_hex_color(a), cb = parse_hex_color(b);
  if (!ca || !cb) return 1.0;
  double la = relative_luminance(*ca), lb = relative_luminance(*cb);
  if (la < lb) std::swap(la, lb);
  return (la + 0.05) / (lb + 0.05);
}

void append_time(std::string& out, TimePoint t) {
  out += "<time datetime=\"";
  out += format_time(t);
  out += "\">";
  out += format_minute(t);
  out += "</time>";
}

void open_document(std::string& out, const PageContext& ctx, std::string_view title,
                   NavItem current, const Banner* banner) {
  const StatusPageSpec& page = ctx.page;
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"color-scheme\" content=\"light dark\">\n<title>";
  append_html_escaped(out, title);
  out += "</title>\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"";
  append_html_escaped(out, page.title);
  out += " incidents\" href=\"" + feed_path(page) +
         "\">\n"
         // With JavaScript, live.js follows the server's events; without, the page reloads.
         "<noscript><meta http-equiv=\"refresh\" content=\"60\"></noscript>\n"
         "<script src=\"/static/live.js\" defer></script>\n<style>";
  out += status_page_css();
  append_color_overrides(out, page.colors);
  append_custom_css(out, page.custom_css);
  out += "</style></head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to main content</a>\n";
  out += "<header>";
  if (banner) {
    out += "<h1>";
    append_logo(out, page);
    append_html_escaped(out, page.title);
    out += "</h1>";
  } else {
    out += "<p class=\"brand\"><a href=\"" + page_path(page) + "\">";
    append_logo(out, page);
    append_html_escaped(out, page.title);
    out += "</a></p>";
  }
  if (banner && !page.description.empty()) {
    out += "<p class=\"mu\">";
    append_html_escaped(out, page.description);
    out += "</p>";
  }
  auto nav_link = [&](std::string_view href, std::string_view text, bool is_current) {
    out += "<li><a href=\"";
    out += href;
    out += is_current ? "\" aria-current=\"page\">" : "\">";
    out += text;
    out += "</a></li>";
  };
  out += "\n<nav aria-label=\"Status page\"><ul>";
  nav_link(page_path(page), "Current status", current == NavItem::status);
  nav_link(history_path(page), "Incident history", current == NavItem::history);
  nav_link(feed_path(page), "Subscribe (Atom feed)", false);
  out += "</ul></nav>\n";
  if (banner) {
    out += "<p id=\"banner\" class=\"banner ";
    out += banner->css_class;
    out += "\" role=\"status\">";
    out += banner->text;
    out += "</p>\n";
  }
  out += "</header>\n<main id=\"main\" tabindex=\"-1\">\n";
}

void close_document(std::string& out, const PageContext& ctx) {
  out += "</main>\n<footer>";
  if (!ctx.page.footer_links.empty()) {
    out += "<ul>";
    for (const auto& link : ctx.page.footer_links) {
      out += "<li>";
      if (is_safe_link(link.url)) {
        out += "<a href=\"";
        append_html_escaped(out, link.url);
        out += "\">";
        append_html_escaped(out, link.text);
        out += "</a>";
      } else {
        append_html_escaped(out, link.text);
      }
      out += "</li>";
    }
    out += "</ul>";
  }
  out += "<p>Data as of ";
  append_time(out, ctx.as_of);
  out += " · Times in UTC · Powered by Lightkeeper</p></footer>\n</body></html>\n";
}

}  // namespace lk::web
