#include "alert/notify/email/mime.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "alert/notify/encoding.hpp"

namespace lk::alert::email {
namespace {

// RFC 5322 2.1.1: lines SHOULD stay within 78 characters (and MUST within 998).
constexpr std::size_t kFoldAt = 78;
// A word longer than this cannot be folded onto a line of its own; it is encoded instead.
constexpr std::size_t kLongestPlainWord = kFoldAt - 2;
// RFC 2047: an encoded word is at most 75 characters. 39 bytes of text make 52 of Base64,
// 64 with "=?UTF-8?B?" and "?=", so a folded line (" " and the word) stays within 78.
constexpr std::size_t kEncodedChunk = 39;
constexpr std::size_t kEncodedWordOverhead = 12;
// RFC 2045 6.7: encoded lines are at most 76 characters, the soft break's '=' included.
constexpr std::size_t kQpLine = 76;
// Longer ids are cut and end in a hash, so that "In-Reply-To: <id@lightkeeper>" stays within
// 78 characters (a msg-id cannot be folded).
constexpr std::size_t kMaxIdPart = 50;
constexpr std::size_t kIdHash = 18;  // "=_" and 16 hex digits

constexpr char kHex[] = "0123456789ABCDEF";

std::string hex_escape(unsigned char c) {
  return {'=', kHex[c >> 4], kHex[c & 0xF]};
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 atext: what a display name may contain without quotes.
bool is_atext(char c) {
  return is_alnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  while (!text.empty()) {
    auto space = text.find(' ');
    words.emplace_back(text.substr(0, space));
    text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
  }
  return words;
}

// RFC 2047 "B" words. Chunks end on UTF-8 boundaries, as RFC 2047 5 requires; the blanks
// between adjacent encoded words are not part of the text, so spaces travel inside them.
// `first_chunk` is smaller when the first word shares its line with a long field name.
std::vector<std::string> encoded_words(std::string_view text,
                                       std::size_t first_chunk = kEncodedChunk) {
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t chunk = words.empty() ? first_chunk : kEncodedChunk;
    std::size_t end = std::min(pos + chunk, text.size());
    std::size_t cut = end;
    while (cut > pos && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;
    if (cut > pos) end = cut;  // else: not UTF-8 at all; any cut will do
    words.push_back("=?UTF-8?B?" + base64(text.substr(pos, end - pos)) + "?=");
    pos = end;
  }
  return words;
}

// "Name:" and the pieces separated by single spaces, each space a place to fold.
std::string fold(std::string_view name, const std::vector<std::string>& pieces) {
  std::string out(name);
  out += ':';
  std::size_t line = out.size();
  bool line_has_piece = false;
  for (const auto& piece : pieces) {
    if (line_has_piece && line + 1 + piece.size() > kFoldAt) {
      out += "\r\n";
      line = 0;
    }
    out += ' ';
    out += piece;
    line += 1 + piece.size();
    line_has_piece = true;
  }
  out += "\r\n";
  return out;
}

// A display name: words as they are, a quoted string, or encoded words.
std::vector<std::string> phrase(std::string_view name) {
  std::string text = one_line(name);
  if (text.empty()) return {};
  if (!is_ascii(text) || text.find("=?") != std::string::npos) return encoded_words(text);
  if (std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || is_atext(c); })) {
    auto words = split_words(text);
    if (std::all_of(words.begin(), words.end(),
                    [](const std::string& w) { return w.size() <= kLongestPlainWord; }))
      return words;
    return encoded_words(text);
  }
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return {quoted};
}

}  // namespace

std::optional<Mailbox> parse_mailbox(std::string_view text) {
  text = trim(text);
  const auto open = text.find('<');
  const auto close = text.find('>');
  if (open == std::string_view::npos && close == std::string_view::npos)
    return Mailbox{{}, std::string(text)};
  if (open == std::string_view::npos || close != text.size() - 1 || close < open ||
      text.find('<', open + 1) != std::string_view::npos || text.find('>', open) != close) {
    return std::nullopt;
  }
  Mailbox box;
  box.address = std::string(trim(text.substr(open + 1, close - open - 1)));
  std::string_view name = trim(text.substr(0, open));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
    for (std::size_t i = 0; i < name.size(); ++i) {
      if (name[i] == '\\' && i + 1 < name.size()) ++i;
      box.name += name[i];
    }
  } else {
    box.name = std::string(name);
  }
  return box;
}

std::string address_problem(std::string_view address) {
  if (address.empty()) return "is empty";
  const auto at = address.find('@');
  if (at == std::string_view::npos) return "has no @";
  if (address.find('@', at + 1) != std::string_view::npos) return "has more than one @";
  if (at == 0) return "has nothing before the @";
  if (at + 1 == address.size()) return "has nothing after the @";
  for (char c : address) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return "must not contain spaces or control characters";
    if (std::string_view("<>,;\"()\\").find(c) != std::string_view::npos)
      return std::string("must not contain '") + c + "'";
  }
  return {};
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const char clean = (u < 0x20 || u == 0x7F) ? ' ' : c;
    if (clean == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += clean;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string unstructured_header(std::string_view name, std::string_view value) {
  const std::string text = one_line(value);
  auto words = split_words(text);
  const bool plain = is_ascii(text) && text.find("=?") == std::string::npos &&
                     std::all_of(words.begin(), words.end(), [](const std::string& w) {
                       return w.size() <= kLongestPlainWord;
                     });
  if (plain) return fold(name, words);
  // Room on the first line after "Name: " for one word, in whole Base64 quanta.
  const std::size_t used = name.size() + 2 + kEncodedWordOverhead;
  const std::size_t room = used < kFoldAt ? (kFoldAt - used) / 4 * 3 : 0;
  return fold(name, encoded_words(text, std::clamp<std::size_t>(room, 3, kEncodedChunk)));
}

std::string mailbox_header(std::string_view name, const std::vector<Mailbox>& mailboxes) {
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < mailboxes.size(); ++i) {
    const auto& box = mailboxes[i];
    auto words = phrase(box.name);
    pieces.insert(pieces.end(), words.begin(), words.end());
    pieces.push_back(words.empty() ? box.address : "<" + box.address + ">");
    if (i + 1 < mailboxes.size()) pieces.back() += ',';
  }
  return fold(name, pieces);
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  auto encode_line = [&out](std::string_view line) {
    std::size_t column = 0;
    // "From " at the start of a line is mangled by mbox tools; '.' alone ends SMTP DATA.
    const bool from_line = line.starts_with("From ");
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      std::string token;
      if ((c == ' ' || c == '\t') && !last)
        token = static_cast<char>(c);
      else if (c >= 33 && c <= 126 && c != '=' && !(i == 0 && from_line))
        token = static_cast<char>(c);
      else
        token = hex_escape(c);
      // The last token may fill the line; any other leaves room for the soft break's '='.
      if (column + token.size() > (last ? kQpLine : kQpLine - 1)) {
        out += "=\r\n";
        column = 0;
      }
      if (column == 0 && token == ".") token = hex_escape('.');
      out += token;
      column += token.size();
    }
    out += "\r\n";
  };
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    encode_line(line);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
  }
  return out;
}

std::string rfc5322_date(TimePoint t) {
  using namespace std::chrono;
  static constexpr std::string_view kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const weekday wd{day};
  const hh_mm_ss hms{secs - day};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kDays[wd.c_encoding()].data(), static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1].data(),
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buffer;
}

std::string message_id_part(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (is_alnum(c) || c == '-' || c == '_')
      out += c;
    else
      out += hex_escape(static_cast<unsigned char>(c));
  }
  if (out.size() > kMaxIdPart) {
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
    out.resize(kMaxIdPart - kIdHash);
    out += "=_";
    out += hash;
  }
  return out;
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace lk::alert::email
