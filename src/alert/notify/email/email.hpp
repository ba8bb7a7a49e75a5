#pragma once
// Email: one message per notification, submitted over SMTP (STARTTLS or implicit TLS) by
// deliver/mail_sender. build() writes the whole RFC 5322 message: a plain-text part and an
// HTML one, threaded per incident so that a mail client shows the problem and its recovery
// together.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alert/notify/channel.hpp"
#include "alert/notify/mail_request.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::email {

struct Settings {
  std::string smtp_url;  ///< smtp://host[:port] (port 587) or smtps://host[:port] (port 465)
  bool starttls = true;  ///< on smtp://: require STARTTLS before anything else is sent
  std::string username;  ///< empty: no AUTH
  std::string password;
  std::string from;              ///< "Lightkeeper <alerts@example.com>" or a bare address
  std::vector<std::string> to;   ///< each "Name <addr>" or a bare address
  std::string subject_template;  ///< empty: kDefaultSubject
  std::string template_text;     ///< plain-text body; empty: kDefaultTemplate
  bool html = true;              ///< add an HTML rendering of the same text
};

inline constexpr std::string_view kDefaultSubject = "{{title}}";
inline constexpr std::string_view kDefaultTemplate = "{{body}}";

/// The host part of every Message-ID, References and In-Reply-To.
inline constexpr std::string_view kIdDomain = "lightkeeper";

/// Where to submit mail, as read from `smtp:`.
struct SmtpUrl {
  bool implicit_tls = false;  ///< smtps://
  std::string host;           ///< without brackets for an IPv6 literal
  std::uint16_t port = 0;     ///< 587 or 465 when the URL has none
  std::string path;           ///< "/name" for libcurl's EHLO name, or empty
  /// "smtp://host:587" (IPv6 in brackets) plus the path: the URL with its port spelt out.
  std::string text() const;
};

/// Parses smtp://host[:port][/ehlo-name] or smtps://…; on failure, nullopt and `problem` says
/// why (without the URL's user part, which must not be there anyway).
std::optional<SmtpUrl> parse_smtp_url(std::string_view url, std::string& problem);

/// The message for `m`, dated m.at. Message-ID is <key@lightkeeper> (key: m.id, or the incident
/// key and event when there is none); References and In-Reply-To name the incident's thread,
/// <incident_key@lightkeeper>, the same for every message of the incident.
MailRequest build(const Message& m, const Settings& s);

/// The `type: email` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::email
