#pragma once
// The part of a configured check that every probe kind sees.

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

  template <class T>
  const T& settings_as() const {
    return static_cast<const T&>(*settings);
  }
};

}  // namespace lk
