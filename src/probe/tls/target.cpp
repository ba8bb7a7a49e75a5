#include "probe/tls/target.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>

#include "probe/tcp/tcp_probe.hpp"
#include "probe/url_form.hpp"

namespace lk::probe::tls {

std::string HostPort::to_string() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool is_ip_address(std::string_view host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(host), ec);
  return !ec;
}

std::optional<HostPort> parse_target(std::string_view text, std::uint16_t default_port) {
  if (text.empty() || text.find_first_of(" \t\r\n/?#@,;\"'\\") != std::string_view::npos)
    return std::nullopt;
  if (auto hp = tcp::split_host_port(text)) return HostPort{hp->first, hp->second};
  if (text.front() == '[') {
    if (text.back() != ']' || text.size() < 3) return std::nullopt;
    auto inner = text.substr(1, text.size() - 2);
    if (!is_ip_address(inner)) return std::nullopt;
    return HostPort{std::string(inner), default_port};
  }
  auto colons = std::count(text.begin(), text.end(), ':');
  if (colons == 0) return HostPort{std::string(text), default_port};
  // Several colons and no brackets: only a bare IPv6 address makes sense.
  if (colons > 1 && is_ip_address(text)) return HostPort{std::string(text), default_port};
  return std::nullopt;
}

HostPort read_target(config::Fields& fields, std::uint16_t default_port) {
  auto text = fields.string("target");
  if (!fields.has("target")) return {};
  if (auto hp = parse_target(text, default_port)) return *hp;
  fields.error("target",
               "expected host or host:port (e.g. mail.example:" + std::to_string(default_port) +
                   " or [::1]:" + std::to_string(default_port) + "), got \"" + text + "\"");
  return {};
}

UrlFields url_fields(std::string_view url, std::uint16_t default_port,
                     std::span<const config::Option> allowed) {
  UrlFields out;
  auto form = split_url_form(url, out.error);
  if (!form) return out;
  auto target = parse_target(form->authority, default_port);
  if (!target || (!form->path.empty() && form->path != "/")) {
    out.error = "expected " + form->scheme + "://host[:port][?option=value&...], got \"" +
                std::string(url) + "\"";
    return out;
  }
  out.scalars.emplace_back("target", target->to_string());
  for (auto& [key, value] : form->query) {
    bool known = false;
    std::string names;
    for (const auto& option : allowed) {
      if (option.key == "target") continue;
      names += (names.empty() ? "" : ", ") + std::string(option.key);
      if (option.key == key) known = true;
    }
    if (!known) {
      out.error = "unknown URL parameter \"" + key + "\"; known: " + names;
      return out;
    }
    // A bare "?starttls" reads as "?starttls=true".
    out.scalars.emplace_back(key, value.empty() ? "true" : value);
  }
  return out;
}

}  // namespace lk::probe::tls
