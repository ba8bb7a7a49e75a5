#include "web/markdown.hpp"

#include <md4c-html.h>

#include <algorithm>
#include <cctype>

#include "web/text.hpp"

namespace lk::web {

namespace {

constexpr unsigned kParserFlags =
    MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEAUTOLINKS;
constexpr int kHeadingShift = 3;

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char p, char t) {
           return p == std::tolower(static_cast<unsigned char>(t));
         });
}

// `href` as md4c wrote it: percent-encoded, so a scheme hidden behind entities or spaces
// ("java&#58;script:", "java script:") is already spelled out and cannot pass this prefix test.
bool is_allowed_link(std::string_view href) {
  return starts_with_nocase(href, "http://") || starts_with_nocase(href, "https://") ||
         starts_with_nocase(href, "mailto:");
}

// md4c's HTML with the few elements the page must not take as they are rewritten. With
// MD_FLAG_NOHTML every '<' of the author's text is escaped, so each tag here is md4c's own, in
// md4c's own spelling (attributes quoted with '"', '<', '>' and '"' inside them escaped).
std::string sanitize(std::string_view html) {
  std::string out;
  out.reserve(html.size() + 64);
  bool drop_next_close = false;  // links cannot nest, so the next </a> closes a dropped link
  std::size_t i = 0;
  while (i < html.size()) {
    std::size_t lt = html.find('<', i);
    out.append(html.substr(i, lt == std::string_view::npos ? std::string_view::npos : lt - i));
    if (lt == std::string_view::npos) break;
    std::string_view rest = html.substr(lt);
    std::size_t gt = rest.find('>');
    if (gt == std::string_view::npos) {  // cannot happen with md4c; keep the text inert
      out += "&lt;";
      i = lt + 1;
      continue;
    }
    std::string_view tag = rest.substr(0, gt + 1);
    i = lt + tag.size();
    if (tag.starts_with("<a href=\"")) {
      std::string_view href = tag.substr(9, tag.find('"', 9) - 9);
      if (!is_allowed_link(href)) {
        drop_next_close = true;
        continue;
      }
      out.append(tag.substr(0, 9 + href.size() + 1));
      out += " rel=\"nofollow ugc noopener\"";
      out.append(tag.substr(9 + href.size() + 1));
    } else if (tag == "</a>") {
      if (!drop_next_close) out.append(tag);
      drop_next_close = false;
    } else if (tag.starts_with("<img ")) {
      auto alt = tag.find(" alt=\"");
      if (alt != std::string_view::npos) {
        auto end = tag.find('"', alt + 6);
        out.append(tag.substr(alt + 6, end - alt - 6));
      }
    } else if (tag.size() == 4 && tag[1] == 'h' && tag[2] >= '1' && tag[2] <= '6') {
      out += "<h";
      out += static_cast<char>(std::min('6', static_cast<char>(tag[2] + kHeadingShift)));
      out += '>';
    } else if (tag.size() == 5 && tag[1] == '/' && tag[2] == 'h' && tag[3] >= '1' &&
               tag[3] <= '6') {
      out += "</h";
      out += static_cast<char>(std::min('6', static_cast<char>(tag[3] + kHeadingShift)));
      out += '>';
    } else {
      out.append(tag);
    }
  }
  return out;
}

void append_output(const MD_CHAR* text, MD_SIZE size, void* userdata) {
  static_cast<std::string*>(userdata)->append(text, size);
}

}  // namespace

std::string render_markdown(std::string_view text) {
  std::string html;
  html.reserve(text.size() * 2 + 16);
  if (md_html(text.data(), static_cast<MD_SIZE>(text.size()), append_output, &html, kParserFlags,
              0) != 0)
    return "<p>" + html_escape(text) + "</p>";  // md4c gives up only when out of memory
  return sanitize(html);
}

}  // namespace lk::web
