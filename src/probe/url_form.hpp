#pragma once
// Splitting a kind's own URL form for `lightkeeper check` (`local://disk/?path=/`,
// `icmp://host?count=3`): scheme, authority, path and the query's key=value pairs, percent-
// decoded. Header-only so that a kind folder can use it without a build change.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lk::probe {

struct UrlForm {
  std::string scheme;     ///< lower-cased, without "://"
  std::string authority;  ///< between "//" and the path, decoded
  std::string path;       ///< from the first '/' after the authority, decoded ("" when none)
  std::vector<std::pair<std::string, std::string>> query;  ///< in order; '+' is not a space
};

namespace url_form_detail {

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decodes `text`; nullopt on a '%' not followed by two hex digits.
inline std::optional<std::string> decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
    int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

}  // namespace url_form_detail

/// Splits `scheme://authority/path?k=v&k2=v2`. On malformed input returns nullopt and sets
/// `error` to what was wrong.
inline std::optional<UrlForm> split_url_form(std::string_view url, std::string& error) {
  using url_form_detail::decode;
  UrlForm form;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    error = "expected scheme://..., got \"" + std::string(url) + "\"";
    return std::nullopt;
  }
  for (char c : url.substr(0, scheme_end))
    form.scheme += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
  std::string_view authority = rest, path;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash);
  }
  auto decoded_authority = decode(authority);
  auto decoded_path = decode(path);
  if (!decoded_authority || !decoded_path) {
    error = "bad percent-escape in \"" + std::string(url) + "\" (write %XX with two hex digits)";
    return std::nullopt;
  }
  form.authority = std::move(*decoded_authority);
  form.path = std::move(*decoded_path);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    auto key = decode(item.substr(0, eq));
    auto value = decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
    if (!key || !value || key->empty()) {
      error = "bad query item \"" + std::string(item) + "\" in \"" + std::string(url) +
              "\" (write key=value, %XX for special characters)";
      return std::nullopt;
    }
    form.query.emplace_back(std::move(*key), std::move(*value));
  }
  return form;
}

}  // namespace lk::probe
