#include "app/shard.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "app/runner.hpp"

namespace lk::app {

namespace asio = boost::asio;

Shard::Shard(std::size_t index, const Clock& clock, MonoTime grid_anchor, std::size_t max_in_flight,
             std::string location, ResultHandler on_result)
    : index_(index),
      clock_(clock),
      grid_anchor_(grid_anchor),
      location_(std::move(location)),
      on_result_(std::move(on_result)),
      io_(1),
      timer_(io_),
      scheduler_(max_in_flight),
      outbox_timer_(io_) {}

Shard::~Shard() {
  stop();
}

void Shard::start() {
  thread_ = std::thread([this] {
    auto guard = asio::make_work_guard(io_);
    io_.run();
  });
}

void Shard::stop() {
  if (stopping_.exchange(true)) return;
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void Shard::update(std::vector<std::shared_ptr<const config::Check>> upsert,
                   std::vector<std::string> remove,
                   std::vector<std::shared_ptr<const config::Check>> rebind) {
  if (upsert.empty() && remove.empty() && rebind.empty()) return;
  asio::post(io_, [this, upsert = std::move(upsert), remove = std::move(remove),
                   rebind = std::move(rebind)]() mutable {
    apply_update(std::move(upsert), std::move(remove), std::move(rebind));
  });
}

void Shard::apply_update(std::vector<std::shared_ptr<const config::Check>> upsert,
                         std::vector<std::string> remove,
                         std::vector<std::shared_ptr<const config::Check>> rebind) {
  for (auto& check : rebind) {
    // Same definition, newer snapshot: swap the object, keep the slot and its schedule. A run
    // in flight keeps the old object alive through its own pointer.
    if (auto it = slot_of_.find(check->spec.name); it != slot_of_.end())
      checks_[it->second] = std::move(check);
  }
  for (const auto& name : remove) {
    auto it = slot_of_.find(name);
    if (it == slot_of_.end()) continue;
    scheduler_.remove(it->second);
    checks_[it->second].reset();
    free_slots_.push_back(it->second);
    slot_of_.erase(it);
  }
  const MonoTime now = clock_.mono_now();
  for (auto& check : upsert) {
    schedule::Slot slot;
    if (auto it = slot_of_.find(check->spec.name); it != slot_of_.end()) {
      slot = it->second;
    } else if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
      slot_of_[check->spec.name] = slot;
    } else {
      slot = static_cast<schedule::Slot>(checks_.size());
      checks_.emplace_back();
      slot_of_[check->spec.name] = slot;
    }
    const auto interval = check->spec.interval;
    auto first_due = schedule::next_on_grid(
        grid_anchor_, schedule::phase_of(check->spec.name, interval), interval, now);
    checks_[slot] = std::move(check);
    if (checks_[slot]->spec.paused) {
      scheduler_.remove(slot);
    } else {
      scheduler_.add(slot, interval, first_due);
    }
  }
  rearm();
}

probe::Probe* Shard::probe_for(std::string_view type) {
  if (auto it = probes_.find(type); it != probes_.end()) return it->second.get();
  const ProbeKind* kind = find_kind(type);
  if (!kind) return nullptr;
  auto [it, _] = probes_.emplace(std::string(type), kind->make(io_, clock_));
  return it->second.get();
}

void Shard::rearm() {
  auto next = scheduler_.next_wakeup();
  if (!next) return;
  if (*next >= timer_at_) return;  // an earlier wake-up is already armed
  timer_at_ = *next;
  timer_.expires_at(*next);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    timer_at_ = MonoTime::max();
    on_timer();
  });
}

void Shard::on_timer() {
  due_.clear();
  scheduler_.poll(clock_.mono_now(), due_);
  for (const auto& start : due_) launch(start);
  const MonoTime now = clock_.mono_now();
  if (now >= next_stats_at_) {
    // Percentiles sort a window of samples: refresh them once a second, not per wake-up.
    next_stats_at_ = now + std::chrono::seconds{1};
    auto lateness = scheduler_.lateness();
    std::lock_guard lock(stats_mutex_);
    stats_.in_flight = scheduler_.in_flight();
    stats_.started = scheduler_.started();
    stats_.skipped = scheduler_.skipped();
    stats_.lateness = lateness;
  }
  rearm();
}

void Shard::launch(const schedule::Start& start) {
  std::shared_ptr<const config::Check> check = checks_[start.slot];
  probe::Probe* probe = check ? probe_for(check->spec.type) : nullptr;
  if (!probe) {
    scheduler_.finished(start.slot);
    return;
  }
  asio::co_spawn(
      io_,
      [this, probe, check, slot = start.slot]() -> asio::awaitable<void> {
        Result result;
        try {
          CheckRun run = co_await run_check(*probe, *check, location_, clock_);
          result = std::move(run.result);
        } catch (const std::exception& e) {
          // A probe must not throw; if one does, the check reports it instead of stalling.
          result.check = check->spec.name;
          result.location = location_;
          result.started_at = clock_.now();
          result.status = Status::unknown;
          result.message =
              std::string("internal error in the ") + check->spec.type + " probe: " + e.what();
          spdlog::error("check {}: {}", check->spec.name, result.message);
        }
        deliver(std::move(result));
        scheduler_.finished(slot);
        rearm();
      },
      [this](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          spdlog::error("shard {}: check run failed unexpectedly: {}", index_, ex.what());
        }
      });
}

void Shard::deliver(Result r) {
  constexpr std::size_t kMaxBatch = 256;
  constexpr auto kMaxDelay = std::chrono::milliseconds(5);
  outbox_.push_back(std::move(r));
  if (outbox_.size() >= kMaxBatch) {
    flush_results();
  } else if (outbox_.size() == 1) {
    outbox_timer_.expires_after(kMaxDelay);
    outbox_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) flush_results();
    });
  }
}

void Shard::flush_results() {
  if (outbox_.empty()) return;
  outbox_timer_.cancel();
  std::vector<Result> batch;
  batch.reserve(outbox_.capacity());
  batch.swap(outbox_);
  on_result_(std::move(batch));
}

ShardStats Shard::stats() const {
  std::lock_guard lock(stats_mutex_);
  ShardStats s = stats_;
  return s;
}

}  // namespace lk::app
