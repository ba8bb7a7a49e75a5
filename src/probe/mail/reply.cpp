#include "probe/mail/reply.hpp"

#include <algorithm>
#include <cctype>

#include "probe/tls/connection.hpp"

namespace lk::probe::mail {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

/// Splits at the first space: {first word, rest}.
std::pair<std::string_view, std::string_view> first_word(std::string_view text) {
  auto space = text.find(' ');
  if (space == std::string_view::npos) return {text, {}};
  return {text.substr(0, space), text.substr(space + 1)};
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto [word, rest] = first_word(text);
    if (!word.empty()) out.emplace_back(word);
    text = rest;
  }
  return out;
}

bool is_atom_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' &&
         c != '"' && c != '\\' && c != ']';
}

}  // namespace

// --- SMTP -------------------------------------------------------------------------------------

std::optional<SmtpLine> parse_smtp_line(std::string_view line) {
  if (line.size() < 3) return std::nullopt;
  for (int i = 0; i < 3; ++i)
    if (line[i] < '0' || line[i] > '9') return std::nullopt;
  if (line[0] < '2' || line[0] > '5') return std::nullopt;
  SmtpLine out;
  out.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (line.size() == 3) return out;
  if (line[3] != ' ' && line[3] != '-') return std::nullopt;
  out.more = line[3] == '-';
  out.text = line.substr(4);
  return out;
}

SmtpReply::Feed SmtpReply::feed(std::string_view line) {
  auto parsed = parse_smtp_line(line);
  if (!parsed || (code_ != 0 && parsed->code != code_)) return Feed::bad;
  code_ = parsed->code;
  lines_.emplace_back(parsed->text);
  return parsed->more ? Feed::more : Feed::done;
}

std::string SmtpReply::summary() const {
  std::string out = std::to_string(code_);
  if (!lines_.empty() && !lines_.front().empty()) out += " " + lines_.front();
  return out;
}

// --- IMAP -------------------------------------------------------------------------------------

std::optional<ImapLine> parse_imap_line(std::string_view line) {
  ImapLine out;
  if (line.starts_with("+")) {
    if (line.size() > 1 && line[1] != ' ') return std::nullopt;
    out.kind = ImapLine::Kind::continuation;
    out.text = line.size() > 2 ? line.substr(2) : std::string_view{};
    return out;
  }
  auto [tag, rest] = first_word(line);
  if (tag.empty()) return std::nullopt;
  if (tag == "*") {
    out.kind = ImapLine::Kind::untagged;
  } else {
    if (!std::all_of(tag.begin(), tag.end(), [](char c) { return is_atom_char(c) && c != '+'; }))
      return std::nullopt;
    out.kind = ImapLine::Kind::tagged;
    out.tag = tag;
  }
  auto [status, text] = first_word(rest);
  if (status.empty()) return std::nullopt;
  // An untagged response may start with a number ("* 3 EXISTS"); the status is still a word.
  bool number =
      std::all_of(status.begin(), status.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!number && !std::all_of(status.begin(), status.end(), is_atom_char)) return std::nullopt;
  if (out.kind == ImapLine::Kind::tagged && number) return std::nullopt;
  out.status = upper(status);
  out.text = text;
  if (out.kind == ImapLine::Kind::tagged && out.status != "OK" && out.status != "NO" &&
      out.status != "BAD")
    return std::nullopt;
  return out;
}

std::vector<std::string> imap_capabilities(const ImapLine& line) {
  if (line.status == "CAPABILITY") return words(line.text);
  // "[CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready."
  std::string_view text = line.text;
  if (!text.starts_with("[")) return {};
  auto close = text.find(']');
  if (close == std::string_view::npos) return {};
  auto code = text.substr(1, close - 1);
  auto [name, rest] = first_word(code);
  if (!iequals(name, "CAPABILITY")) return {};
  return words(rest);
}

std::string imap_quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// --- POP3 -------------------------------------------------------------------------------------

std::optional<Pop3Status> parse_pop3_status(std::string_view line) {
  auto [word, rest] = first_word(line);
  Pop3Status out;
  if (iequals(word, "+OK"))
    out.ok = true;
  else if (!iequals(word, "-ERR"))
    return std::nullopt;
  out.text = rest;
  return out;
}

bool pop3_end_of_list(std::string& line) {
  if (line == ".") return true;
  if (line.starts_with("..")) line.erase(0, 1);
  return false;
}

// --- Shared -----------------------------------------------------------------------------------

bool has_capability(const std::vector<std::string>& capabilities, std::string_view name) {
  return std::any_of(capabilities.begin(), capabilities.end(),
                     [&](const std::string& c) { return iequals(first_word(c).first, name); });
}

std::vector<std::string> capability_arguments(const std::vector<std::string>& capabilities,
                                              std::string_view name) {
  for (const auto& c : capabilities) {
    auto [word, rest] = first_word(c);
    if (!iequals(word, name)) continue;
    auto out = words(rest);
    for (auto& w : out) w = upper(w);
    return out;
  }
  return {};
}

std::string join_capabilities(const std::vector<std::string>& capabilities) {
  std::string out;
  for (const auto& c : capabilities) out += (out.empty() ? "" : ", ") + c;
  return out;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                 static_cast<unsigned char>(bytes[i + 1]) << 8 |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    unsigned v =
        static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += '=';
  }
  return out;
}

std::string show(std::string_view line) {
  return tls::excerpt(line);
}

}  // namespace lk::probe::mail
