#include "alert/notify/request_util.hpp"

#include "core/text.hpp"

namespace lk::alert::detail {

HttpRequest json_request(std::string method, std::string url, const nlohmann::ordered_json& body,
                         const Message& m, std::string_view content_type) {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers.emplace_back("Content-Type", std::string(content_type));
  // Invalid UTF-8 in a probe's error text must not make the whole alert unsendable.
  request.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  request.idempotency_key = m.id;
  return request;
}

std::string truncate_utf8(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  constexpr std::string_view kEllipsis = "\u2026";
  std::size_t cut = max_bytes >= kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  // Step back over continuation bytes (10xxxxxx) so a code point is not split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  if (max_bytes >= kEllipsis.size()) text += kEllipsis;
  return text;
}

std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base) + std::string(path);
}

std::string url_credential(std::string_view url) {
  auto scheme = url.find("://");
  auto path = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  return path == std::string_view::npos ? std::string(url) : std::string(url.substr(path));
}

namespace {

std::string escape(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  append_html_escaped(out, text, quotes);
  return out;
}

}  // namespace

std::string escape_html(std::string_view text) {
  return escape(text, false);
}

std::string escape_html_attribute(std::string_view text) {
  return escape(text, true);
}

}  // namespace lk::alert::detail
