// The chunked transfer coding of AnswerParser.

#include <algorithm>
#include <cctype>
#include <limits>

#include "probe/http/answer_parser.hpp"  // this file implements part of it
#include "probe/http/header_line.hpp"

namespace lk::probe::http {

namespace {

constexpr std::uint64_t kMaxOffset = std::numeric_limits<std::int64_t>::max();

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

// curl's chunked decoder (lib/http_chunks.c) step by step, so that both engines accept and reject
// the same framing: CR is optional before LF, chunk extensions are skipped, trailers are headers.
std::size_t AnswerParser::feed_chunked(std::string_view data) {
  std::size_t i = 0;
  while (i < data.size() && state_ == State::chunked) {
    const char c = data[i];
    switch (chunk_) {
      case Chunk::hex:
        if (std::isxdigit(static_cast<unsigned char>(c))) {
          if (hex_len_ >= 16) {
            fail("Too long hexadecimal number in chunked-encoding");
            return i;
          }
          hex_[hex_len_++] = c;
          ++i;
        } else {
          if (hex_len_ == 0) {
            fail("Illegal or missing hexadecimal sequence in chunked-encoding");
            return i;
          }
          std::uint64_t size = 0;
          for (std::size_t k = 0; k < hex_len_; ++k) {
            auto d = static_cast<unsigned char>(hex_[k]);
            size = size * 16 +
                   static_cast<std::uint64_t>(is_digit(hex_[k]) ? d - '0' : (d | 0x20) - 'a' + 10);
          }
          if (size > kMaxOffset) {
            fail("Illegal or missing hexadecimal sequence in chunked-encoding");
            return i;
          }
          remaining_ = size;
          chunk_ = Chunk::lf;  // this byte is looked at again there
        }
        break;
      case Chunk::lf:
        if (c == '\n') chunk_ = remaining_ ? Chunk::data : Chunk::trailer;
        ++i;
        break;
      case Chunk::data: {
        auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - i));
        deliver(data.substr(i, take));
        i += take;
        remaining_ -= take;
        if (remaining_ == 0) chunk_ = Chunk::post_lf;
        break;
      }
      case Chunk::post_lf:
        if (c == '\n') {
          chunk_ = Chunk::hex;
          hex_len_ = 0;
        } else if (c != '\r') {
          fail("Malformed encoding found in chunked-encoding");
          return i;
        }
        ++i;
        break;
      case Chunk::trailer:
        if (c == '\r' || c == '\n') {
          if (trailer_.empty()) {
            chunk_ = Chunk::trailer_post_cr;  // no trailer: the final CRLF
            break;
          }
          if (!end_trailer_line()) return i;
          chunk_ = Chunk::trailer_cr;
          if (c == '\n') break;  // already on the LF
        } else {
          trailer_ += c;
          if (header_bytes_ + trailer_.size() > kMaxHeaderBytes) {
            fail("Too large response headers: " + std::to_string(header_bytes_ + trailer_.size()) +
                 " > " + std::to_string(kMaxHeaderBytes));
            return i;
          }
        }
        ++i;
        break;
      case Chunk::trailer_cr:
        if (c != '\n') {
          fail("Malformed encoding found in chunked-encoding");
          return i;
        }
        chunk_ = Chunk::trailer_post_cr;
        ++i;
        break;
      case Chunk::trailer_post_cr:
        if (c != '\r' && c != '\n') {
          chunk_ = Chunk::trailer;  // another trailer line
          break;
        }
        if (c == '\r') ++i;
        chunk_ = Chunk::stop;
        break;
      case Chunk::stop:
        if (c != '\n') {
          fail("Malformed encoding found in chunked-encoding");
          return i;
        }
        ++i;
        state_ = State::done;
        break;
    }
  }
  return i;
}

bool AnswerParser::end_trailer_line() {
  header_bytes_ += trailer_.size() + 2;
  if (trailer_.find(':') == std::string::npos) {
    fail("Failed reading the chunked-encoded stream");
    return false;
  }
  trailer_ += "\r\n";
  keep_header_line(trailer_, obs_->headers);
  trailer_.clear();
  return true;
}

}  // namespace lk::probe::http
