#pragma once
// A tiny text template: "{{name}}" placeholders filled from a Message. Every channel has one
// default template and the user's `template:` text replaces it.

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alert/notify/message.hpp"

namespace lk::alert {

/// How a placeholder's value is escaped before it is put in the output.
using Escape = std::function<std::string(std::string_view)>;
/// Extra placeholders a channel adds (the SMS gateway's {{recipient}} and {{text}}).
using Variables = std::vector<std::pair<std::string, std::string>>;

/// Placeholder names a template may use: title, body, check, event, from, to, severity, since,
/// time, duration, error, location, incident, incident_key, status_url, ack_url, acked_by, note.
const std::vector<std::string_view>& template_placeholders();

/// Renders `tpl` for `m`. For message text (`drop_empty_lines`), a line whose placeholders all
/// render empty is dropped, so "Ack: {{ack_url}}" disappears when there is no ack link; request
/// templates (a JSON body, a URL) keep every line. Unknown placeholders are left as
/// written so that a typo shows in the message; template_errors() reports them at config time.
std::string render_template(std::string_view tpl, const Message& m, const Escape& escape = {},
                            const Variables& extra = {}, bool drop_empty_lines = true);

/// The unknown or unterminated placeholders of `tpl`, one message each (empty when valid).
std::vector<std::string> template_errors(std::string_view tpl, const Variables& extra = {});

}  // namespace lk::alert
