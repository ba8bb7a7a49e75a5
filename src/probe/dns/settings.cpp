#include "probe/dns/settings.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "probe/dns/wire.hpp"

namespace lk::probe::dns {

namespace {

constexpr std::array kOptions{
    config::Option{
        "query", "string", "",
        "Name to look up, e.g. `www.example.com`; for `PTR` an IP address is turned into its "
        "reverse name. Conditions see the answer as `json.rcode` (\"NOERROR\", \"NXDOMAIN\", "
        "\"SERVFAIL\" ...), `json.answers` (the asked type's records as text), "
        "`json.answer_set` (them sorted, joined by \", \"), `json.authoritative`, "
        "`json.truncated`, `json.transport`, `json.records` (every answer as name, type, ttl, "
        "data) and `json.authority`; `metric.ttl` (lowest answer TTL, s), `metric.answers` and "
        "`latency`. Without `expect:`, the check fails unless the answer is NOERROR with at "
        "least one record of the type.",
        true},
    config::Option{"record_type", "string", "A",
                   "Record type to ask for: A, AAAA, CNAME, MX, NS, TXT, SOA or PTR."},
    config::Option{"server", "string", "",
                   "DNS server to ask, as host[:port] (IPv6 as [::1]:53); the port defaults to "
                   "53. Empty: the system resolver (the servers of /etc/resolv.conf)."},
    config::Option{"tcp", "bool", "false",
                   "Ask over TCP only. Otherwise the query goes over UDP and, when the answer "
                   "comes back truncated, again over TCP."},
    config::Option{"recursion", "bool", "true",
                   "Set the RD flag (recursion desired); false asks an authoritative server only "
                   "for what it holds itself."},
    config::Option{"edns", "bool", "true",
                   "Send an EDNS0 OPT record offering 1232-byte UDP answers; false sends a plain "
                   "query (answers over 512 bytes then come truncated and are asked over TCP)."},
};

/// The record types a check may ask for.
constexpr std::array<std::uint16_t, 8> kQueryTypes{rrtype::a,   rrtype::aaaa, rrtype::cname,
                                                   rrtype::mx,  rrtype::ns,   rrtype::txt,
                                                   rrtype::soa, rrtype::ptr};

struct HostPort {
  std::string host;
  std::uint16_t port = 53;
};

bool is_ip_address(const std::string& text) {
  unsigned char bytes[16];
  return inet_pton(AF_INET, text.c_str(), bytes) == 1 ||
         inet_pton(AF_INET6, text.c_str(), bytes) == 1;
}

bool is_host_name(std::string_view text) {
  return !text.empty() && text.size() <= 253 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

std::optional<std::uint16_t> port_number(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0 ||
      value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

/// "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address.
std::optional<HostPort> split_server(std::string_view text) {
  HostPort out;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      auto port = port_number(rest.substr(1));
      if (!port) return std::nullopt;
      out.port = *port;
    }
    unsigned char bytes[16];
    if (inet_pton(AF_INET6, out.host.c_str(), bytes) != 1) return std::nullopt;
    return out;
  }
  auto colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
    out.host = std::string(text);  // a bare IPv6 address
    unsigned char bytes[16];
    if (inet_pton(AF_INET6, out.host.c_str(), bytes) != 1) return std::nullopt;
    return out;
  }
  out.host = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) {
    auto port = port_number(text.substr(colon + 1));
    if (!port) return std::nullopt;
    out.port = *port;
  }
  if (!is_ip_address(out.host) && !is_host_name(out.host)) return std::nullopt;
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string url_of(const Settings& s) {
  std::string url = "dns://";
  if (!s.server_host.empty()) {
    url += s.server_host.find(':') != std::string::npos ? "[" + s.server_host + "]" : s.server_host;
    if (s.port != 53) url += ":" + std::to_string(s.port);
  }
  url += "/" + s.query + "?type=" + type_name(s.record_type);
  if (s.force_tcp) url += "&tcp=true";
  if (!s.recursion) url += "&recursion=false";
  if (!s.edns) url += "&edns=false";
  return url;
}

}  // namespace

std::string Settings::server_text() const {
  if (server_host.empty()) return "the system resolver";
  if (server_host.find(':') != std::string::npos)
    return "[" + server_host + "]:" + std::to_string(port);
  return server_host + ":" + std::to_string(port);
}

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  std::string server = fields.string("server");
  if (!server.empty()) {
    if (auto hp = split_server(server)) {
      s->server_host = std::move(hp->host);
      s->port = hp->port;
    } else {
      fields.error("server",
                   "expected host[:port] (e.g. ns1.example.com, 192.0.2.53:5353 or "
                   "[2001:db8::53]:53), got \"" +
                       server + "\"");
    }
  }

  std::string type_text = fields.string("record_type");
  auto type = type_number(type_text);
  if (!type || std::find(kQueryTypes.begin(), kQueryTypes.end(), *type) == kQueryTypes.end()) {
    fields.error("record_type", "unsupported record type \"" + type_text +
                                    "\"; use A, AAAA, CNAME, MX, NS, TXT, SOA or PTR");
  } else {
    s->record_type = *type;
  }

  s->force_tcp = fields.boolean("tcp");
  s->recursion = fields.boolean("recursion");
  s->edns = fields.boolean("edns");
  s->default_expectations = !fields.has("expect");

  std::string query = fields.string("query");
  if (fields.has("query")) {
    if (s->record_type == rrtype::ptr)
      if (auto reversed = reverse_name(query)) query = *reversed;
    auto normalized = normalize_name(query);
    if (auto* error = std::get_if<1>(&normalized)) {
      fields.error("query", "cannot ask for \"" + query + "\": " + *error);
    } else {
      s->query = std::get<0>(normalized);
      auto packet = build_query(s->query, s->record_type, {s->recursion, s->edns});
      if (auto* bytes = std::get_if<0>(&packet)) s->query_packet = std::move(*bytes);
    }
  }
  spec.target = url_of(*s);
  return s;
}

UrlFields from_url(std::string_view url) {
  UrlFields out;
  const std::string usage =
      "expected dns://SERVER[:PORT]/NAME[?type=MX] (dns:///NAME asks the system resolver), got \"" +
      std::string(url) + "\"";
  if (lower(url.substr(0, 6)) != "dns://") {
    out.error = usage;
    return out;
  }
  std::string_view rest = url.substr(6);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) {
    out.error = usage;
    return out;
  }
  std::string_view server = rest.substr(0, slash);
  std::string_view path = rest.substr(slash + 1);
  std::string_view query_string;
  if (auto mark = path.find('?'); mark != std::string_view::npos) {
    query_string = path.substr(mark + 1);
    path = path.substr(0, mark);
  }
  if (path.empty()) {
    out.error = "no name to look up: " + usage;
    return out;
  }
  if (!server.empty()) out.scalars.emplace_back("server", std::string(server));
  out.scalars.emplace_back("query", std::string(path));

  // RFC 4501 separates parameters with ';', web habit with '&': both are read.
  while (!query_string.empty()) {
    auto end = query_string.find_first_of("&;");
    std::string_view item = query_string.substr(0, end);
    query_string =
        end == std::string_view::npos ? std::string_view() : query_string.substr(end + 1);
    if (item.empty()) continue;
    auto equals = item.find('=');
    std::string key = lower(item.substr(0, equals));
    std::string value =
        equals == std::string_view::npos ? std::string() : std::string(item.substr(equals + 1));
    if (key == "type") {
      out.scalars.emplace_back("record_type", value);
    } else if (key == "tcp" || key == "recursion" || key == "edns") {
      // A bare switch (`?tcp`) and 1/0 read as true/false; anything else goes to the config
      // reader, which names what it expected.
      std::string word = lower(value);
      if (word.empty() || word == "1") word = "true";
      if (word == "0") word = "false";
      out.scalars.emplace_back(key, word);
    } else if (key == "class") {
      if (lower(value) != "in") {
        out.error = "only class IN can be asked for, got class=" + value;
        return out;
      }
    } else {
      out.error = "unknown parameter \"" + key + "\" in \"" + std::string(url) +
                  "\"; known: type, tcp, recursion, edns, class";
      return out;
    }
  }
  return out;
}

}  // namespace lk::probe::dns
