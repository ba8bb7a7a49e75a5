#pragma once
// The in-memory status model the web layer renders from. Built by app/ from the state engine
// and the store, replaced as a whole (copy-on-write) when something changes, so requests never
// query SQL for the page.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/incident.hpp"
#include "core/result.hpp"

namespace lk::web {

/// One day of the 90-day uptime bar.
struct DayBar {
  TimePoint day{};         ///< 00:00 UTC of the day
  std::int64_t count = 0;  ///< results that day (0 = no data)
  std::int64_t failures = 0;
  std::int64_t warnings = 0;
  double uptime() const { return count ? 1.0 - double(failures) / double(count) : 1.0; }
};

struct CheckView {
  std::string name;
  std::string type;
  std::string target;
  std::string group;
  std::string description;
  std::vector<std::string> tags;
  std::string location;
  State state = State::pending;
  TimePoint since{};
  bool flapping = false;
  bool paused = false;
  Duration interval{};
  std::string message;  ///< last result's message
  std::optional<Status> last_status;
  std::optional<TimePoint> last_run;
  std::optional<Duration> last_latency;
  PhaseTimings last_timings;
  std::optional<TimePoint> cert_not_after;
  /// Latest latencies, oldest first; nullopt = a failed run.
  std::vector<std::optional<float>> sparkline_ms;
  std::vector<DayBar> days;                                             ///< 90 days, oldest first
  std::optional<double> uptime_24h, uptime_7d, uptime_30d, uptime_90d;  ///< fractions 0..1
  std::uint64_t results_ok = 0, results_warn = 0, results_fail = 0, results_unknown = 0;
  std::optional<std::int64_t> open_incident;
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
};

/// The checks of a snapshot. Each check is shared between consecutive snapshots until it changes
/// (copy-on-write), so publishing a snapshot of 100,000 checks copies pointers, not checks.
/// Iterating yields `const CheckView&`.
class CheckList {
 public:
  using Ptr = std::shared_ptr<const CheckView>;
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = CheckView;
    using difference_type = std::ptrdiff_t;
    using pointer = const CheckView*;
    using reference = const CheckView&;
    iterator() = default;
    explicit iterator(std::vector<Ptr>::const_iterator it) : it_(it) {}
    const CheckView& operator*() const { return **it_; }
    const CheckView* operator->() const { return it_->get(); }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    iterator operator++(int) {
      auto old = *this;
      ++it_;
      return old;
    }
    bool operator==(const iterator& o) const { return it_ == o.it_; }

   private:
    std::vector<Ptr>::const_iterator it_;
  };

  iterator begin() const { return iterator(items_.begin()); }
  iterator end() const { return iterator(items_.end()); }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void reserve(std::size_t n) { items_.reserve(n); }
  void push_back(Ptr p) { items_.push_back(std::move(p)); }
  void push_back(CheckView v) { items_.push_back(std::make_shared<CheckView>(std::move(v))); }
  const CheckView& operator[](std::size_t i) const { return *items_[i]; }
  /// Mutable access (tests, builders): copies the check first if another snapshot shares it.
  CheckView& operator[](std::size_t i) {
    if (items_[i].use_count() > 1) items_[i] = std::make_shared<CheckView>(*items_[i]);
    // Every element was created as a non-const CheckView, so this cast is well-defined.
    return const_cast<CheckView&>(*items_[i]);
  }

 private:
  std::vector<Ptr> items_;
};

struct StatusSnapshot {
  std::string title = "Lightkeeper";
  TimePoint generated_at{};
  CheckList checks;  ///< in config order
  std::vector<Incident> open_incidents;
  std::vector<Incident> recent_incidents;  ///< latest closed ones, newest first
  RuntimeStats stats;

  const CheckView* find(std::string_view name) const {
    for (const auto& c : checks)
      if (c.name == name) return &c;
    return nullptr;
  }
};

/// Where the web layer gets the current snapshot. Thread-safe.
class StatusSource {
 public:
  virtual ~StatusSource() = default;
  virtual std::shared_ptr<const StatusSnapshot> snapshot() const = 0;
};

}  // namespace lk::web
