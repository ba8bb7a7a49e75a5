#include "probe/http/answer_parser.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "probe/http/header_line.hpp"

namespace lk::probe::http {

namespace {

constexpr std::uint64_t kMaxOffset = std::numeric_limits<std::int64_t>::max();
/// Headers of a typical answer (nginx: 5, a web app: 10-15).
constexpr std::size_t kTypicalHeaders = 12;
/// Body bytes reserved up front at most, whatever the Content-Length claims.
constexpr std::uint64_t kMaxReserve = 256 * 1024;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

enum class Number { ok, invalid, overflow };

/// A Content-Length value the way curl reads it (curlx_strtoofft): blanks, then an optional '+',
/// then decimal digits; a '-' or other white space first is invalid; text after the digits is
/// ignored; past 2^63-1 is an overflow (curl then reads until the connection closes).
Number parse_length(std::string_view v, std::uint64_t& out) {
  std::size_t i = 0;
  while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  if (i == v.size() || v[i] == '-' || is_space(v[i])) return Number::invalid;
  if (v[i] == '+') ++i;
  std::uint64_t value = 0;
  std::size_t digits = 0;
  bool overflow = false;
  for (; i < v.size() && is_digit(v[i]); ++i, ++digits) {
    if (value > (kMaxOffset - static_cast<std::uint64_t>(v[i] - '0')) / 10) overflow = true;
    if (!overflow) value = value * 10 + static_cast<std::uint64_t>(v[i] - '0');
  }
  if (digits == 0) return Number::invalid;
  if (overflow) return Number::overflow;
  out = value;
  return Number::ok;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
  return v;
}

}  // namespace

void AnswerParser::start(const Request& request, Observation& obs) {
  request_ = request;
  obs_ = &obs;
  state_ = State::status_line;
  status_ = 0;
  header_bytes_ = 0;
  chunked_ = false;
  length_known_ = false;
  remaining_ = 0;
  location_.clear();
  chunk_ = Chunk::hex;
  hex_len_ = 0;
  trailer_.clear();
  redirect_.clear();
  error_.clear();
}

void AnswerParser::fail(std::string message) {
  error_ = std::move(message);
  state_ = State::failed;
}

std::size_t AnswerParser::feed(std::string_view data) {
  std::size_t used = 0;
  while (used < data.size() && !finished()) {
    auto rest = data.substr(used);
    switch (state_) {
      case State::status_line:
      case State::headers: {
        auto newline = rest.find('\n');
        if (newline == std::string_view::npos) {
          check_partial_line(rest);
          return used;
        }
        auto line = rest.substr(0, newline + 1);
        used += line.size();
        header_bytes_ += line.size();
        if (header_bytes_ > kMaxHeaderBytes) {
          fail("Too large response headers: " + std::to_string(header_bytes_) + " > " +
               std::to_string(kMaxHeaderBytes));
        } else if (state_ == State::status_line) {
          on_status_line(line);
        } else {
          on_header_line(line);
        }
        break;
      }
      case State::body_length: {
        auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
        deliver(rest.substr(0, take));
        used += take;
        remaining_ -= take;
        if (!finished() && remaining_ == 0) state_ = State::done;
        break;
      }
      case State::body_until_close:
        deliver(rest);
        used += rest.size();
        break;
      case State::chunked:
        used += feed_chunked(rest);
        break;
      case State::done:
      case State::failed:
        return used;
    }
  }
  return used;
}

void AnswerParser::check_partial_line(std::string_view partial) {
  // curl decides "not HTTP" as soon as the first bytes differ from "HTTP/".
  constexpr std::string_view kPrefix = "http/";
  if (state_ == State::status_line) {
    auto n = std::min(partial.size(), kPrefix.size());
    if (!istarts_with(partial.substr(0, n), kPrefix.substr(0, n)))
      return fail("Received HTTP/0.9 when not allowed");
  }
  if (header_bytes_ + partial.size() > kMaxHeaderBytes)
    fail("Too large response headers: " + std::to_string(header_bytes_ + partial.size()) + " > " +
         std::to_string(kMaxHeaderBytes));
}

void AnswerParser::on_status_line(std::string_view line) {
  if (!istarts_with(line, "http/")) return fail("Received HTTP/0.9 when not allowed");
  // curl 7.88 reads the line with sscanf(" HTTP/%1d.%1d%c%3d%c"); the same steps by hand. Unlike
  // curl, "HTTP/" is matched in any case ("http/1.1 404" is a 404, not curl's 200) and a line
  // that does not parse is an error (curl reads "HTTP/x 404" as a 200).
  std::size_t p = 5;
  int fields = 0, major = 0, minor = 0, code = 0;
  char separator = 0, fourth = 0;
  auto digit_at = [&](std::size_t i) { return i < line.size() && is_digit(line[i]); };
  if (digit_at(p)) {
    major = line[p++] - '0';
    fields = 1;
    if (p < line.size() && line[p] == '.' && digit_at(p + 1)) {
      minor = line[p + 1] - '0';
      p += 2;
      fields = 2;
      if (p < line.size()) {
        separator = line[p++];
        fields = 3;
        while (p < line.size() && is_space(line[p])) ++p;
        bool negative = false;
        std::size_t width = 3;
        if (p < line.size() && (line[p] == '+' || line[p] == '-')) {
          negative = line[p++] == '-';
          --width;
        }
        int value = 0;
        std::size_t digits = 0;
        for (; digits < width && digit_at(p); ++digits) value = value * 10 + (line[p++] - '0');
        if (digits > 0) {
          code = negative ? -value : value;
          fields = 4;
          if (p < line.size()) {
            fourth = line[p];
            fields = 5;
          }
        }
      }
    }
  }
  if (fields == 1 && (major == 2 || major == 3) && p < line.size() && is_space(line[p])) {
    // "HTTP/2 200": curl accepts the short form.
    while (p < line.size() && is_space(line[p])) ++p;
    int value = 0;
    std::size_t digits = 0;
    for (; digit_at(p) && digits < 9; ++digits) value = value * 10 + (line[p++] - '0');
    if (digits == 0) return fail("Unsupported HTTP version in response");
    code = value;
    fields = 4;
    separator = ' ';
  } else if (is_digit(fourth) || (fields >= 4 && code < 100)) {
    return fail("Unsupported response code in HTTP response");
  }
  if (fields < 4 || separator != ' ') return fail("Unsupported HTTP version in response");
  const int version = major * 10 + minor;
  if (version != 10 && version != 11 && version != 20)
    return fail("Unsupported HTTP version (" + std::to_string(major) + "." + std::to_string(minor) +
                ") in response");

  status_ = code;
  obs_->headers.clear();                   // a new answer (after a 1xx)
  obs_->headers.reserve(kTypicalHeaders);  // one allocation instead of a doubling series
  chunked_ = false;
  length_known_ = false;
  remaining_ = 0;
  location_.clear();
  state_ = State::headers;
}

void AnswerParser::on_header_line(std::string_view line) {
  if (line.front() == '\r' || line.front() == '\n') return end_of_headers();
  auto& headers = obs_->headers;
  if (line.front() == ' ' || line.front() == '\t') {  // a folded line: kept as it is, like curl
    keep_header_line(line, headers);
    return;
  }
  if (line.find(':') == std::string_view::npos) return fail("Header without colon");
  // curl hands a header line over only once it has accepted it: check first, then keep.
  if (istarts_with(line, "content-length:") && status_ != 204 && status_ != 304) {
    // (204 and 304 have no body whatever the header says)
    std::uint64_t length = 0;
    switch (parse_length(line.substr(15), length)) {
      case Number::ok:
        length_known_ = true;
        remaining_ = length;
        break;
      case Number::overflow:
        length_known_ = false;  // read until the connection closes
        break;
      case Number::invalid:
        return fail("Invalid Content-Length: value");
    }
  } else if (istarts_with(line, "transfer-encoding:")) {
    auto codings = line.substr(18);
    while (!codings.empty()) {
      auto comma = codings.find(',');
      auto coding = trim(codings.substr(0, comma));
      codings = comma == std::string_view::npos ? std::string_view{} : codings.substr(comma + 1);
      if (coding.empty() || istarts_with(coding, "identity")) continue;
      if (coding.size() == 7 && istarts_with(coding, "chunked")) {
        chunked_ = true;
      } else {
        // curl would decode gzip/deflate here; no server sends that unasked. Say so plainly.
        return fail("Unsupported Transfer-Encoding: " + std::string(coding));
      }
    }
  } else if (istarts_with(line, "location:") && status_ >= 300 && status_ < 400 &&
             location_.empty()) {
    location_ = trim(line.substr(9));
  }
  keep_header_line(line, headers);
}

void AnswerParser::end_of_headers() {
  if (status_ >= 100 && status_ < 200) {  // interim answer: the real one follows
    state_ = State::status_line;
    return;
  }
  if (request_.stop_at_redirect && status_ >= 300 && status_ < 400 && !location_.empty()) {
    redirect_ = location_;
    state_ = State::done;
    return;
  }
  if (request_.head || status_ == 204 || status_ == 304) {
    state_ = State::done;
  } else if (chunked_) {
    state_ = State::chunked;
    chunk_ = Chunk::hex;
    hex_len_ = 0;
  } else if (length_known_) {
    if (remaining_ == 0) {
      state_ = State::done;
    } else {
      obs_->body.reserve(std::min({remaining_, request_.max_body, kMaxReserve}));
      state_ = State::body_length;
    }
  } else {
    state_ = State::body_until_close;
  }
}

void AnswerParser::deliver(std::string_view bytes) {
  auto& body = obs_->body;
  std::uint64_t room = request_.max_body > body.size() ? request_.max_body - body.size() : 0;
  if (bytes.size() > room) {
    body.append(bytes.data(), static_cast<std::size_t>(room));
    obs_->body_truncated = true;
    state_ = State::done;  // the rest is not downloaded
    return;
  }
  body.append(bytes);
}

void AnswerParser::end_of_stream() {
  switch (state_) {
    case State::status_line:
      return fail("Empty reply from server");
    case State::headers:
      // curl ends the headers at the close and judges what they announced.
      end_of_headers();
      if (!finished()) end_of_stream();
      return;
    case State::body_length:
      return fail("transfer closed with " + std::to_string(remaining_) +
                  " bytes remaining to read");
    case State::chunked:
      return fail("transfer closed with outstanding read data remaining");
    case State::body_until_close:
      state_ = State::done;
      return;
    case State::done:
    case State::failed:
      return;
  }
}

}  // namespace lk::probe::http
