#include "probe/local/settings.hpp"

#include <array>
#include <charconv>

#include "probe/url_form.hpp"

namespace lk::probe::local {

namespace {

constexpr std::array kOptions{
    config::Option{
        "check", "string", "",
        "What to check on the machine Lightkeeper runs on: `disk` (metrics free_bytes, "
        "used_bytes, size_bytes, free_percent, used_percent, inodes_free, inodes_free_percent), "
        "`load` (load1, load5, load15, cpus), `memory` (total_bytes, available_bytes, "
        "available_percent, used_percent, swap_total_bytes, swap_free_bytes, swap_used_percent) "
        "or `clock` (offset and abs_offset in ms against `server`, rtt in ms, stratum). Judge "
        "them with conditions, e.g. `expect: [metric.free_percent > 10]`; a clock check also "
        "fails when the server does not answer or is not synchronized.",
        true},
    config::Option{"path", "string", "/",
                   "disk: any path on the file system to check (its mount is measured)."},
    config::Option{"per_cpu", "bool", "false",
                   "load: divide the load averages by the number of online CPUs."},
    config::Option{"server", "string", "",
                   "clock: NTP server to compare with, host[:port] (default port 123; IPv6 as "
                   "[::1]:123). Required for clock."},
};

constexpr std::array<std::pair<std::string_view, What>, 4> kWhats{{
    {"disk", What::disk},
    {"load", What::load},
    {"memory", What::memory},
    {"clock", What::clock},
}};

bool parse_port(std::string_view text, std::uint16_t& port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535)
    return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

std::span<const config::Option> options() {
  return kOptions;
}

std::optional<std::pair<std::string, std::uint16_t>> split_server(std::string_view text,
                                                                  std::uint16_t default_port) {
  std::uint16_t port = default_port;
  std::string_view host = text;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && (!rest.starts_with(':') || !parse_port(rest.substr(1), port)))
      return std::nullopt;
  } else if (auto colon = text.find(':'); colon != std::string_view::npos) {
    if (text.find(':', colon + 1) == std::string_view::npos) {  // one colon: host:port
      host = text.substr(0, colon);
      if (!parse_port(text.substr(colon + 1), port)) return std::nullopt;
    }  // else a bare IPv6 address
  }
  if (host.empty() || host.find_first_of(" /") != std::string_view::npos) return std::nullopt;
  return std::pair{std::string(host), port};
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  const std::string what = fields.string("check");
  bool known = false;
  for (const auto& [name, value] : kWhats) {
    if (name == what) {
      s->what = value;
      known = true;
    }
  }
  if (fields.has("check") && !known)
    fields.error("check", "unknown local check \"" + what + "\"; use disk, load, memory or clock");

  // Each option belongs to one check: say so rather than silently ignore it.
  auto only_for = [&](std::string_view key, What owner, std::string_view owner_name) {
    if (known && fields.has(key) && s->what != owner)
      fields.error(key, std::string(key) + " applies only to check: " + std::string(owner_name) +
                            ", not to check: " + what);
  };
  only_for("path", What::disk, "disk");
  only_for("per_cpu", What::load, "load");
  only_for("server", What::clock, "clock");

  s->path = fields.string("path");
  if (!s->path.starts_with('/'))
    fields.error("path", "expected an absolute path such as /var, got \"" + s->path + "\"");
  s->per_cpu = fields.boolean("per_cpu");
  const std::string server = fields.string("server");
  if (known && s->what == What::clock) {
    if (!fields.has("server")) {
      fields.error("server",
                   "a clock check needs the NTP server to compare with, e.g. "
                   "server: pool.ntp.org or server: 192.0.2.10:123");
    } else if (auto hp = split_server(server, 123)) {
      s->server_host = hp->first;
      s->server_port = hp->second;
    } else {
      fields.error("server", "expected host[:port] (e.g. ntp1.example:123 or [::1]:123), got \"" +
                                 server + "\"");
    }
  }
  switch (s->what) {
    case What::disk:
      spec.target = "disk " + s->path;
      break;
    case What::load:
      spec.target = s->per_cpu ? "load per CPU" : "load";
      break;
    case What::memory:
      spec.target = "memory";
      break;
    case What::clock:
      spec.target = "clock against " + server;
      break;
  }
  return s;
}

UrlFields from_url(std::string_view url) {
  UrlFields out;
  std::string error;
  auto form = split_url_form(url, error);
  const std::string forms =
      "local://disk/?path=/, local://load, local://memory or local://clock?server=HOST[:PORT]";
  if (!form) {
    out.error = error + "; write " + forms;
    return out;
  }
  bool known = false;
  for (const auto& [name, value] : kWhats) known = known || name == form->authority;
  if (!known) {
    out.error = "unknown local check \"" + form->authority + "\"; write " + forms;
    return out;
  }
  out.scalars.emplace_back("check", form->authority);
  bool has_path = false;
  for (auto& [key, value] : form->query) {
    if (key != "path" && key != "per_cpu" && key != "server") {
      out.error = "unknown parameter \"" + key + "\" in " + std::string(url) +
                  "; local:// takes path= (disk), per_cpu= (load) and server= (clock)";
      return out;
    }
    has_path = has_path || key == "path";
    out.scalars.emplace_back(key, std::move(value));
  }
  // local://disk/var/lib names the path in the URL's own path.
  if (form->path.size() > 1) {
    if (has_path || form->authority != "disk") {
      out.error =
          "unexpected path \"" + form->path + "\" in " + std::string(url) + "; write " + forms;
      return out;
    }
    out.scalars.emplace_back("path", form->path);
  }
  return out;
}

}  // namespace lk::probe::local
