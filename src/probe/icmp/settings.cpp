#include "probe/icmp/settings.hpp"

#include <array>
#include <boost/asio/ip/address.hpp>

#include "probe/url_form.hpp"

namespace lk::probe::icmp {

namespace {

constexpr std::array kOptions{
    config::Option{
        "host", "string", "",
        "Host name or address (IPv4 or IPv6) to send ICMP echo requests to. Uses unprivileged "
        "ICMP sockets where net.ipv4.ping_group_range allows them, raw sockets as root. Metrics: "
        "sent, received, loss (%), rtt_min, rtt_avg, rtt_max (ms), e.g. "
        "`expect: [metric.loss < 20, metric.rtt_avg < 50]`; with no reply at all the check fails.",
        true},
    config::Option{"count", "int", "3", "Echo requests sent per run (1 to 100)."},
    config::Option{"echo_interval", "duration", "500ms",
                   "Time between two echo requests (at least 10ms). Not the check's `interval`, "
                   "which is the time between two runs."},
    config::Option{"reply_timeout", "duration", "1s",
                   "How long after the last request replies are awaited; a request without a "
                   "reply by then counts as lost."},
    config::Option{"size", "int", "56", "Payload bytes of each request (0 to 65000)."},
};

constexpr Duration kMinInterval = std::chrono::milliseconds{10};

}  // namespace

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  s->host = fields.string("host");
  if (fields.has("host")) {
    boost::system::error_code not_an_address;
    boost::asio::ip::make_address(s->host, not_an_address);
    // A colon belongs in an IPv6 address, but not as host:port: ICMP has no ports.
    if (s->host.empty() || (not_an_address && s->host.find_first_of(" /:[]") != std::string::npos))
      fields.error("host",
                   "expected a host name or address without port or brackets (ICMP has "
                   "no ports), e.g. db1.example, 192.0.2.7 or 2001:db8::7, got \"" +
                       s->host + "\"");
  }
  s->count = static_cast<int>(fields.integer("count", 1, 100));
  s->interval = fields.duration("echo_interval");
  if (s->interval < kMinInterval)
    fields.error("echo_interval", "must be at least " + format_duration(kMinInterval) + ", got " +
                                      format_duration(s->interval));
  s->reply_timeout = fields.duration("reply_timeout");
  if (s->reply_timeout <= Duration::zero()) fields.error("reply_timeout", "must be more than 0s");
  s->size = static_cast<std::size_t>(fields.integer("size", 0, 65000));
  const Duration needed = (s->count - 1) * s->interval + s->reply_timeout;
  if (needed > spec.timeout && spec.timeout > Duration::zero()) {
    fields.error(fields.has("count")           ? "count"
                 : fields.has("echo_interval") ? "echo_interval"
                                               : "reply_timeout",
                 std::to_string(s->count) + " requests " + format_duration(s->interval) +
                     " apart plus a reply_timeout of " + format_duration(s->reply_timeout) +
                     " take " + format_duration(needed) + ", longer than the timeout " +
                     format_duration(spec.timeout) +
                     "; send fewer, closer together, or raise the timeout");
  }
  spec.target = s->host;
  return s;
}

UrlFields from_url(std::string_view url) {
  UrlFields out;
  std::string error;
  auto form = split_url_form(url, error);
  const std::string example = "; write icmp://HOST?count=3&interval=500ms (IPv6: icmp://[::1])";
  if (!form) {
    out.error = error + example;
    return out;
  }
  std::string host = form->authority;
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  if (host.empty()) {
    out.error = "no host in " + std::string(url) + example;
    return out;
  }
  if (form->path.size() > 1) {
    out.error = "unexpected path \"" + form->path + "\" in " + std::string(url) + example;
    return out;
  }
  out.scalars.emplace_back("host", host);
  for (auto& [key, value] : form->query) {
    if (key != "count" && key != "interval" && key != "echo_interval" && key != "reply_timeout" &&
        key != "size") {
      out.error = "unknown parameter \"" + key + "\" in " + std::string(url) +
                  "; icmp:// takes count=, interval= (between requests), reply_timeout= and size=";
      return out;
    }
    // In the URL `interval` can only mean the time between requests: a check run is one run.
    out.scalars.emplace_back(key == "interval" ? "echo_interval" : key, std::move(value));
  }
  return out;
}

}  // namespace lk::probe::icmp
