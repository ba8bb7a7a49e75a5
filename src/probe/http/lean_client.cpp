#include "probe/http/lean_client.hpp"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>

#include "probe/http/lean_exchange.hpp"
#include "probe/http/transfer_errors.hpp"

namespace lk::probe::http {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kBufferSize = 16 * 1024;
constexpr std::size_t kMaxIdleBuffers = 64;  // 1 MiB per shard at most

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == y;
         });
}

/// The settings curl continues with after the lean client followed `redirects` redirects.
Settings settings_for_handoff(const Settings& s, const RedirectTarget& next,
                              const RequestAdjustments& adjust, int redirects) {
  Settings rest = s;
  rest.url = next.url;
  rest.max_redirects = std::max(0, s.max_redirects - redirects);
  rest.disable_lean();
  if (rest.headers().empty() && rest.body().empty()) return rest;  // nothing to drop
  auto& extras = rest.edit_extras();
  if (adjust.drop_body) extras.body.clear();
  std::erase_if(extras.headers, [&](const auto& header) {
    const auto& name = header.first;
    if (!adjust.keep_custom_host && iequals(name, "host")) return true;
    return !adjust.keep_credentials && (iequals(name, "authorization") || iequals(name, "cookie"));
  });
  return rest;
}

void add_phase(std::optional<Duration>& total, const std::optional<Duration>& before) {
  if (before) total = *before + total.value_or(Duration::zero());
}

}  // namespace

LeanClient::LeanClient(asio::io_context& io, const Clock& clock, CurlRunner curl)
    : io_(io), clock_(clock), curl_(std::move(curl)) {}

std::vector<char> LeanClient::take_buffer() {
  if (idle_buffers_.empty()) return std::vector<char>(kBufferSize);
  auto buffer = std::move(idle_buffers_.back());
  idle_buffers_.pop_back();
  return buffer;
}

void LeanClient::give_back(std::vector<char> buffer) {
  // A buffer that grew for huge headers is freed rather than kept.
  if (buffer.size() == kBufferSize && idle_buffers_.size() < kMaxIdleBuffers)
    idle_buffers_.push_back(std::move(buffer));
}

asio::awaitable<Observation> LeanClient::run(const CheckSpec& check, Deadline deadline) {
  const auto& settings = check.settings_as<Settings>();
  Observation obs;
  obs.started_at = clock_.now();
  obs.metrics.reserve(2);
  const auto started = clock_.mono_now();
  std::vector<char> buffer = take_buffer();
  std::optional<Settings> handoff;
  {
    Exchange exchange(io_, clock_, settings, obs, started, deadline, buffer);
    exchange.start(*settings.lean_plan());
    boost::system::error_code ec;
    while (!exchange.finished()) {
      co_await exchange.timer().async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) exchange.on_deadline();
    }
    switch (exchange.outcome()) {
      case Exchange::Outcome::answered:
        obs.status_code = exchange.status();
        obs.metrics.push_back({"body_bytes", static_cast<double>(obs.body.size()), "B"});
        break;
      case Exchange::Outcome::handoff:
        handoff =
            settings_for_handoff(settings, exchange.handoff_target(),
                                 exchange.handoff_adjustments(), exchange.redirects_followed());
        break;
      case Exchange::Outcome::failed:
      case Exchange::Outcome::running: {
        auto failure = describe_failure({exchange.error_code(), exchange.error_detail().c_str(),
                                         exchange.os_errno(), settings.url, obs.peer, obs.timings,
                                         check.timeout});
        obs.failed_at = failure.layer;
        obs.error = std::move(failure.message);
        break;
      }
    }
  }
  give_back(std::move(buffer));

  if (handoff) {
    // curl's phase times add up over redirects: the lean hops' times plus curl's.
    Observation rest = co_await curl_(check, *handoff, deadline);
    rest.started_at = obs.started_at;
    add_phase(rest.timings.dns, obs.timings.dns);
    add_phase(rest.timings.connect, obs.timings.connect);
    add_phase(rest.timings.tls, obs.timings.tls);
    add_phase(rest.timings.first_byte, obs.timings.first_byte);
    rest.timings.total = clock_.mono_now() - started;
    for (auto& m : rest.metrics)
      if (m.name == "latency") m.value = to_ms(*rest.timings.total);
    co_return rest;
  }

  obs.timings.total = clock_.mono_now() - started;
  obs.metrics.push_back({"latency", to_ms(*obs.timings.total), "ms"});
  co_return obs;
}

}  // namespace lk::probe::http
