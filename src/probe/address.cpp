#include "probe/address.hpp"

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <memory>

#include "core/text.hpp"
#include "probe/url_form.hpp"

namespace lk::probe {

namespace asio = boost::asio;

namespace {

std::string quoted(std::string_view text) {
  std::string out;
  append_quoted(out, text);
  return out;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0 ||
      value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string Address::text() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::optional<Address> split_address(std::string_view text, std::uint16_t default_port) {
  Address a;
  a.port = default_port;
  std::string_view port;
  bool has_port = false;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    a.host = std::string(text.substr(1, close - 1));
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
      has_port = true;
    }
  } else {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) {
      a.host = std::string(text);
    } else if (text.find(':', colon + 1) != std::string_view::npos) {
      // A bare IPv6 address, else a mistake ("db:5432:1").
      boost::system::error_code ec;
      asio::ip::make_address_v6(std::string(text), ec);
      if (ec) return std::nullopt;
      a.host = std::string(text);
    } else {
      a.host = std::string(text.substr(0, colon));
      port = text.substr(colon + 1);
      has_port = true;
    }
  }
  if (a.host.empty() || a.host.find_first_of(" \t/@?#[]") != std::string::npos) return std::nullopt;
  if (has_port) {
    auto p = parse_port(port);
    if (!p) return std::nullopt;
    a.port = *p;
  }
  return a;
}

Address read_address(config::Fields& fields) {
  const bool has_target = fields.has("target");
  const bool has_host = fields.has("host");
  const auto port = static_cast<std::uint16_t>(fields.integer("port", 1, 65535));
  Address a;
  a.port = port;
  if (has_target && (has_host || fields.has("port"))) {
    fields.error("target", "set either target (host:port) or host and port, not both");
    return a;
  }
  if (has_target) {
    auto text = fields.string("target");
    if (auto parsed = split_address(text, port)) return *parsed;
    fields.error("target", "expected host or host:port (e.g. db.example:5432 or [::1]:5432), got " +
                               quoted(text));
    return a;
  }
  if (has_host) {
    auto text = fields.string("host");
    std::string host = text;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
    const bool one_colon = host.find(':') != std::string::npos && host.find(':') == host.rfind(':');
    if (host.empty() || one_colon || host.find_first_of(" \t/@?#[]") != std::string::npos) {
      // A port belongs in `port:` (or the whole address in `target:`).
      fields.error("host", "expected a host name or address without a port, got " + quoted(text));
      return a;
    }
    a.host = std::move(host);
    return a;
  }
  fields.error("target", "missing: set target (host:port) or host");
  return a;
}

std::optional<std::string> percent_decode(std::string_view text) {
  return url_form_detail::decode(text);
}

std::variant<ServerUrl, std::string> parse_server_url(std::string_view url) {
  ServerUrl out;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0)
    return "expected scheme://host, got " + quoted(url);
  out.scheme = std::string(url.substr(0, scheme_end));
  std::transform(out.scheme.begin(), out.scheme.end(), out.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto rest = url.substr(scheme_end + 3);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view path;
  bool has_path = false;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    has_path = true;
  }
  std::string_view authority = rest;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    auto userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    std::string_view user = userinfo, password;
    bool has_password = false;
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      password = userinfo.substr(colon + 1);
      has_password = true;
    }
    auto decoded_user = percent_decode(user);
    auto decoded_password = percent_decode(password);
    if (!decoded_user || !decoded_password)
      return "malformed %-escape in the user name or password of " + quoted(url.substr(0, 12)) +
             "...";
    if (!decoded_user->empty()) out.username = std::move(*decoded_user);
    if (has_password) out.password = std::move(*decoded_password);
  }
  if (authority.empty()) return "no host in " + quoted(url);
  auto address = split_address(authority, 1);
  if (!address)
    return "expected host or host:port after " + out.scheme + "://, got " + quoted(authority);
  out.host = address->host;
  const bool has_port = authority.starts_with('[')
                            ? authority.find("]:") != std::string_view::npos
                            : authority.find(':') != std::string_view::npos &&
                                  authority.find(':') == authority.rfind(':');
  if (has_port) out.port = address->port;
  if (has_path) {
    auto decoded = percent_decode(path);
    if (!decoded) return "malformed %-escape in the path " + quoted(path);
    out.path = std::move(*decoded);
  }
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq));
    auto value =
        percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!key || !value) return "malformed %-escape in the parameter " + quoted(pair);
    out.params.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

UrlFields url_fields(std::string_view url, std::span<const std::string_view> schemes,
                     std::string_view path_field, std::span<const std::string_view> params,
                     std::span<const std::pair<std::string_view, std::string_view>> aliases) {
  UrlFields fields;
  auto parsed = parse_server_url(url);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    fields.error = *error;
    return fields;
  }
  auto& u = std::get<ServerUrl>(parsed);
  if (std::find(schemes.begin(), schemes.end(), u.scheme) == schemes.end()) {
    fields.error = "not a " + std::string(schemes.front()) + ":// URL: " + quoted(url);
    return fields;
  }
  fields.scalars.emplace_back("host", u.host);
  if (u.port) fields.scalars.emplace_back("port", std::to_string(*u.port));
  if (u.username) fields.scalars.emplace_back("username", *u.username);
  if (u.password) fields.scalars.emplace_back("password", *u.password);
  if (!u.path.empty()) {
    if (path_field.empty()) {
      fields.error = std::string(schemes.front()) + "://host:port takes no path, got /" + u.path;
      return fields;
    }
    fields.scalars.emplace_back(std::string(path_field), u.path);
  }
  for (auto& [key, value] : u.params) {
    std::string name = key;
    for (const auto& [alias, option] : aliases)
      if (alias == key) name = std::string(option);
    if (std::find(params.begin(), params.end(), name) == params.end()) {
      std::string known;
      for (auto p : params) known += (known.empty() ? "" : ", ") + std::string(p);
      fields.error = "unknown URL parameter " + quoted(key) + " (known: " + known + ")";
      return fields;
    }
    fields.scalars.emplace_back(std::move(name), value);
  }
  return fields;
}

asio::awaitable<Resolved> resolve(asio::io_context& io, const Clock& clock, MonoTime started,
                                  const std::string& host, Duration budget, Deadline deadline) {
  Resolved out;
  boost::system::error_code ip_ec;
  auto literal = asio::ip::make_address(host, ip_ec);
  if (!ip_ec) {
    out.address = literal.to_string();
    co_return out;
  }
  asio::ip::tcp::resolver resolver(io);
  asio::steady_timer timer(io);
  timer.expires_at(deadline);
  // The timer's handler may already be queued when the lookup completes: it must then not touch
  // the (by then gone) resolver, so it checks a flag that outlives this frame.
  struct Race {
    bool over = false;
    bool timed_out = false;
  };
  auto race = std::make_shared<Race>();
  timer.async_wait([race, &resolver](const boost::system::error_code& ec) {
    if (ec || race->over) return;
    race->timed_out = true;
    resolver.cancel();
  });
  boost::system::error_code ec;
  auto results =
      co_await resolver.async_resolve(host, "", asio::redirect_error(asio::use_awaitable, ec));
  race->over = true;
  timer.cancel();
  if (race->timed_out) {
    out.failed_at = Layer::timeout;
    out.error = timeout_message(budget, "DNS resolution of " + host);
  } else if (ec || results.empty()) {
    out.failed_at = Layer::dns;
    out.error = "DNS lookup of " + host + " failed: " + (ec ? ec.message() : "no address");
  } else {
    out.address = results.begin()->endpoint().address().to_string();
    out.took = clock.mono_now() - started;
  }
  co_return out;
}

}  // namespace lk::probe
