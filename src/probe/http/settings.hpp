#pragma once
// Settings of an `http` check and how they are read from the config.

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "config/fields.hpp"
#include "core/check.hpp"

namespace lk::probe::http {

struct LeanPlan;

/// One check's settings. A configuration holds one per http check, up to 100,000 of them, so what
/// few checks set lives out of line and the lean plan is built on first use.
struct Settings final : ProbeSettings {
  using Headers = std::vector<std::pair<std::string, std::string>>;

  /// The options that few checks set: a plain GET check keeps none and does not pay for them.
  struct Extras {
    Headers headers;
    std::string body;
    std::string ca_file;
    std::string client_cert;
    std::string client_key;
  };

  std::string url;
  std::string method = "GET";
  std::uint64_t max_body = 1 << 20;  ///< bytes of the body read; the rest is not downloaded
  int max_redirects = 10;
  bool follow_redirects = true;
  bool verify_tls = true;
  bool reuse_connection = false;  ///< false: a fresh connection per check (what users see)

  /// Request headers, in config order (empty when none are set).
  const Headers& headers() const { return extras().headers; }
  /// Request body (empty when none is set).
  const std::string& body() const { return extras().body; }
  /// PEM file of CA certificates to trust instead of the system's (empty: the system's).
  const std::string& ca_file() const { return extras().ca_file; }
  /// PEM client certificate and key for mutual TLS (empty when not set).
  const std::string& client_cert() const { return extras().client_cert; }
  const std::string& client_key() const { return extras().client_key; }
  /// The rarely-set options; an empty set when none is set.
  const Extras& extras() const { return extras_.ptr ? *extras_.ptr : kNoExtras; }
  /// The rarely-set options, to change them (allocated on the first call).
  Extras& edit_extras();

  /// The lean client's plan (plain http:// to a literal address; see lean_request.hpp), built on
  /// the first call rather than at load: a reload of 100,000 checks should not pay for it, and
  /// checks that never run keep no plan. Thread-safe. Null when the check runs on curl.
  const LeanPlan* lean_plan() const;
  /// Makes the check run on curl (a hand-over after a redirect). Not while others run the check.
  void disable_lean() { lean_disabled_ = true; }

 private:
  /// Owns the extras, if any; a copy of the settings gets its own copy of them.
  struct OwnedExtras {
    OwnedExtras() = default;
    OwnedExtras(const OwnedExtras& other)
        : ptr(other.ptr ? std::make_unique<Extras>(*other.ptr) : nullptr) {}
    OwnedExtras(OwnedExtras&&) noexcept = default;
    OwnedExtras& operator=(const OwnedExtras& other) {
      if (this != &other) ptr = other.ptr ? std::make_unique<Extras>(*other.ptr) : nullptr;
      return *this;
    }
    OwnedExtras& operator=(OwnedExtras&&) noexcept = default;
    ~OwnedExtras() = default;

    std::unique_ptr<Extras> ptr;
  };

  /// The lean plan, built by the first lean_plan() and freed with the settings: one pointer, and
  /// no allocation until then. No lock either: when two threads build it at once, the plan stored
  /// first wins and the other is freed. A copy (or move) starts unbuilt, as its fields may change.
  class LazyPlan {
   public:
    LazyPlan() = default;
    LazyPlan(const LazyPlan&) noexcept {}
    LazyPlan& operator=(const LazyPlan& other) noexcept;
    ~LazyPlan();

    /// The plan for `s`, built on the first call; null when `s` is not a lean check.
    const LeanPlan* get(const Settings& s) const;

   private:
    void reset() noexcept;

    /// Null until built; then the plan or a sentinel for "not a lean check".
    mutable std::atomic<const LeanPlan*> plan_{nullptr};
  };

  static const Extras kNoExtras;

  bool lean_disabled_ = false;  // next to the public flags: fills their padding
  OwnedExtras extras_;          ///< null when none of the extras is set
  LazyPlan lean_;
};

/// The option table of the http kind (defaults and docs).
std::span<const config::Option> options();

/// Reads the http fields of a check; sets spec.target to the URL.
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);

}  // namespace lk::probe::http
