#pragma once
// Loopback targets for `lightkeeper demo` that fail and recover on a schedule, so a newcomer
// sees soft failures, incidents opening and closing, warnings and timeouts within minutes.

#include <cstdint>
#include <memory>
#include <string>

#include "core/time.hpp"

namespace lk::app {

struct DemoPorts {
  std::uint16_t website = 0, api = 0, checkout = 0, search = 0, cdn = 0, database = 0;
  std::uint16_t inbox = 0;  ///< receives the demo's alerts (webhooks) and prints them
};

class DemoTargets {
 public:
  explicit DemoTargets(const Clock& clock);
  ~DemoTargets();
  /// Binds every target on 127.0.0.1 (free ports) and starts serving on a thread of its own.
  DemoPorts start();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The demo's config, pointing at the targets.
std::string demo_config(const DemoPorts& ports, const std::string& listen,
                        const std::string& storage, const std::string& interval);

}  // namespace lk::app
