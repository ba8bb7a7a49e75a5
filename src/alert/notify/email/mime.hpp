#pragma once
// The pieces of an Internet message (RFC 5322, MIME) that the email channel needs: header
// fields folded and RFC 2047-encoded, mailboxes, quoted-printable bodies, dates, message ids.
// Pure text functions; every line they produce ends in CRLF and stays under 998 bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace lk::alert::email {

/// A mailbox as written in `from:` and `to:`: "Name <a@b.example>" or a bare "a@b.example".
struct Mailbox {
  std::string name;     ///< display name; empty for a bare address
  std::string address;  ///< the bare address (the SMTP envelope's)
};

/// Splits "Name <addr>", "\"Name\" <addr>", "<addr>" or "addr"; nullopt when the text has an
/// unbalanced '<' or '>'. The address is not checked (see address_problem).
std::optional<Mailbox> parse_mailbox(std::string_view text);

/// Why `address` cannot go into an SMTP envelope or a header (empty when it can): exactly one
/// '@' with text on both sides, and no spaces, control characters, '<', '>', ',' or ';'.
std::string address_problem(std::string_view address);

/// `text` on one line: CR, LF and other control characters become spaces (so that no value can
/// start a header of its own), runs of spaces become one, and the ends are trimmed.
std::string one_line(std::string_view text);

/// An unstructured header field ("Subject: …") ending in CRLF. Plain ASCII is folded at spaces;
/// non-ASCII text (or text that would read as an encoded word, or a word too long to fold) is
/// written as RFC 2047 "=?UTF-8?B?…?=" words. The value is made one line first (one_line).
std::string unstructured_header(std::string_view name, std::string_view value);

/// An address-list header field ("To: a@b, Name <c@d>") ending in CRLF, folded between
/// mailboxes; display names are quoted or encoded as needed.
std::string mailbox_header(std::string_view name, const std::vector<Mailbox>& mailboxes);

/// Quoted-printable (RFC 2045 6.7) of `text`, whose lines may end in LF or CRLF: hard line
/// breaks become CRLF, encoded lines stay within 76 characters (soft breaks), bytes outside
/// printable ASCII, '=', trailing blanks and a '.' that starts a line are encoded.
std::string quoted_printable(std::string_view text);

/// RFC 5322 date-time in UTC: "Fri, 15 Jan 2027 08:05:00 +0000".
std::string rfc5322_date(TimePoint t);

/// `key` as the left part of a msg-id ("<left@lightkeeper>"): letters, digits, '-' and '_'
/// stay, every other byte becomes "=XX", so different keys give different ids. Very long keys
/// are shortened with a hash of the whole.
std::string message_id_part(std::string_view key);

/// 64-bit FNV-1a, for deterministic ids and boundaries.
std::uint64_t fnv1a(std::string_view text);

}  // namespace lk::alert::email
