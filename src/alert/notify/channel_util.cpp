#include "alert/notify/channel_util.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace lk::alert::detail {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// "scheme://host/…": enough to recognise a URL in a message without showing its path and
// query (where webhook URLs keep their token) or a password before the host.
std::string shown_url(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t end = url.find_first_of("/?#", start);
  std::string out(url.substr(0, start));
  std::string_view authority =
      url.substr(start, end == std::string_view::npos ? url.npos : end - start);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    out += "***@";
    authority.remove_prefix(at + 1);
  }
  out += authority;
  if (end != std::string_view::npos && end + 1 < url.size())
    out += std::string(1, url[end]) + "…";
  else if (end != std::string_view::npos)
    out += url[end];
  return out;
}

std::string joined(std::span<const std::string_view> words) {
  std::string out;
  for (std::string_view word : words) out += (out.empty() ? "" : ", ") + std::string(word);
  return out;
}

// RFC 9110 token characters, the only ones allowed in a header name.
bool is_token(std::string_view name) {
  constexpr std::string_view kPunctuation = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           kPunctuation.find(c) != std::string_view::npos;
  });
}

constexpr std::array<std::string_view, 5> kMethods{"GET", "POST", "PUT", "PATCH", "DELETE"};

}  // namespace

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::string read_nonempty(config::Fields& fields, std::string_view key) {
  std::string value = fields.string(key);
  if (value.empty() && fields.has(key)) fields.error(key, "must not be empty");
  return value;
}

bool check_url(config::Fields& fields, std::string_view key, std::string_view url) {
  std::string_view rest;
  if (istarts_with(url, "https://")) {
    rest = url.substr(8);
  } else if (istarts_with(url, "http://")) {
    rest = url.substr(7);
  } else {
    fields.error(key,
                 "expected a URL starting with http:// or https://, got " + quoted(shown_url(url)));
    return false;
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.empty() || authority.front() == ':') {
    fields.error(key, "expected a host name after " +
                          quoted(url.substr(0, url.size() - rest.size())) + ", got " +
                          quoted(shown_url(url)));
    return false;
  }
  if (url.find_first_of(" \t\r\n") != std::string_view::npos) {
    fields.error(key, "expected a URL without spaces or line breaks (write a space as %20), got " +
                          quoted(shown_url(url)));
    return false;
  }
  return true;
}

std::string read_url(config::Fields& fields, std::string_view key) {
  std::string url = fields.string(key);
  if (!url.empty() || fields.has(key)) check_url(fields, key, url);
  return url;
}

void check_template(config::Fields& fields, std::string_view key, std::string_view text,
                    const Variables& extra, std::string_view what) {
  for (std::string& error : template_errors(text, extra))
    fields.error(key, std::string(what) + error);
}

std::string read_template(config::Fields& fields, std::string_view key, const Variables& extra) {
  std::string text = fields.string(key);
  check_template(fields, key, text, extra);
  return text;
}

std::string read_choice(config::Fields& fields, std::string_view key,
                        std::span<const std::string_view> allowed) {
  std::string value = fields.string(key);
  if (value.empty() && !fields.has(key)) return value;
  for (std::string_view choice : allowed) {
    if (iequals(choice, value)) return std::string(choice);
  }
  fields.error(key, "expected one of " + joined(allowed) + ", got " + quoted(value));
  return value;
}

std::string read_method(config::Fields& fields, std::string_view key) {
  return read_choice(fields, key, kMethods);
}

int read_level(config::Fields& fields, std::string_view key, int min, int max,
               std::span<const NamedLevel> names) {
  std::string value = fields.string(key);
  int number = 0;
  const char* end = value.data() + value.size();
  auto [stop, failure] = std::from_chars(value.data(), end, number);
  if (failure == std::errc() && stop == end && number >= min && number <= max) return number;
  for (const NamedLevel& level : names) {
    if (iequals(level.name, value)) return level.value;
  }
  std::string words;
  for (const NamedLevel& level : names)
    words += (words.empty() ? "" : ", ") + std::string(level.name);
  fields.error(key, "expected " + std::to_string(min) + " to " + std::to_string(max) +
                        " or one of " + words + ", got " + quoted(value));
  return std::clamp(number, min, max);
}

std::vector<std::pair<std::string, std::string>> read_headers(config::Fields& fields,
                                                              std::string_view key) {
  auto headers = fields.string_map(key);
  for (const auto& [name, value] : headers) {
    if (!is_token(name)) {
      fields.error(key, "expected a header name of letters, digits and -, got " + quoted(name));
    } else if (value.find_first_of("\r\n") != std::string::npos) {
      fields.error(key, "header " + name + ": expected a value on one line");
    }
  }
  return headers;
}

}  // namespace lk::alert::detail
