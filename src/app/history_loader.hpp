#pragma once
// Reads checks' stored history (90-day bars, last 24 hours) on a thread of its own, so that
// neither startup nor a reload waits for SQL over 100,000 checks; the control thread receives
// the history in chunks.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/status_model.hpp"

namespace lk::app {

class HistoryLoader {
 public:
  using Deliver = std::function<void(std::vector<CheckHistory>)>;  ///< called on the loader thread

  HistoryLoader(store::Store& store, const Clock& clock, Deliver deliver);
  ~HistoryLoader();
  HistoryLoader(const HistoryLoader&) = delete;
  HistoryLoader& operator=(const HistoryLoader&) = delete;

  /// Queues checks whose history should be read.
  void request(std::vector<std::string> checks);

 private:
  void run();

  store::Store& store_;
  const Clock& clock_;
  Deliver deliver_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lk::app
