#include "probe/redis/resp.hpp"

#include <charconv>
#include <optional>

namespace lk::probe::redis {

namespace {

using State = Parsed::State;

Parsed malformed(std::string error) {
  Parsed p;
  p.state = State::malformed;
  p.error = std::move(error);
  return p;
}

/// A header or simple line: the text up to CRLF, or why there is none yet.
struct Line {
  State state = State::incomplete;
  std::string_view text;
  std::size_t next = 0;  ///< offset after the CRLF
  std::string error;
};

Line read_line(std::string_view buffer, std::size_t from, const Limits& limits) {
  Line line;
  auto cr = buffer.find("\r\n", from);
  if (cr == std::string_view::npos) {
    if (buffer.size() - from > limits.max_line) {
      line.state = State::malformed;
      line.error = "a line longer than " + std::to_string(limits.max_line) + " bytes";
    }
    return line;
  }
  if (cr - from > limits.max_line) {
    line.state = State::malformed;
    line.error = "a line longer than " + std::to_string(limits.max_line) + " bytes";
    return line;
  }
  line.state = State::complete;
  line.text = buffer.substr(from, cr - from);
  line.next = cr + 2;
  return line;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Parsed parse_at(std::string_view buffer, std::size_t from, const Limits& limits, int depth) {
  if (from >= buffer.size()) return {};
  const char type = buffer[from];
  if (type != '+' && type != '-' && type != ':' && type != '$' && type != '*')
    return malformed("something that is not RESP: " + quote_bytes(buffer.substr(from)));
  Line line = read_line(buffer, from + 1, limits);
  if (line.state == State::malformed) return malformed(std::move(line.error));
  if (line.state == State::incomplete) return {};

  Parsed out;
  out.state = State::complete;
  out.consumed = line.next;
  Reply& r = out.reply;
  switch (type) {
    case '+':
      r.type = Reply::Type::simple;
      r.text = std::string(line.text);
      return out;
    case '-':
      r.type = Reply::Type::error;
      r.text = std::string(line.text);
      return out;
    case ':': {
      auto value = parse_integer(line.text);
      if (!value)
        return malformed("a RESP integer that is not a number: " + quote_bytes(line.text));
      r.type = Reply::Type::integer;
      r.integer = *value;
      return out;
    }
    case '$': {
      auto length = parse_integer(line.text);
      if (!length || *length < -1)
        return malformed("a RESP bulk length that is not a length: " + quote_bytes(line.text));
      if (*length == -1) {
        r.type = Reply::Type::null;
        return out;
      }
      if (static_cast<std::uint64_t>(*length) > limits.max_bulk)
        return malformed("a RESP bulk string of " + std::to_string(*length) +
                         " bytes (more than the " + std::to_string(limits.max_bulk) +
                         " bytes read at most)");
      const auto size = static_cast<std::size_t>(*length);
      if (buffer.size() - line.next < size + 2) return {};
      if (buffer.substr(line.next + size, 2) != "\r\n")
        return malformed("a RESP bulk string not followed by CRLF: " +
                         quote_bytes(buffer.substr(line.next + size)));
      r.type = Reply::Type::bulk;
      r.text = std::string(buffer.substr(line.next, size));
      out.consumed = line.next + size + 2;
      return out;
    }
    default: {  // '*'
      auto count = parse_integer(line.text);
      if (!count || *count < -1)
        return malformed("a RESP array length that is not a length: " + quote_bytes(line.text));
      if (*count == -1) {
        r.type = Reply::Type::null;
        return out;
      }
      if (static_cast<std::uint64_t>(*count) > limits.max_items)
        return malformed("a RESP array of " + std::to_string(*count) + " elements (more than " +
                         std::to_string(limits.max_items) + ")");
      if (depth >= limits.max_depth)
        return malformed("RESP arrays nested deeper than " + std::to_string(limits.max_depth));
      r.type = Reply::Type::array;
      std::size_t at = line.next;
      for (std::int64_t i = 0; i < *count; ++i) {
        Parsed item = parse_at(buffer, at, limits, depth + 1);
        if (item.state != State::complete) return item;
        at = item.consumed;
        r.items.push_back(std::move(item.reply));
      }
      out.consumed = at;
      return out;
    }
  }
}

}  // namespace

Parsed parse_reply(std::string_view buffer, const Limits& limits) {
  return parse_at(buffer, 0, limits, 0);
}

std::string encode_command(std::initializer_list<std::string_view> args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (auto arg : args) {
    out += "$" + std::to_string(arg.size()) + "\r\n";
    out += arg;
    out += "\r\n";
  }
  return out;
}

std::string quote_bytes(std::string_view bytes, std::size_t max) {
  return "\"" + escape_bytes(bytes.substr(0, max), max) + "\"" + (bytes.size() > max ? "..." : "");
}

std::string escape_bytes(std::string_view bytes, std::size_t max) {
  // Only printable ASCII is shown as it is: a message must stay valid UTF-8 (it ends up in
  // JSON), whatever bytes a hostile server sends.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes.substr(0, max)) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  if (bytes.size() > max) out += "...";
  return out;
}

}  // namespace lk::probe::redis
