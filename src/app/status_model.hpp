#pragma once
// Keeps the web layer's status model current from results, state changes and incidents, and
// publishes it as an immutable snapshot. Each check's view is copy-on-write: publishing shares
// unchanged checks with the previous snapshot, so a snapshot of 100,000 checks costs a vector
// of pointers, and memory holds one copy of each check (two only while a changed check is still
// referenced by an older snapshot).

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "state/engine.hpp"
#include "store/store.hpp"
#include "web/model.hpp"

namespace lk::app {

/// A check's stored history, read from the store's rollups (off the control thread).
struct CheckHistory {
  std::string check;
  std::vector<web::DayBar> days;  ///< days with results, oldest first, at most 90
  struct Hour {
    std::int64_t hour = 0;  ///< hours since the Unix epoch
    std::int64_t count = 0, failures = 0;
  };
  std::vector<Hour> hours;  ///< the last 24 hours with results
};

/// Reads the history of `checks` from the store (runs on any thread; the store is thread-safe).
std::vector<CheckHistory> read_history(store::Store& store, const std::vector<std::string>& checks,
                                       TimePoint now);

class StatusModel final : public web::StatusSource {
 public:
  StatusModel(std::string version, const Clock& clock);

  // Everything below runs on the control thread.

  /// Sets the checks (in config order); checks that stay keep their view and history. The model
  /// and its snapshots point into `config` (and keep it alive) rather than copy it. Returns the
  /// checks whose history has to be loaded.
  std::vector<std::string> set_config(std::shared_ptr<const config::Config> config);
  void on_result(const Result& r);
  void on_state(const state::CheckState& s);
  void on_incident(const Incident& i);
  void set_stats(const web::RuntimeStats& stats);
  /// The status pages and components of the current config (app/site.hpp builds it).
  void set_site(std::shared_ptr<const web::SiteSpec> site);
  /// The status reports the pages show (see StatusSnapshot::reports).
  void set_reports(std::vector<StatusReport> reports);
  /// Which checks are paused at runtime, and which are inside a maintenance window now; views
  /// are copied only for the checks whose flag changes.
  void set_paused(const std::set<std::string, std::less<>>& paused);
  void set_maintenance(const std::set<std::string, std::less<>>& in_maintenance);
  /// Installs history read by read_history(). Until then, a check's bars ignore live results
  /// (the stored rollups will include them).
  void apply_history(std::vector<CheckHistory> history);
  /// Loads open and recent incidents from the store (at startup).
  void load_incidents(store::Store& store);
  /// Publishes a new snapshot if anything changed since the last one and someone has read a
  /// snapshot since the last publication (`force` publishes whenever anything changed).
  void publish(bool force = false);

  /// How a reader on another thread gets a fresh snapshot: runs publish(true) on the control
  /// thread and waits for it (briefly). Set by the runtime.
  void set_refresher(std::function<void()> refresher) { refresher_ = std::move(refresher); }

  /// Thread-safe. Nothing is published while nobody reads: a check's view is only copied
  /// (copy-on-write) when a snapshot holding it has been published, so an unread status model
  /// costs no copies at all. A snapshot older than a second is refreshed on demand.
  std::shared_ptr<const web::StatusSnapshot> snapshot() const override;
  /// Thread-safe and never waits: the published snapshot as it is (see StatusSource).
  std::shared_ptr<const web::StatusSnapshot> latest() const override;

 private:
  /// One hour of the last 24, compact: 100,000 checks keep 24 of these each (counts saturate,
  /// which needs more than one result every 55 ms).
  struct HourSlot {
    std::uint16_t count = 0, failures = 0;
  };
  struct Entry {
    const CheckSpec* spec = nullptr;  ///< in config_
    std::shared_ptr<web::CheckView> view;
    std::array<HourSlot, 24> hours{};  ///< ring indexed by hour % 24, valid up to `latest_hour`
    std::int32_t latest_hour = 0;      ///< hours since the Unix epoch of the newest slot
    bool history_loaded = false;
  };
  /// Moves the ring forward to `hour`, clearing the hours skipped; returns its slot (null for
  /// an hour that has left the ring).
  static HourSlot* hour_slot(Entry& e, std::int32_t hour);
  /// The view of `e`, copied first if a published snapshot still shares it.
  web::CheckView& edit(Entry& e);
  void release_unread_snapshot();
  void update_uptimes(Entry& e, TimePoint now);

  Entry* find(std::string_view check);
  void rebuild_index();

  const Clock& clock_;
  std::shared_ptr<const config::Config> config_;
  web::RuntimeStats stats_;
  std::vector<Entry> entries_;  ///< config order
  /// Name -> entry, open addressing: entry index + 1 (0 = free), compared through the
  /// entries' specs, so repointing them at an identical config keeps it valid.
  std::vector<std::uint32_t> slots_;
  std::map<std::int64_t, Incident> open_incidents_;
  std::vector<Incident> recent_incidents_;  ///< closed, newest first
  bool dirty_ = true;
  std::shared_ptr<const web::SiteSpec> site_;
  std::vector<StatusReport> reports_;
  std::uint64_t generation_ = 0;
  std::uint64_t page_generation_ = 0;
  bool page_changed_ = true;  ///< something the pages show changed since the last generation
  TimePoint page_changed_at_{};

  std::function<void()> refresher_;
  mutable std::atomic<bool> wanted_{false};
  std::atomic<TimePoint::rep> current_as_of_{0};
  TimePoint last_published_{};  ///< when the published snapshot was last current
  mutable std::mutex published_mutex_;
  std::shared_ptr<const web::StatusSnapshot> published_;
};

}  // namespace lk::app
