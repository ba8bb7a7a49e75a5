#pragma once
// RESP (the Redis protocol, version 2): encoding commands and parsing replies from bytes that
// may be incomplete, hostile or not RESP at all. Pure: no I/O.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace lk::probe::redis {

struct Reply {
  enum class Type : unsigned char { simple, error, integer, bulk, null, array };
  Type type = Type::null;
  std::string text;  ///< simple string, error or bulk string
  std::int64_t integer = 0;
  std::vector<Reply> items;  ///< array elements
};

/// Bounds on what a reply may claim, so that a hostile server cannot make the probe allocate
/// or wait for gigabytes.
struct Limits {
  std::size_t max_line = 64 * 1024;    ///< bytes of a simple string, error or header line
  std::size_t max_bulk = 1024 * 1024;  ///< bytes of one bulk string
  std::size_t max_items = 4096;        ///< elements of one array
  int max_depth = 4;                   ///< nesting of arrays
};

struct Parsed {
  enum class State : unsigned char { complete, incomplete, malformed };
  State state = State::incomplete;
  Reply reply;               ///< when complete
  std::size_t consumed = 0;  ///< bytes of the buffer the reply took, when complete
  std::string error;         ///< when malformed: what is wrong, quoting the offending bytes
};

/// Parses one reply from the start of `buffer`. `incomplete` means more bytes may complete it;
/// `malformed` is final (a wrong type byte, a bad length, a line or bulk over the limits), so
/// garbage is recognised as soon as it arrives rather than at the deadline.
Parsed parse_reply(std::string_view buffer, const Limits& limits = {});

/// A command as a RESP array of bulk strings: {"AUTH", "user", "secret"}.
std::string encode_command(std::initializer_list<std::string_view> args);

/// Up to `max` bytes of `bytes` as a quoted, escaped string for messages ("..." when cut).
std::string quote_bytes(std::string_view bytes, std::size_t max = 40);
/// The same without the quotes, for a server's own error text.
std::string escape_bytes(std::string_view bytes, std::size_t max = 300);

}  // namespace lk::probe::redis
