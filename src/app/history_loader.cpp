#include "app/history_loader.hpp"

namespace lk::app {

namespace {
constexpr std::size_t kChunk = 256;  // checks per delivery: keeps the control thread responsive
}

HistoryLoader::HistoryLoader(store::Store& store, const Clock& clock, Deliver deliver)
    : store_(store), clock_(clock), deliver_(std::move(deliver)), thread_([this] { run(); }) {}

HistoryLoader::~HistoryLoader() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void HistoryLoader::request(std::vector<std::string> checks) {
  if (checks.empty()) return;
  {
    std::lock_guard lock(mutex_);
    for (auto& c : checks) pending_.push_back(std::move(c));
  }
  wake_.notify_all();
}

void HistoryLoader::run() {
  for (;;) {
    std::vector<std::string> chunk;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (stopping_) return;
      while (!pending_.empty() && chunk.size() < kChunk) {
        chunk.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
    }
    deliver_(read_history(store_, chunk, clock_.now()));
  }
}

}  // namespace lk::app
