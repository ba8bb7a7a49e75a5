#pragma once
// The control node (`serve` and `demo`): loads the config, wires shards, state engine, store,
// status model and web server, and reloads on SIGHUP or when the file changes.

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/alerting.hpp"
#include "app/heartbeats.hpp"
#include "app/history_loader.hpp"
#include "app/shard.hpp"
#include "app/site.hpp"
#include "app/status_model.hpp"
#include "config/config.hpp"
#include "state/engine.hpp"
#include "store/store.hpp"
#include "web/events.hpp"
#include "web/server.hpp"

namespace lk::app {

struct RuntimeOptions {
  std::string config_path;                 ///< file to load (and watch)
  std::optional<std::string> config_text;  ///< load this text instead (demo); not watched
  Duration watch_period{std::chrono::seconds{2}};
  std::size_t shards = 0;  ///< 0: one per core
};

class Runtime {
 public:
  Runtime(RuntimeOptions options, const Clock& clock);
  ~Runtime();

  /// Loads the config; on errors prints them and returns false.
  bool load();
  /// Runs until SIGINT/SIGTERM (or stop()); returns the process exit code.
  int run();
  void stop();
  std::uint16_t web_port() const;

 private:
  config::LoadResult read_config() const;
  void start_checks(const config::Config& config);
  void apply_reload(std::shared_ptr<const config::Config> next);
  void reload(std::string_view reason);
  void on_result(Result r);
  void persist(const state::Transitions& t);
  void log_transitions(const state::Transitions& t);
  void restore_state();
  std::vector<state::CheckPolicy> policies(const config::Config& c) const;
  std::size_t shard_of(std::string_view name) const;
  void wait_for_signal();
  void arm_housekeeping();
  void arm_watch();
  void collect_stats();
  void set_site(const config::Config& c);
  void on_reports(std::vector<StatusReport> reports);
  void apply_pauses(std::set<std::string, std::less<>> paused);
  void refresh_maintenance();
  void announce_page_change();
  std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> file_stamps() const;

  RuntimeOptions options_;
  const Clock& clock_;
  boost::asio::io_context io_;  ///< the control thread: state engine, model, reloads
  boost::asio::signal_set signals_;
  boost::asio::steady_timer publish_timer_, watch_timer_;
  std::shared_ptr<const config::Config> config_;
  std::vector<config::ProbeKindParser> kinds_;
  std::unique_ptr<store::Store> store_;
  state::StateEngine engine_;
  StatusModel model_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::unique_ptr<HistoryLoader> history_;
  std::unique_ptr<Heartbeats> heartbeats_;  ///< before web_: the server holds a pointer to it
  std::unique_ptr<Alerting> alerting_;      ///< before web_, after store_ (it sends from it)
  std::unique_ptr<Reports> reports_;        ///< before web_, after store_
  std::shared_ptr<const web::SiteSpec> site_;
  std::set<std::string, std::less<>> paused_;  ///< checks paused at runtime (the store's list)
  std::set<std::string, std::less<>> in_maintenance_;  ///< as of the last refresh
  /// What the API's writes call: hands the change to the control thread and waits for it.
  class Control final : public web::RuntimeControl {
   public:
    explicit Control(Runtime& runtime) : runtime_(runtime) {}
    void reports_changed() override;
    void pauses_changed() override;

   private:
    Runtime& runtime_;
  };
  Control control_{*this};
  /// Tells open status pages (GET /events) that what they show changed; before web_.
  /// Ids start at the wall clock in ms, so they keep increasing across restarts.
  web::EventHub events_{
      web::EventHub::kDefaultRetained,
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count())};
  bool page_changed_ = false;  ///< since the last event
  MonoTime last_event_{};
  std::unique_ptr<web::Server> web_;
  std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> stamps_;
  std::uint64_t reloads_ = 0, reload_failures_ = 0;
  std::uint64_t housekeeping_ticks_ = 0;
  Duration parse_time_{};
};

/// The current version string.
std::string_view version();

}  // namespace lk::app
