#pragma once
// The replies of SMTP, IMAP and POP3 servers, line by line: pure parsers, no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lk::probe::mail {

// --- SMTP (RFC 5321 section 4.2) --------------------------------------------------------------

/// One line of an SMTP reply: "250-SIZE 1000" is {250, more = true, "SIZE 1000"}.
struct SmtpLine {
  int code = 0;
  bool more = false;  ///< '-' after the code: more lines follow
  std::string_view text;
};

/// Nullopt unless the line starts with three digits (2xx-5xx) followed by ' ', '-' or nothing.
std::optional<SmtpLine> parse_smtp_line(std::string_view line);

/// A whole (possibly multi-line) SMTP reply, fed one line at a time.
class SmtpReply {
 public:
  enum class Feed { more, done, bad };

  /// Adds one line. `bad` when it is not an SMTP reply line or its code differs from the first.
  Feed feed(std::string_view line);

  int code() const { return code_; }
  /// The text of each line, without code and separator.
  const std::vector<std::string>& lines() const { return lines_; }
  /// "250 mail.example Hello" — the code and the first line, for messages.
  std::string summary() const;

 private:
  int code_ = 0;
  std::vector<std::string> lines_;
};

// --- IMAP (RFC 9051 section 7) ----------------------------------------------------------------

struct ImapLine {
  enum class Kind { untagged, tagged, continuation };
  Kind kind = Kind::untagged;
  std::string_view tag;   ///< tagged responses: "a1"
  std::string status;     ///< upper-cased first word: OK, NO, BAD, BYE, PREAUTH, CAPABILITY ...
  std::string_view text;  ///< what follows the status word
};

/// Nullopt when the line is none of "* WORD ...", "TAG WORD ...", "+ ...".
std::optional<ImapLine> parse_imap_line(std::string_view line);

/// The capabilities of "* CAPABILITY a b c" (text "a b c") or of a "[CAPABILITY a b c] ..."
/// response code at the start of a status text; empty when there are none.
std::vector<std::string> imap_capabilities(const ImapLine& line);

/// An IMAP quoted string: "a\"b" (quotes and backslashes escaped).
std::string imap_quote(std::string_view text);

// --- POP3 (RFC 1939, RFC 2449) ----------------------------------------------------------------

struct Pop3Status {
  bool ok = false;
  std::string_view text;  ///< after "+OK " / "-ERR "
};

/// Nullopt unless the line starts with "+OK" or "-ERR" (case-insensitive) and a space or nothing.
std::optional<Pop3Status> parse_pop3_status(std::string_view line);

/// A line of a multi-line POP3 answer: true at the terminating ".", else `line` is unstuffed
/// ("..x" becomes ".x").
bool pop3_end_of_list(std::string& line);

// --- Shared -----------------------------------------------------------------------------------

/// True when a capability entry's first word is `name` (case-insensitive): "AUTH PLAIN LOGIN"
/// has AUTH; IMAP's "AUTH=PLAIN" is its own entry.
bool has_capability(const std::vector<std::string>& capabilities, std::string_view name);

/// The words after `name` in its entry ("AUTH PLAIN LOGIN" -> PLAIN, LOGIN), upper-cased.
std::vector<std::string> capability_arguments(const std::vector<std::string>& capabilities,
                                              std::string_view name);

/// Entries joined by ", " (the `capabilities` header of a mail observation).
std::string join_capabilities(const std::vector<std::string>& capabilities);

std::string base64(std::string_view bytes);

/// A line quoted for a message, cut after 60 bytes: "\"garbage...\"".
std::string show(std::string_view line);

}  // namespace lk::probe::mail
