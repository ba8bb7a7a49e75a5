#pragma once
// Helpers the channels share when building requests (internal to notify/).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "alert/notify/message.hpp"

namespace lk::alert::detail {

/// A request with a JSON body and "Content-Type: <content_type>"; the idempotency key is the
/// message id.
HttpRequest json_request(std::string method, std::string url, const nlohmann::ordered_json& body,
                         const Message& m, std::string_view content_type = "application/json");

/// `text` cut to at most `max_bytes` bytes on a UTF-8 boundary, ending in "…" when cut.
std::string truncate_utf8(std::string text, std::size_t max_bytes);

/// `base` without trailing slashes, then `path` (which starts with '/').
std::string join_url(std::string_view base, std::string_view path);

/// The part of a webhook URL after the host (path and query): for incoming webhooks that part
/// is the credential, while the host is useful in a log.
std::string url_credential(std::string_view url);

/// Escapes &, < and > as HTML entities (Slack mrkdwn and Telegram HTML need the same three).
std::string escape_html(std::string_view text);
/// Also escapes " and ', for text inside an attribute value.
std::string escape_html_attribute(std::string_view text);

}  // namespace lk::alert::detail
