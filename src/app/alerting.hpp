#pragma once
// Alerting in the running monitor: the router fed with the state engine's incidents on the
// control thread, the outbox dispatcher sending on its own thread, ack links signed with the
// instance key, and the web's command side (ack, silences, on-call) handed to the control
// thread.

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>

#include "alert/outbox/dispatcher.hpp"
#include "alert/policy/router.hpp"
#include "config/config.hpp"
#include "state/engine.hpp"
#include "store/store.hpp"
#include "web/alert_api.hpp"

namespace lk::app {

class Alerting final : public web::AlertControl, private alert::CheckDirectory {
 public:
  /// Runs a task on the control thread.
  using Post = std::function<void(std::function<void()>)>;

  Alerting(const Clock& clock, store::Store& store, const state::StateEngine& engine, Post post,
           alert::DispatcherOptions options = {});
  ~Alerting() override;

  // Control thread.
  /// Takes the config (at start and on every reload).
  void configure(std::shared_ptr<const config::Config> config);
  /// Maintenance announced on the status pages (through the API), held like the config's.
  void set_announced(std::vector<alert::Maintenance> windows);
  /// The checks inside a maintenance window (config or announced) at `now`.
  std::set<std::string, std::less<>> in_maintenance(TimePoint now) const;
  /// Restores the router's saved state against the incidents open now; sends what is due.
  void start(std::span<const Incident> open);
  void on_transitions(const state::Transitions& t);
  /// Group waits, escalation tiers, reminders, maintenance ends.
  void tick();
  /// Blocks until every notification produced so far is in the outbox.
  void flush();
  alert::DispatcherStats stats() const { return dispatcher_.stats(); }

  // web::AlertControl (web threads).
  web::AckAnswer acknowledge(std::int64_t incident, std::string check, std::string by,
                             std::string note) override;
  web::AckLinkInfo inspect_link(std::string_view token) override;
  web::AckAnswer acknowledge_link(std::string_view token, std::string by,
                                  std::string note) override;
  std::vector<alert::PageView> pages() override;
  std::vector<alert::Silence> silences() override;
  std::int64_t add_silence(alert::Silence silence) override;
  bool remove_silence(std::int64_t id) override;
  std::vector<web::OnCallView> oncall(std::size_t next) override;

 private:
  // alert::CheckDirectory
  std::optional<alert::CheckFacts> facts(std::string_view check) const override;
  std::vector<std::string> parents(std::string_view check) const override;
  std::string where(std::string_view check) const override;

  void send(std::vector<alert::Dispatch> dispatches);
  void configure_router();
  web::AckAnswer ack_on_control(std::int64_t incident, std::string check, std::string by,
                                std::string note);
  /// Runs `f` on the control thread and waits for its result (bounded).
  template <class F>
  auto on_control(F f) -> decltype(f());

  const Clock& clock_;
  store::Store& store_;
  const state::StateEngine& engine_;
  Post post_;
  std::shared_ptr<const config::Config> config_;
  std::map<std::string_view, const config::Check*> checks_;  ///< of config_
  std::string ack_key_;
  std::vector<alert::Maintenance> announced_;
  alert::Router router_;
  alert::Dispatcher dispatcher_;
};

}  // namespace lk::app
