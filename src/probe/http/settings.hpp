#pragma once
// Settings of an `http` check and how they are read from the config.

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "config/fields.hpp"
#include "core/check.hpp"

namespace lk::probe::http {

struct LeanPlan;

struct Settings final : ProbeSettings {
  std::string url;
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool follow_redirects = true;
  int max_redirects = 10;
  bool verify_tls = true;
  std::string ca_file;
  std::string client_cert;
  std::string client_key;
  std::uint64_t max_body = 1 << 20;  ///< bytes of the body read; the rest is not downloaded
  bool reuse_connection = false;     ///< false: a fresh connection per check (what users see)
  /// The lean client's plan (plain http:// to a literal address; see lean_request.hpp), built on
  /// the first run rather than at load: a reload of 100,000 checks should not pay for it, and
  /// checks that never run keep no plan. Null when the check runs on curl.
  const LeanPlan* lean_plan() const;
  /// Makes the check run on curl (a hand-over after a redirect).
  void disable_lean() { lean_.disabled = true; }

 private:
  /// Copyable lazily-built plan: a copy starts unbuilt (and stays disabled if disabled).
  struct LazyPlan {
    LazyPlan() = default;
    LazyPlan(const LazyPlan& other) : disabled(other.disabled) {}
    LazyPlan& operator=(const LazyPlan& other) {
      disabled = other.disabled;
      plan.reset();
      once = std::make_unique<std::once_flag>();
      return *this;
    }
    std::unique_ptr<std::once_flag> once = std::make_unique<std::once_flag>();
    std::shared_ptr<const LeanPlan> plan;
    bool disabled = false;
  };
  mutable LazyPlan lean_;
};

/// The option table of the http kind (defaults and docs).
std::span<const config::Option> options();

/// Reads the http fields of a check; sets spec.target to the URL.
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);

}  // namespace lk::probe::http
