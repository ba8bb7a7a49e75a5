#pragma once
// Keeps the web layer's status model current from results, state changes and rollups, and
// publishes it as an immutable snapshot (copy-on-write) at most a few times a second.

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "config/config.hpp"
#include "state/engine.hpp"
#include "store/store.hpp"
#include "web/model.hpp"

namespace lk::app {

class StatusModel final : public web::StatusSource {
 public:
  StatusModel(std::string version, const Clock& clock);

  // All of these run on the control thread.
  void set_config(const config::Config& config);
  void on_result(const Result& r);
  void on_state(const state::CheckState& s);
  void on_incident(const Incident& i);
  void set_stats(const web::RuntimeStats& stats);
  /// Reloads the 90-day bars and uptime figures of every check from the store's rollups.
  void refresh_history(store::Store& store);
  /// Loads open and recent incidents from the store (at startup).
  void load_incidents(store::Store& store);
  /// Publishes a new snapshot if anything changed since the last one.
  void publish();

  std::shared_ptr<const web::StatusSnapshot> snapshot() const override;

 private:
  struct Entry {
    web::CheckView view;
    std::deque<std::optional<double>> sparkline;
  };

  const Clock& clock_;
  std::string title_;
  web::RuntimeStats stats_;
  std::vector<std::string> order_;  ///< config order
  std::unordered_map<std::string, Entry> entries_;
  std::map<std::int64_t, Incident> open_incidents_;
  std::deque<Incident> recent_incidents_;  ///< closed, newest first
  bool dirty_ = true;

  mutable std::mutex published_mutex_;
  std::shared_ptr<const web::StatusSnapshot> published_;
};

}  // namespace lk::app
