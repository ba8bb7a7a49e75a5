#pragma once
// Settings of an `http` check and how they are read from the config.

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
  /// Set when the check can run on the lean client (plain http:// to a literal address); built
  /// once here so that a run only copies pre-rendered request bytes. See lean_request.hpp.
  std::shared_ptr<const LeanPlan> lean;
};

/// The option table of the http kind (defaults and docs).
std::span<const config::Option> options();

/// Reads the http fields of a check; sets spec.target to the URL.
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);

}  // namespace lk::probe::http
