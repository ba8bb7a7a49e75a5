#pragma once
// The in-memory status model the web layer renders from. Built by app/ from the state engine
// and the store, replaced as a whole (copy-on-write) when something changes, so requests never
// query SQL for the page.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/check.hpp"
#include "core/incident.hpp"
#include "core/result.hpp"
#include "core/status_page.hpp"

namespace lk::web {

/// One day of the 90-day uptime bar.
struct DayBar {
  TimePoint day{};          ///< 00:00 UTC of the day
  std::uint32_t count = 0;  ///< results that day (0 = no data)
  std::uint32_t failures = 0;
  std::uint32_t warnings = 0;
  double uptime() const { return count ? 1.0 - double(failures) / double(count) : 1.0; }
};

/// What has been observed of a check (its configuration is the CheckSpec beside it).
struct CheckView {
  State state = State::pending;
  bool flapping = false;
  std::optional<Status> last_status;
  TimePoint since{};
  std::string message;  ///< last result's message
  std::optional<TimePoint> last_run;
  std::optional<Duration> last_latency;
  PhaseTimings last_timings;
  std::optional<TimePoint> cert_not_after;
  /// Latest latencies in ms, oldest first; NaN = a failed run.
  std::vector<float> sparkline_ms;
  std::vector<DayBar> days;                                             ///< 90 days, oldest first
  std::optional<double> uptime_24h, uptime_7d, uptime_30d, uptime_90d;  ///< fractions 0..1
  std::uint64_t results_ok = 0, results_warn = 0, results_fail = 0, results_unknown = 0;
  std::optional<std::int64_t> open_incident;
  bool paused = false;          ///< paused at runtime (through the API); see also spec->paused
  bool in_maintenance = false;  ///< inside a maintenance window now (config or announced)
};

/// One check of a snapshot: its configuration (owned by the config the snapshot keeps alive,
/// so 100,000 checks are not copied into the model) and what has been observed of it.
struct CheckItem {
  const CheckSpec* spec = nullptr;
  std::shared_ptr<const CheckView> view;
};

/// Figures about the process itself, for /metrics and the page footer.
struct RuntimeStats {
  TimePoint started_at{};
  std::string version;
  std::uint64_t config_reloads = 0;          ///< reloads applied (result="ok" in /metrics)
  std::uint64_t config_reload_failures = 0;  ///< reloads refused; the old config stayed
  std::uint64_t checks_in_flight = 0;
  std::uint64_t checks_started = 0;
  std::uint64_t checks_skipped = 0;  ///< runs skipped because the previous one was still running
  double lateness_p50_ms = 0;        ///< start time minus due time, recent window
  double lateness_p99_ms = 0;
  double lateness_max_ms = 0;
  // /metrics reads these live from Store::stats(); they are here for the page and app/.
  std::uint64_t store_queue_depth = 0;
  std::uint64_t store_results_written = 0;
  double store_last_batch_ms = 0;
  double store_max_batch_ms = 0;

  /// One notifier's deliveries (from the outbox dispatcher): counters since the start, gauges
  /// for now.
  struct Notifier {
    std::string name;
    std::string type;            ///< channel type (webhook, slack, ...); empty when not configured
    std::uint64_t enqueued = 0;  ///< notifications put into the outbox
    std::uint64_t sent = 0;      ///< attempts the receiver accepted
    std::uint64_t retried = 0;   ///< failed attempts with another one scheduled
    std::uint64_t failed = 0;    ///< failed attempts after which the notification was given up
    std::uint64_t queued = 0;    ///< pending in the outbox, in flight included
    std::uint64_t in_flight = 0;
  };
  std::vector<Notifier> notifiers;                ///< by name
  std::uint64_t notification_enqueue_errors = 0;  ///< outbox writes that failed (then retried)
};

/// The checks of a snapshot, in config order. Each view is shared between consecutive snapshots
/// until it changes (copy-on-write), so publishing a snapshot of 100,000 checks copies pointers,
/// not checks. The specs belong to the config the list keeps alive.
class CheckList {
 public:
  using iterator = std::vector<CheckItem>::const_iterator;
  iterator begin() const { return items_.begin(); }
  iterator end() const { return items_.end(); }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void reserve(std::size_t n) { items_.reserve(n); }
  const CheckItem& operator[](std::size_t i) const { return items_[i]; }

  /// Keeps `owner` (the config the specs point into) alive as long as the list.
  void keep_alive(std::shared_ptr<const void> owner) { owners_.push_back(std::move(owner)); }
  /// Adds a check whose spec outlives the list (see keep_alive).
  void push_back(const CheckSpec& spec, std::shared_ptr<const CheckView> view) {
    items_.push_back({&spec, std::move(view)});
  }
  /// Adds a check with its own copy of the spec (tests, builders).
  void push_back(CheckSpec spec, CheckView view) {
    auto owned = std::make_shared<const CheckSpec>(std::move(spec));
    items_.push_back({owned.get(), std::make_shared<const CheckView>(std::move(view))});
    owners_.push_back(std::move(owned));
  }
  /// Mutable access to a view (tests, builders): gives the item its own copy first.
  CheckView& view(std::size_t i) {
    auto copy = std::make_shared<CheckView>(*items_[i].view);
    items_[i].view = copy;
    return *copy;
  }
  /// Mutable access to a spec (tests, builders): gives the item its own copy first.
  CheckSpec& spec(std::size_t i) {
    auto copy = std::make_shared<CheckSpec>(*items_[i].spec);
    items_[i].spec = copy.get();
    owners_.push_back(copy);
    return *copy;
  }

 private:
  std::vector<CheckItem> items_;
  std::vector<std::shared_ptr<const void>> owners_;
};

/// The public side of the config: status pages and the components they show. Shared by the
/// snapshots of one config (replaced on reload).
struct SiteSpec {
  /// At least one page. Without `status_pages` in the config: one page (slug "status") showing
  /// every component.
  std::vector<StatusPageSpec> pages;
  /// Without `components` in the config: one per check (id = check name, group = check group,
  /// rule all), in config order.
  std::vector<ComponentSpec> components;
  std::string public_url;  ///< absolute base URL for feeds and links ("" = relative links only)
  ApiSettings api;         ///< who may use the REST API (tokens are secrets: never render them)

  const StatusPageSpec* page(std::string_view slug) const {
    for (const auto& p : pages)
      if (p.slug == slug) return &p;
    return nullptr;
  }
  const ComponentSpec* component(std::string_view id) const {
    for (const auto& c : components)
      if (c.id == id) return &c;
    return nullptr;
  }
};

struct StatusSnapshot {
  std::string title = "Lightkeeper";
  std::string location = std::string(kLocalLocation);  ///< where this node's checks run from
  TimePoint generated_at{};
  CheckList checks;  ///< in config order
  std::vector<Incident> open_incidents;
  std::vector<Incident> recent_incidents;  ///< latest closed ones, newest first
  RuntimeStats stats;
  std::shared_ptr<const SiteSpec> site;  ///< never null in a published snapshot
  /// Status reports for the pages: every open one, scheduled maintenance, and the closed ones
  /// of the last 90 days (at most 200), newest first. Older ones: Store::status_reports().
  std::vector<StatusReport> reports;
  /// Increases with every published snapshot.
  std::uint64_t generation = 0;
  /// Increases when something the status pages show changed (a state, a report, a pause,
  /// maintenance, the config), and at least once a minute (uptime figures, the day): the key of
  /// the rendered pages' cache. 0: unknown (every snapshot is new to the cache).
  std::uint64_t page_generation = 0;

  const CheckItem* find(std::string_view name) const {
    for (const auto& c : checks)
      if (c.spec->name == name) return &c;
    return nullptr;
  }
};

/// Where the web layer gets the current snapshot. Thread-safe.
class StatusSource {
 public:
  virtual ~StatusSource() = default;
  virtual std::shared_ptr<const StatusSnapshot> snapshot() const = 0;
  /// The latest published snapshot, without waiting for a fresher one (it may be a second
  /// old): for answers that must not block, such as cached pages on the server's event loop.
  virtual std::shared_ptr<const StatusSnapshot> latest() const { return snapshot(); }
};

}  // namespace lk::web
