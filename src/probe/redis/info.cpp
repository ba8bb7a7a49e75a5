#include "probe/redis/info.hpp"

#include <algorithm>
#include <charconv>

#include "core/text.hpp"

namespace lk::probe::redis {

namespace {

std::optional<std::int64_t> number(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// "ip=10.0.0.2,port=6380,state=online,offset=123,lag=0"
ReplicationInfo::Replica parse_replica(std::string_view text) {
  ReplicationInfo::Replica r;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto pair = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    auto key = pair.substr(0, eq), value = pair.substr(eq + 1);
    if (key == "ip")
      r.ip = std::string(value);
    else if (key == "port")
      r.port = number(value);
    else if (key == "state")
      r.state = std::string(value);
    else if (key == "offset")
      r.offset = number(value);
    else if (key == "lag")
      r.lag = number(value);
  }
  return r;
}

void add_string(std::string& out, std::string_view key, std::string_view value) {
  out += out.size() > 1 ? "," : "";
  append_quoted(out, key);
  out += ':';
  append_quoted(out, value);
}

void add_number(std::string& out, std::string_view key, std::optional<std::int64_t> value) {
  if (!value) return;
  out += out.size() > 1 ? "," : "";
  append_quoted(out, key);
  out += ':';
  out += std::to_string(*value);
}

/// INFO is ASCII; anything else (a hostile server) is dropped so that the body stays UTF-8.
std::string ascii(std::string_view text) {
  std::string out;
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) out += c;
  return out;
}

}  // namespace

ReplicationInfo parse_info(std::string_view text) {
  ReplicationInfo info;
  while (!text.empty()) {
    auto newline = text.find('\n');
    auto line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto key = line.substr(0, colon), value = line.substr(colon + 1);
    if (key == "role")
      info.role = ascii(value);
    else if (key == "connected_slaves")
      info.connected_slaves = number(value);
    else if (key == "master_host")
      info.master_host = ascii(value);
    else if (key == "master_port")
      info.master_port = number(value);
    else if (key == "master_link_status")
      info.master_link_status = ascii(value);
    else if (key == "master_last_io_seconds_ago")
      info.master_last_io_seconds_ago = number(value);
    else if (key == "master_link_down_since_seconds")
      info.master_link_down_since_seconds = number(value);
    else if (key == "master_sync_in_progress")
      info.master_sync_in_progress = value == "1";
    else if (key == "master_repl_offset")
      info.master_repl_offset = number(value);
    else if (key.starts_with("slave") && key.size() > 5 &&
             std::all_of(key.begin() + 5, key.end(), [](char c) { return c >= '0' && c <= '9'; }))
      info.replicas.push_back(parse_replica(value));
  }
  for (auto& r : info.replicas) {
    r.ip = ascii(r.ip);
    r.state = ascii(r.state);
  }
  return info;
}

std::optional<std::int64_t> ReplicationInfo::lag_seconds() const {
  if (is_replica()) {
    // -1 (or absent) means the link has never been up: the lag is unknown, not zero.
    if (master_link_status == "up") {
      if (master_last_io_seconds_ago && *master_last_io_seconds_ago >= 0)
        return master_last_io_seconds_ago;
      return std::nullopt;
    }
    if (master_link_down_since_seconds && *master_link_down_since_seconds >= 0)
      return master_link_down_since_seconds;
    return std::nullopt;
  }
  std::optional<std::int64_t> worst;
  for (const auto& r : replicas)
    if (r.lag && (!worst || *r.lag > *worst)) worst = r.lag;
  return worst;
}

std::optional<std::int64_t> ReplicationInfo::lag_bytes() const {
  if (is_replica() || !master_repl_offset) return std::nullopt;
  std::optional<std::int64_t> worst;
  for (const auto& r : replicas) {
    if (!r.offset) continue;
    auto behind = std::max<std::int64_t>(0, *master_repl_offset - *r.offset);
    if (!worst || behind > *worst) worst = behind;
  }
  return worst;
}

std::string ReplicationInfo::to_json(std::string_view ping) const {
  std::string out = "{";
  add_string(out, "ping", ascii(ping));
  add_string(out, "role", role);
  add_number(out, "connected_slaves", connected_slaves);
  if (is_replica()) {
    add_string(out, "master_host", master_host);
    add_number(out, "master_port", master_port);
    add_string(out, "master_link_status", master_link_status);
    if (master_sync_in_progress) {
      out += ",\"master_sync_in_progress\":";
      out += *master_sync_in_progress ? "true" : "false";
    }
  }
  add_number(out, "lag_s", lag_seconds());
  add_number(out, "lag_bytes", lag_bytes());
  if (!replicas.empty()) {
    out += ",\"replicas\":[";
    for (std::size_t i = 0; i < replicas.size(); ++i) {
      const auto& r = replicas[i];
      std::string item = "{";
      add_string(item, "ip", r.ip);
      add_number(item, "port", r.port);
      add_string(item, "state", r.state);
      add_number(item, "offset", r.offset);
      add_number(item, "lag_s", r.lag);
      item += '}';
      out += (i ? "," : "") + item;
    }
    out += ']';
  }
  out += '}';
  return out;
}

}  // namespace lk::probe::redis
