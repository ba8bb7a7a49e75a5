#pragma once
// One event-loop thread ("shard") with its own scheduler and probe instances (one curl multi
// each). A check lives on one shard; nothing on the probe path takes a lock.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/kinds.hpp"
#include "config/config.hpp"
#include "schedule/scheduler.hpp"

namespace lk::app {

struct ShardStats {
  std::uint64_t in_flight = 0, started = 0, skipped = 0;
  schedule::LatenessStats lateness;
};

class Shard {
 public:
  /// Receives results in batches (a few milliseconds' worth), on the shard's thread: one
  /// cross-thread hand-off per batch instead of a wake-up of the control thread per result.
  using ResultHandler = std::function<void(std::vector<Result>)>;

  Shard(std::size_t index, const Clock& clock, MonoTime grid_anchor, std::size_t max_in_flight,
        std::string location, ResultHandler on_result);
  ~Shard();
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  void start();
  /// Stops the thread; runs in flight are abandoned.
  void stop();

  /// Thread-safe: adds or replaces checks (a replaced check restarts on its grid, with no early
  /// run), removes checks by name, and rebinds unchanged checks to their objects in a newer
  /// config snapshot without touching their schedule (so the old snapshot can be freed).
  void update(std::vector<std::shared_ptr<const config::Check>> upsert,
              std::vector<std::string> remove,
              std::vector<std::shared_ptr<const config::Check>> rebind = {});

  ShardStats stats() const;

 private:
  void apply_update(std::vector<std::shared_ptr<const config::Check>> upsert,
                    std::vector<std::string> remove,
                    std::vector<std::shared_ptr<const config::Check>> rebind);
  void on_timer();
  void rearm();
  void launch(const schedule::Start& start);
  void deliver(Result r);
  void flush_results();
  probe::Probe* probe_for(std::string_view type);

  std::size_t index_;
  const Clock& clock_;
  MonoTime grid_anchor_;
  std::string location_;
  ResultHandler on_result_;
  boost::asio::io_context io_;
  boost::asio::steady_timer timer_;
  MonoTime timer_at_ = MonoTime::max();
  MonoTime next_stats_at_{};
  schedule::Scheduler scheduler_;
  std::vector<std::shared_ptr<const config::Check>> checks_;  ///< by slot
  std::vector<schedule::Slot> free_slots_;
  std::unordered_map<std::string, schedule::Slot> slot_of_;
  std::map<std::string, std::unique_ptr<probe::Probe>, std::less<>> probes_;
  std::vector<schedule::Start> due_;
  std::vector<Result> outbox_;  ///< results not yet handed to the control thread
  boost::asio::steady_timer outbox_timer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex stats_mutex_;  // guards stats_ (written by the shard, read by the control)
  ShardStats stats_;
};

}  // namespace lk::app
