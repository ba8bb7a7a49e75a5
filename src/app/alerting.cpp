#include "app/alerting.hpp"

#include "alert/maintenance/window.hpp"

#include <spdlog/spdlog.h>

#include <future>

#include "alert/ack_link.hpp"
#include "alert/notify/encoding.hpp"
#include "app/ping_tokens.hpp"

namespace lk::app {

namespace {

// How long a web thread waits for the control thread before answering 503.
constexpr auto kControlWait = std::chrono::seconds{5};

std::string base_url(const config::Config& c) {
  std::string base = c.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace

Alerting::Alerting(const Clock& clock, store::Store& store, const state::StateEngine& engine,
                   Post post, alert::DispatcherOptions options)
    : clock_(clock),
      store_(store),
      engine_(engine),
      post_(std::move(post)),
      router_(*this,
              [this](std::int64_t page, TimePoint now) -> std::string {
                if (!config_ || config_->public_url.empty() || ack_key_.empty()) return {};
                return base_url(*config_) + "/ack/" +
                       alert::make_ack_token(ack_key_, page, now + config_->alerting.ack_link_ttl);
              }),
      dispatcher_(store, clock, std::move(options),
                  [this](const std::string& notifier, const std::string& error) {
                    post_([this, notifier, error] {
                      send(router_.notifier_failed(notifier, error, clock_.now()));
                    });
                  }) {}

Alerting::~Alerting() = default;

void Alerting::configure(std::shared_ptr<const config::Config> config) {
  config_ = std::move(config);
  checks_.clear();
  for (const auto& check : config_->checks) checks_.emplace(check.spec.name, &check);
  if (!config_->alerting.ack_secret.empty()) {
    ack_key_ = config_->alerting.ack_secret;
  } else if (ack_key_.empty() && !config_->alerting.notifiers.empty()) {
    try {
      // The instance secret kept beside the database, so links survive restarts.
      ack_key_ = alert::hmac_sha256_hex(load_or_create_ping_secret(config_->storage),
                                        "lightkeeper ack links");
    } catch (const std::exception& e) {
      spdlog::error("alerting: no key for ack links ({}); messages go out without one", e.what());
    }
  }
  configure_router();
  dispatcher_.set_notifiers(config_->alerting.notifiers);
  if (!config_->alerting.notifiers.empty() && config_->public_url.empty())
    spdlog::info("alerting: public_url is not set, so messages carry no status page or ack links");
}

void Alerting::set_announced(std::vector<alert::Maintenance> windows) {
  announced_ = std::move(windows);
  if (config_) configure_router();
}

void Alerting::configure_router() {
  if (announced_.empty()) {
    router_.configure(config_->alerting);
    return;
  }
  alert::AlertConfig merged = config_->alerting;
  merged.maintenance.insert(merged.maintenance.end(), announced_.begin(), announced_.end());
  router_.configure(std::move(merged));
}

void Alerting::start(std::span<const Incident> open) {
  std::string saved;
  try {
    saved = store_.load_meta(alert::kRouterStateKey).value_or("");
  } catch (const std::exception& e) {
    spdlog::error("alerting: cannot read the saved alert state: {}", e.what());
  }
  send(router_.restore(saved, open, clock_.now()));
}

void Alerting::on_transitions(const state::Transitions& t) {
  if (t.opened.empty() && t.updated.empty() && t.closed.empty()) return;
  send(router_.on_incidents(t.opened, t.updated, t.closed, clock_.now()));
}

void Alerting::tick() {
  auto out = router_.tick(clock_.now());
  if (!out.empty()) send(std::move(out));
}

void Alerting::flush() {
  dispatcher_.flush();
}

void Alerting::send(std::vector<alert::Dispatch> dispatches) {
  for (const auto& d : dispatches)
    spdlog::info("alert: {} about {} to {}", d.kind, d.message.check, d.channel);
  // The state is saved with every change, after its notifications are in the outbox.
  dispatcher_.submit(std::move(dispatches), router_.save());
}

std::set<std::string, std::less<>> Alerting::in_maintenance(TimePoint now) const {
  std::set<std::string, std::less<>> out;
  if (!config_) return out;
  std::vector<const alert::Maintenance*> active;
  for (const auto* list : {&config_->alerting.maintenance, &announced_})
    for (const auto& m : *list)
      if (alert::maintenance::active_at(m.window, now)) active.push_back(&m);
  if (active.empty()) return out;
  for (const auto& [name, check] : checks_) {
    auto f = facts(name);
    for (const auto* m : active)
      if (alert::matches(m->match, *f)) {
        out.emplace(name);
        break;
      }
  }
  return out;
}

std::optional<alert::CheckFacts> Alerting::facts(std::string_view check) const {
  auto it = checks_.find(check);
  if (it == checks_.end()) return std::nullopt;
  alert::CheckFacts f;
  f.name = it->second->spec.name;
  f.tags = &it->second->spec.tags;
  f.group = it->second->spec.group;
  return f;
}

std::vector<std::string> Alerting::parents(std::string_view check) const {
  auto it = checks_.find(check);
  return it == checks_.end() ? std::vector<std::string>{} : it->second->depends_on;
}

std::string Alerting::where(std::string_view check) const {
  const auto* s = engine_.state(check);
  if (!s) return {};
  std::vector<std::string> failing;
  std::size_t total = 0;
  for (const auto& [location, st] : s->locations) {
    ++total;
    if (st.hard != State::ok && st.hard != State::pending) failing.emplace_back(location);
  }
  std::string out;
  for (const auto& l : failing) out += (out.empty() ? "" : ", ") + l;
  if (total > 1)
    out += " (" + std::to_string(failing.size()) + " of " + std::to_string(total) + " locations)";
  return out;
}

template <class F>
auto Alerting::on_control(F f) -> decltype(f()) {
  using T = decltype(f());
  auto promise = std::make_shared<std::promise<T>>();
  auto future = promise->get_future();
  post_([promise, f = std::move(f)]() mutable { promise->set_value(f()); });
  if (future.wait_for(kControlWait) != std::future_status::ready)
    throw std::runtime_error("the monitor did not answer in time (shutting down?)");
  return future.get();
}

web::AckAnswer Alerting::ack_on_control(std::int64_t incident, std::string check, std::string by,
                                        std::string note) {
  std::vector<alert::Dispatch> out;
  auto r = router_.acknowledge(incident, check, by, note, clock_.now(), out);
  web::AckAnswer a;
  a.ok = r.ok;
  a.incident = r.page_id;
  a.already = r.already;
  if (!r.ok) {
    a.status = r.error.find("matches no route") != std::string::npos ? 409 : 404;
    a.message = r.error;
    return a;
  }
  a.message = r.already ? "incident #" + std::to_string(r.page_id) + " was already acknowledged"
                        : "incident #" + std::to_string(r.page_id) + " acknowledged by " + by;
  spdlog::info("alert: {}{}", a.message, note.empty() ? "" : ": " + note);
  send(std::move(out));
  return a;
}

web::AckAnswer Alerting::acknowledge(std::int64_t incident, std::string check, std::string by,
                                     std::string note) {
  return on_control([=, this] { return ack_on_control(incident, check, by, note); });
}

web::AckLinkInfo Alerting::inspect_link(std::string_view token) {
  std::string t(token);
  return on_control([this, t] {
    web::AckLinkInfo info;
    auto parsed = alert::verify_ack_token(ack_key_, t, clock_.now(), info.error);
    if (!parsed) return info;
    info.valid = true;
    info.incident = parsed->page_id;
    for (const auto& p : router_.pages())
      if (p.id == parsed->page_id) {
        info.checks = p.checks;
        info.acknowledged = p.acked_at.has_value();
        info.acknowledged_by = p.acked_by;
      }
    return info;
  });
}

web::AckAnswer Alerting::acknowledge_link(std::string_view token, std::string by,
                                          std::string note) {
  std::string t(token);
  return on_control([=, this] {
    web::AckAnswer a;
    auto parsed = alert::verify_ack_token(ack_key_, t, clock_.now(), a.message);
    if (!parsed) {
      a.status = 404;
      return a;
    }
    return ack_on_control(parsed->page_id, "", by.empty() ? "ack link" : by, note);
  });
}

std::vector<alert::PageView> Alerting::pages() {
  return on_control([this] { return router_.pages(); });
}

std::vector<alert::Silence> Alerting::silences() {
  return on_control([this] { return router_.silences(clock_.now()); });
}

std::int64_t Alerting::add_silence(alert::Silence silence) {
  return on_control([this, silence]() mutable {
    auto id = router_.add_silence(std::move(silence));
    spdlog::info("alert: silence #{} added", id);
    send({});
    return id;
  });
}

bool Alerting::remove_silence(std::int64_t id) {
  return on_control([this, id] {
    bool removed = router_.remove_silence(id);
    if (removed) {
      spdlog::info("alert: silence #{} removed", id);
      send({});
    }
    return removed;
  });
}

std::vector<web::OnCallView> Alerting::oncall(std::size_t next) {
  return on_control([this, next] {
    std::vector<web::OnCallView> out;
    const TimePoint now = clock_.now();
    for (const auto& s : config_->alerting.schedules)
      out.push_back(
          {s.name, alert::oncall::who_is_on(s, now), alert::oncall::next_handoffs(s, now, next)});
    return out;
  });
}

}  // namespace lk::app
