#pragma once
// What a configured check is: its identity and description (shared by the probes, the status
// model and the web layer, which point at it rather than copy it) and its probe settings.

#include <memory>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace lk {

/// Settings owned by one probe kind (http, tcp, ...). Each kind derives its own struct and
/// parses it from the config; the probe downcasts to its own type.
struct ProbeSettings {
  virtual ~ProbeSettings() = default;
};

struct CheckSpec {
  std::string name;    ///< unique, stable identity (used as the key in the store)
  std::string type;    ///< probe kind: "http", "tcp", ...
  std::string target;  ///< human description of what is checked, e.g. the URL
  Duration interval{std::chrono::seconds{60}};
  Duration timeout{std::chrono::seconds{10}};
  std::shared_ptr<const ProbeSettings> settings;
  std::string group;        ///< heading on the status page
  std::string description;  ///< shown on the status page
  std::vector<std::string> tags;
  bool paused = false;  ///< configured but not run

  template <class T>
  const T& settings_as() const {
    return static_cast<const T&>(*settings);
  }
};

}  // namespace lk
