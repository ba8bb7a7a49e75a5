#include "app/heartbeats.hpp"

#include <spdlog/spdlog.h>

#include "app/ping_tokens.hpp"
#include "state/heartbeat/settings.hpp"

namespace lk::app {

namespace {

using state::heartbeat::Expectation;
using state::heartbeat::Memory;
using state::heartbeat::PingKind;

constexpr std::string_view kHeartbeat = "heartbeat";
constexpr std::size_t kPage = 1000;

PingKind kind_of(web::PingSignal signal) {
  switch (signal) {
    case web::PingSignal::start:
      return PingKind::start;
    case web::PingSignal::fail:
      return PingKind::fail;
    case web::PingSignal::success:
      break;
  }
  return PingKind::success;
}

}  // namespace

Heartbeats::Heartbeats(const Clock& clock, store::Store& store, std::string location, Post post,
                       Deliver deliver)
    : clock_(clock),
      store_(store),
      post_(std::move(post)),
      deliver_(std::move(deliver)),
      monitor_(std::move(location)) {}

void Heartbeats::configure(const config::Config& config, const state::StateEngine& engine) {
  std::vector<Expectation> expectations;
  for (const auto& check : config.checks) {
    if (check.spec.type != kHeartbeat || check.spec.paused) continue;
    const auto& s = check.spec.settings_as<state::heartbeat::Settings>();
    expectations.push_back({check.spec.name, s.period, s.schedule, s.grace});
  }
  if (secret_.empty() && needs_ping_secret(config))
    secret_ = load_or_create_ping_secret(config.storage);
  auto tokens = ping_tokens(config, secret_);
  // Paused heartbeats keep their URL (so the job's pings are not errors) but raise nothing.
  monitor_.configure(std::move(expectations),
                     [&](const Expectation& e) { return recall(e, engine); });
  std::lock_guard lock(tokens_mutex_);
  tokens_ = std::move(tokens);
}

Memory Heartbeats::recall(const Expectation& e, const state::StateEngine& engine) {
  const TimePoint now = clock_.now();
  const auto* state = engine.state(e.check);
  const TimePoint first_seen = state && state->since != TimePoint{} ? state->since : now;
  // Far enough back to find the ping that counts for the latest expected run and the one
  // before it; a heartbeat with nothing stored that far back is late anyway.
  Duration lookback = 2 * e.period + e.grace;
  if (e.schedule) {
    const auto latest = e.schedule->previous_at_or_before(now).value_or(now);
    const auto before = e.schedule->previous_at_or_before(latest - Duration{1}).value_or(latest);
    lookback = (now - before) + (latest - before) + e.grace;
  }
  std::vector<Result> results;
  TimePoint from = now - lookback;
  const TimePoint to = now + std::chrono::minutes{1};
  try {
    for (;;) {
      auto page = store_.results(e.check, from, to, kPage);
      const bool full = page.size() == kPage;
      if (!page.empty()) from = page.back().started_at + Duration{1};
      for (auto& r : page) results.push_back(std::move(r));
      if (!full) break;
    }
  } catch (const std::exception& ex) {
    spdlog::warn("heartbeat {}: cannot read its last ping from the store ({}); counting from now",
                 e.check, ex.what());
  }
  return state::heartbeat::recall(results, e.grace, first_seen);
}

void Heartbeats::tick() {
  const TimePoint now = clock_.now();
  if (auto next = monitor_.next_deadline(); !next || *next > now) return;
  for (auto& r : monitor_.tick(now)) deliver_(std::move(r));
}

bool Heartbeats::ping(std::string_view token, web::PingSignal signal, std::string_view body) {
  std::string check;
  {
    std::lock_guard lock(tokens_mutex_);
    auto it = tokens_.find(std::string(token));
    if (it == tokens_.end()) return false;
    check = it->second;
  }
  const TimePoint at = clock_.now();
  post_([this, check = std::move(check), kind = kind_of(signal), body = std::string(body), at] {
    if (auto r = monitor_.ping(check, kind, body, at)) deliver_(std::move(*r));
  });
  return true;
}

}  // namespace lk::app
