#pragma once
// Heartbeats in the running monitor: the ping URLs' tokens, pings from the web threads handed
// to the control thread, the monitor's memory recovered from the store after a restart, and
// the monitor's results fed to the same path as probe results.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "state/engine.hpp"
#include "state/heartbeat/monitor.hpp"
#include "store/store.hpp"
#include "web/ping.hpp"

namespace lk::app {

class Heartbeats final : public web::PingSink {
 public:
  /// Runs `task` on the control thread (never blocks).
  using Post = std::function<void(std::function<void()> task)>;
  /// Takes a heartbeat result on the control thread (state engine, model, store).
  using Deliver = std::function<void(Result)>;

  Heartbeats(const Clock& clock, store::Store& store, std::string location, Post post,
             Deliver deliver);

  /// Control thread: takes the heartbeats of `config` (at start and on every reload). Ones not
  /// tracked yet recall their last ping from the store; `engine` says since when a check that
  /// never pinged has existed. Throws std::runtime_error when the instance secret cannot be
  /// read or created.
  void configure(const config::Config& config, const state::StateEngine& engine);

  /// Control thread: delivers a result for each deadline passed.
  void tick();

  /// Web threads: looks the token up and hands the ping to the control thread.
  bool ping(std::string_view token, web::PingSignal signal, std::string_view body) override;

 private:
  state::heartbeat::Memory recall(const state::heartbeat::Expectation& e,
                                  const state::StateEngine& engine);

  const Clock& clock_;
  store::Store& store_;
  Post post_;
  Deliver deliver_;
  state::heartbeat::Monitor monitor_;  ///< control thread only
  std::string secret_;                 ///< read once, when a derived token is first needed
  std::mutex tokens_mutex_;
  std::unordered_map<std::string, std::string> tokens_;  ///< token -> check; under the mutex
};

}  // namespace lk::app
