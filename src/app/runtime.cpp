#include "app/runtime.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <boost/asio/post.hpp>
#include <functional>
#include <future>
#include <thread>
#include <unordered_map>

#include "app/kinds.hpp"
#include "probe/tcp/tcp_probe.hpp"

namespace lk::app {

namespace asio = boost::asio;

std::string_view version() {
  return "0.1.0";
}

Runtime::Runtime(RuntimeOptions options, const Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      io_(1),
      signals_(io_, SIGINT, SIGTERM, SIGHUP),
      publish_timer_(io_),
      watch_timer_(io_),
      kinds_(kind_parsers()),
      model_(std::string(version()), clock) {}

Runtime::~Runtime() {
  stop();
}

config::LoadResult Runtime::read_config() const {
  auto env = config::process_environment();
  if (options_.config_text)
    return config::load_string(*options_.config_text, "demo.yaml", kinds_, env);
  // On a reload, unchanged checks are copied from the running config instead of parsed.
  return config::load_file(options_.config_path, kinds_, env, config_.get());
}

bool Runtime::load() {
  auto loaded = read_config();
  stamps_ = file_stamps();
  if (!loaded.config) {
    for (const auto& e : loaded.errors) spdlog::error("{}", e.to_string());
    spdlog::error("config has {} error(s); not starting", loaded.errors.size());
    return false;
  }
  config_ = loaded.config;
  stamps_ = file_stamps();
  // Parsing a large config frees tens of megabytes of text and nodes; hand them back to the
  // system instead of keeping them in malloc's free lists for the life of the process.
  malloc_trim(0);
  return true;
}

std::vector<state::CheckPolicy> Runtime::policies(const config::Config& c) const {
  std::vector<state::CheckPolicy> out;
  for (const auto& check : c.checks) {
    state::CheckPolicy p;
    p.check = check.spec.name;
    p.failure_threshold = check.failure_threshold;
    p.recovery_threshold = check.recovery_threshold;
    out.push_back(p);
  }
  return out;
}

std::size_t Runtime::shard_of(std::string_view name) const {
  return std::hash<std::string_view>{}(name) % shards_.size();
}

void Runtime::restore_state() {
  state::Snapshot snap;
  for (const auto& [check, encoded] : store_->load_check_states()) {
    if (auto s = state::StateEngine::decode(encoded)) {
      snap.checks.push_back(std::move(*s));
    } else {
      spdlog::warn("stored state of check {} is unreadable; it starts as pending", check);
    }
  }
  snap.open_incidents = store_->load_open_incidents();
  snap.next_incident_id = store_->load_next_incident_id();
  engine_.restore(snap);
  if (!snap.checks.empty())
    spdlog::info("restored the state of {} check(s), {} open incident(s)", snap.checks.size(),
                 snap.open_incidents.size());
}

int Runtime::run() {
  const auto& c = *config_;
  spdlog::set_level(spdlog::level::from_str(c.log_level));
  store::SqliteOptions so;
  so.path = c.storage;
  so.flush_interval = c.flush_interval;
  so.raw_retention = c.raw_retention;
  store_ = store::open_sqlite(so, clock_);
  spdlog::info("store: {}", c.storage);

  restore_state();
  auto initial = engine_.configure(policies(c), clock_.now());
  persist(initial);
  // Before anything can produce a result: every incident from here on goes to the router.
  alerting_ = std::make_unique<Alerting>(
      clock_, *store_, engine_,
      [this](std::function<void()> task) { asio::post(io_, std::move(task)); });
  alerting_->configure(config_);
  alerting_->start(engine_.snapshot().open_incidents);
  reports_ = std::make_unique<Reports>(*store_, clock_, [this](std::vector<StatusReport> r) {
    asio::post(io_, [this, r = std::move(r)]() mutable { on_reports(std::move(r)); });
  });
  set_site(c);
  for (auto& p : store_->paused_checks()) paused_.insert(std::move(p.check));
  model_.set_paused(paused_);
  auto need_history = model_.set_config(config_);
  for (const auto& check : c.checks)
    if (const auto* s = engine_.state(check.spec.name)) model_.on_state(*s);
  model_.load_incidents(*store_);
  history_ = std::make_unique<HistoryLoader>(*store_, clock_, [this](std::vector<CheckHistory> h) {
    asio::post(io_, [this, h = std::move(h)]() mutable { model_.apply_history(std::move(h)); });
  });
  history_->request(std::move(need_history));
  heartbeats_ = std::make_unique<Heartbeats>(
      clock_, *store_, c.location,
      [this](std::function<void()> task) { asio::post(io_, std::move(task)); },
      [this](Result r) { on_result(std::move(r)); });
  heartbeats_->configure(c, engine_);
  // No snapshot is published until someone reads one (the refresher below builds it then): a
  // published snapshot pins every view, and the first result of each check would copy it.
  model_.set_refresher([this] {
    auto done = std::make_shared<std::promise<void>>();
    auto ready = done->get_future();
    asio::post(io_, [this, done] {
      model_.publish(/*force=*/true);
      done->set_value();
    });
    // Bounded: during shutdown the control loop may not run it; the reader then gets the
    // previous snapshot.
    ready.wait_for(std::chrono::milliseconds(250));
  });

  auto hp = probe::tcp::split_host_port(c.listen, /*allow_port_zero=*/true);
  if (!hp) throw std::runtime_error("listen address \"" + c.listen + "\" is not host:port");
  web::ServerOptions wo;
  wo.host = hp->first;
  wo.port = hp->second;
  wo.runtime = &control_;
  web_ = std::make_unique<web::Server>(wo, model_, *store_, clock_, heartbeats_.get(),
                                       alerting_.get(), &events_);
  spdlog::info("status page on http://{}:{}/",
               wo.host.find(':') != std::string::npos ? "[" + wo.host + "]" : wo.host,
               web_->port());

  start_checks(c);
  wait_for_signal();
  arm_housekeeping();
  if (!options_.config_text) arm_watch();
  io_.run();

  for (auto& s : shards_) s->stop();
  history_.reset();
  web_.reset();
  reports_.reset();                   // finishes the report writes queued so far
  if (alerting_) alerting_->flush();  // every notification made so far is in the outbox
  alerting_.reset();
  if (store_) store_->flush();
  spdlog::info("stopped");
  return 0;
}

void Runtime::wait_for_signal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      reload("SIGHUP");
      wait_for_signal();
      return;
    }
    spdlog::info("signal {} received; shutting down", sig);
    stop();
  });
}

void Runtime::stop() {
  if (io_.stopped()) return;
  asio::post(io_, [this] {
    boost::system::error_code ec;
    signals_.cancel(ec);
    publish_timer_.cancel();
    watch_timer_.cancel();
    io_.stop();
  });
}

std::uint16_t Runtime::web_port() const {
  return web_ ? web_->port() : 0;
}

void Runtime::start_checks(const config::Config& c) {
  std::size_t n =
      options_.shards ? options_.shards : std::max(1u, std::thread::hardware_concurrency());
  // A fixed instant on the monotonic clock (the Unix epoch), so check phases survive restarts.
  const MonoTime anchor =
      clock_.mono_now() - std::chrono::duration_cast<Duration>(clock_.now().time_since_epoch());
  const std::size_t per_shard =
      std::max<std::size_t>(1, static_cast<std::size_t>(c.max_concurrency) / n);
  for (std::size_t i = 0; i < n; ++i) {
    shards_.push_back(std::make_unique<Shard>(
        i, clock_, anchor, per_shard, c.location, [this](std::vector<Result> batch) {
          asio::post(io_, [this, batch = std::move(batch)]() mutable {
            for (auto& r : batch) on_result(std::move(r));
          });
        }));
  }
  std::vector<std::vector<std::shared_ptr<const config::Check>>> per(n);
  for (const auto& check : c.checks) {
    if (is_passive(check.spec.type)) continue;  // heartbeats: pings come to us
    if (paused_.contains(check.spec.name)) continue;
    // Aliasing pointer: the check stays alive as long as the config snapshot it belongs to.
    per[shard_of(check.spec.name)].push_back(std::shared_ptr<const config::Check>(config_, &check));
  }
  for (std::size_t i = 0; i < n; ++i) {
    shards_[i]->update(std::move(per[i]), {});
    shards_[i]->start();
  }
  spdlog::info("monitoring {} check(s) on {} shard(s)", c.checks.size(), n);
}

void Runtime::on_result(Result r) {
  auto t = engine_.apply(r, clock_.now());
  model_.on_result(r);
  store_->append(std::move(r));
  if (!t.empty() || !t.changed_checks.empty()) {
    persist(t);
    log_transitions(t);
    alerting_->on_transitions(t);
    if (!t.opened.empty() || !t.closed.empty()) reports_->on_transitions(t);
    for (const auto& tr : t.changes)
      if (tr.hard && tr.location.empty()) page_changed_ = true;
  }
}

void Runtime::persist(const state::Transitions& t) {
  store::StateChange change;
  for (const auto& tr : t.changes)
    if (tr.hard) change.transitions.push_back(tr);
  for (const auto* list : {&t.opened, &t.updated, &t.closed})
    for (const auto& i : *list) {
      change.incidents.push_back(i);
      model_.on_incident(i);
      if (!change.next_incident_id || *change.next_incident_id <= i.id)
        change.next_incident_id = i.id + 1;
    }
  for (const auto& name : t.changed_checks) {
    if (const auto* s = engine_.state(name)) {
      change.check_states.emplace_back(name, state::StateEngine::encode(*s));
      model_.on_state(*s);
    } else {
      change.removed_checks.push_back(name);
    }
  }
  if (change.transitions.empty() && change.incidents.empty() && change.check_states.empty() &&
      change.removed_checks.empty())
    return;
  store_->commit(std::move(change));
}

void Runtime::log_transitions(const state::Transitions& t) {
  for (const auto& tr : t.changes) {
    if (!tr.hard || !tr.location.empty()) continue;
    // A check's first result is not news; 100,000 of them at startup would flood the log.
    auto level = tr.from == State::pending && tr.to == State::ok ? spdlog::level::debug
                 : tr.to == State::ok                            ? spdlog::level::info
                                                                 : spdlog::level::warn;
    spdlog::log(level, "check {}: {} -> {} ({})", tr.check, to_string(tr.from), to_string(tr.to),
                tr.message);
  }
  for (const auto& i : t.opened)
    spdlog::warn("incident #{} opened: {}: {}", i.id, i.check, i.cause);
  for (const auto& i : t.closed)
    spdlog::info("incident #{} closed: {} after {}", i.id, i.check,
                 format_duration(
                     std::chrono::duration_cast<std::chrono::seconds>(*i.closed_at - i.opened_at)));
}

void Runtime::reload(std::string_view reason) {
  const auto started = clock_.mono_now();
  auto loaded = read_config();
  parse_time_ = clock_.mono_now() - started;
  stamps_ = file_stamps();
  if (!loaded.config) {
    ++reload_failures_;
    for (const auto& e : loaded.errors) spdlog::error("{}", e.to_string());
    spdlog::error("reload ({}) refused: {} error(s); the running config stays in effect", reason,
                  loaded.errors.size());
    return;
  }
  apply_reload(loaded.config);
  ++reloads_;
  malloc_trim(0);
  spdlog::debug("reload took {} (reading the config {})",
                format_duration(clock_.mono_now() - started), format_duration(parse_time_));
}

void Runtime::apply_reload(std::shared_ptr<const config::Config> next) {
  auto t0 = clock_.mono_now();
  std::string steps;  // where the time went, for the debug log
  auto step = [&](std::string_view what) {
    auto now = clock_.mono_now();
    steps += fmt::format(" {} {}", what, format_duration(now - t0));
    t0 = now;
  };
  auto d = config::diff(*config_, *next);
  step("diff");
  const auto before = config_;
  config_ = next;
  // One index for the lookups below: Config::find is linear, and 100,000 of those is 10^10.
  std::unordered_map<std::string_view, const config::Check*> by_name;
  by_name.reserve(next->checks.size());
  for (const auto& check : next->checks) by_name.emplace(check.spec.name, &check);
  auto pointer_to = [&](const std::string& name) -> std::shared_ptr<const config::Check> {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : std::shared_ptr<const config::Check>(next, it->second);
  };
  std::vector<std::vector<std::shared_ptr<const config::Check>>> upsert(shards_.size());
  std::vector<std::vector<std::string>> remove(shards_.size());
  for (const auto& name : d.removed) remove[shard_of(name)].push_back(name);
  for (const auto* names : {&d.added, &d.changed})
    for (const auto& name : *names)
      if (auto check = pointer_to(name)) {
        // A check that became a heartbeat leaves its shard.
        if (is_passive(check->spec.type))
          remove[shard_of(name)].push_back(name);
        else if (!paused_.contains(name))  // paused at runtime: stays out until resumed
          upsert[shard_of(name)].push_back(std::move(check));
      }
  // Unchanged checks move to the new snapshot's objects without touching their schedule or
  // state, so the old snapshot is freed instead of staying pinned by them.
  std::vector<std::vector<std::shared_ptr<const config::Check>>> rebind(shards_.size());
  for (const auto& name : d.unchanged)
    if (auto check = pointer_to(name);
        check && !is_passive(check->spec.type) && !paused_.contains(name))
      rebind[shard_of(name)].push_back(std::move(check));
  for (std::size_t i = 0; i < shards_.size(); ++i)
    shards_[i]->update(std::move(upsert[i]), std::move(remove[i]), std::move(rebind[i]));
  step("shards");
  auto t = engine_.configure(policies(*next), clock_.now());
  step("engine");
  history_->request(model_.set_config(next));
  step("model");
  try {
    heartbeats_->configure(*next, engine_);
  } catch (const std::exception& e) {
    spdlog::error("heartbeats not reconfigured: {}", e.what());
  }
  step("heartbeats");
  persist(t);
  log_transitions(t);
  alerting_->configure(next);
  alerting_->on_transitions(t);
  step("alerting");
  set_site(*next);
  for (const auto& name : d.added)
    if (const auto* s = engine_.state(name)) model_.on_state(*s);
  step("persist");
  spdlog::debug("reload steps:{}", steps);
  if (d.settings_changed && (before->listen != next->listen || before->storage != next->storage))
    spdlog::warn("listen and storage changes take effect after a restart");
  spdlog::info("config reloaded: {} added, {} removed, {} changed, {} unchanged", d.added.size(),
               d.removed.size(), d.changed.size(), d.unchanged.size());
}

void Runtime::arm_housekeeping() {
  publish_timer_.expires_after(std::chrono::milliseconds(250));
  publish_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    collect_stats();
    heartbeats_->tick();
    alerting_->tick();
    // Maintenance starts and ends on time, on the page and in the reports (every 5 s).
    if (++housekeeping_ticks_ % 20 == 0) {
      refresh_maintenance();
      reports_->tick();
    }
    announce_page_change();
    model_.publish();
    arm_housekeeping();
  });
}

void Runtime::set_site(const config::Config& c) {
  site_ = make_site(c);
  model_.set_site(site_);
  reports_->configure(site_);
}

void Runtime::on_reports(std::vector<StatusReport> reports) {
  alerting_->set_announced(announced_maintenance(reports, *site_));
  model_.set_reports(std::move(reports));
  refresh_maintenance();
  page_changed_ = true;
}

void Runtime::refresh_maintenance() {
  auto in = alerting_->in_maintenance(clock_.now());
  if (in != in_maintenance_) {
    in_maintenance_ = std::move(in);
    model_.set_maintenance(in_maintenance_);
    page_changed_ = true;
  }
}

void Runtime::announce_page_change() {
  // At most one event a second however many checks change: each open page re-fetches itself on
  // an event, and a storm of outages must not turn into a storm of page loads.
  if (!page_changed_ || clock_.mono_now() - last_event_ < std::chrono::seconds{1}) return;
  page_changed_ = false;
  last_event_ = clock_.mono_now();
  model_.publish(/*force=*/true);
  events_.publish("status", format_time(clock_.now()));
}

void Runtime::apply_pauses(std::set<std::string, std::less<>> paused) {
  // Paused checks leave their shard (no runs, no results); resumed ones rejoin it with their
  // schedule's phase, as a reload would add them.
  std::vector<std::vector<std::shared_ptr<const config::Check>>> upsert(shards_.size());
  std::vector<std::vector<std::string>> remove(shards_.size());
  for (const auto& name : paused)
    if (!paused_.contains(name)) remove[shard_of(name)].push_back(name);
  for (const auto& name : paused_)
    if (!paused.contains(name))
      if (const auto* check = config_->find(name); check && !is_passive(check->spec.type))
        upsert[shard_of(name)].push_back(std::shared_ptr<const config::Check>(config_, check));
  for (std::size_t i = 0; i < shards_.size(); ++i)
    if (!upsert[i].empty() || !remove[i].empty())
      shards_[i]->update(std::move(upsert[i]), std::move(remove[i]));
  for (const auto& name : paused)
    if (!paused_.contains(name)) spdlog::info("check {} paused", name);
  for (const auto& name : paused_)
    if (!paused.contains(name)) spdlog::info("check {} resumed", name);
  paused_ = std::move(paused);
  model_.set_paused(paused_);
  page_changed_ = true;
}

void Runtime::Control::reports_changed() {
  // The write is committed; the page shows it once the reload reached the model (bounded, so a
  // stopping daemon cannot hang a web worker).
  if (runtime_.reports_) runtime_.reports_->reload(std::chrono::seconds{2});
  auto done = std::make_shared<std::promise<void>>();
  auto ready = done->get_future();
  asio::post(runtime_.io_, [this, done] {
    runtime_.model_.publish(/*force=*/true);
    done->set_value();
  });
  ready.wait_for(std::chrono::seconds{1});
}

void Runtime::Control::pauses_changed() {
  auto list = runtime_.store_->paused_checks();
  std::set<std::string, std::less<>> paused;
  for (auto& p : list) paused.insert(std::move(p.check));
  auto done = std::make_shared<std::promise<void>>();
  auto ready = done->get_future();
  asio::post(runtime_.io_, [this, done, paused = std::move(paused)]() mutable {
    runtime_.apply_pauses(std::move(paused));
    runtime_.model_.publish(/*force=*/true);
    done->set_value();
  });
  ready.wait_for(std::chrono::seconds{1});
}

void Runtime::collect_stats() {
  web::RuntimeStats st;
  for (const auto& shard : shards_) {
    auto s = shard->stats();
    st.checks_in_flight += s.in_flight;
    st.checks_started += s.started;
    st.checks_skipped += s.skipped;
    st.lateness_p50_ms = std::max(st.lateness_p50_ms, s.lateness.p50_ms);
    st.lateness_p99_ms = std::max(st.lateness_p99_ms, s.lateness.p99_ms);
    st.lateness_max_ms = std::max(st.lateness_max_ms, s.lateness.max_ms);
  }
  auto ss = store_->stats();
  st.store_queue_depth = ss.queue_depth;
  st.store_results_written = ss.results_written;
  st.store_last_batch_ms = ss.last_batch_ms;
  st.store_max_batch_ms = ss.max_batch_ms;
  st.config_reloads = reloads_;
  st.config_reload_failures = reload_failures_;
  if (alerting_) {
    auto ds = alerting_->stats();
    st.notification_enqueue_errors = ds.enqueue_errors;
    st.notifiers.reserve(ds.notifiers.size());
    for (auto& [name, n] : ds.notifiers)
      st.notifiers.push_back({.name = name,
                              .type = std::move(n.type),
                              .enqueued = n.enqueued,
                              .sent = n.sent,
                              .retried = n.retried,
                              .failed = n.failed,
                              .queued = n.queued,
                              .in_flight = n.in_flight});
  }
  model_.set_stats(st);
}

std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> Runtime::file_stamps()
    const {
  std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> out;
  std::vector<std::string> files;
  if (config_) files = config_->files;
  if (files.empty() && !options_.config_path.empty()) files.push_back(options_.config_path);
  for (const auto& f : files) {
    struct stat st {};
    if (::stat(f.c_str(), &st) == 0) {
      out.push_back(
          {f,
           {static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
            static_cast<std::int64_t>(st.st_size)}});
    } else {
      out.push_back({f, {-1, -1}});
    }
  }
  return out;
}

void Runtime::arm_watch() {
  watch_timer_.expires_after(options_.watch_period);
  watch_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    if (file_stamps() != stamps_) reload("config file changed");
    arm_watch();
  });
}

}  // namespace lk::app
