#include <spdlog/spdlog.h>

#include <iostream>

#include "app/commands.hpp"
#include "app/demo_targets.hpp"
#include "app/kinds.hpp"
#include "app/ping_tokens.hpp"
#include "app/runtime.hpp"
#include "state/heartbeat/settings.hpp"

namespace lk::app {

namespace {

/// Startup failures (the store cannot be opened, the address is taken) end the process with a
/// message instead of an uncaught exception.
int run_until_stopped(Runtime& runtime) {
  try {
    return runtime.run();
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}", e.what());
    return 2;
  }
}

}  // namespace

int serve_command(const std::string& path) {
  SystemClock clock;
  RuntimeOptions options;
  options.config_path = path;
  Runtime runtime(options, clock);
  if (!runtime.load()) return 2;
  return run_until_stopped(runtime);
}

int demo_command(const DemoOptions& o) {
  SystemClock clock;
  DemoTargets targets(clock);
  auto ports = targets.start();
  RuntimeOptions options;
  options.config_text = demo_config(ports, o.listen, o.storage, o.interval);
  Runtime runtime(options, clock);
  if (!runtime.load()) return 2;
  std::cerr
      << "Lightkeeper demo: open http://" << o.listen
      << "/ -- targets fail and recover on a schedule; an incident opens within about a minute.\n"
         "Alerts go to ana, ben and cleo (a daily on-call rotation in pairs) and are printed as "
         "\"demo inbox\" lines with their ack links; `lightkeeper ctl --server http://"
      << o.listen << " ack CHECK` acknowledges.\n";
  return run_until_stopped(runtime);
}

int config_validate_command(const std::string& path) {
  auto kinds = kind_parsers();
  auto loaded = config::load_file(path, kinds, config::process_environment());
  for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
  if (!loaded.config) {
    std::cerr << path << ": " << loaded.errors.size() << " error(s)\n";
    return 1;
  }
  std::cout << path << ": ok, " << loaded.config->checks.size() << " check(s)\n";
  return 0;
}

namespace {

void print_ping_url(const config::Config& c, const config::Check& check, std::string_view secret) {
  const auto& settings = check.spec.settings_as<state::heartbeat::Settings>();
  if (settings.token.empty() && secret.empty()) return;
  std::string base = c.public_url.empty() ? "http://" + c.listen : c.public_url;
  while (base.ends_with('/')) base.pop_back();
  std::cout << "    ping_url: " << base << "/ping/" << ping_token_of(check, secret) << "\n";
}

}  // namespace

int config_print_command(const std::string& path) {
  auto kinds = kind_parsers();
  auto loaded = config::load_file(path, kinds, config::process_environment());
  for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
  if (!loaded.config) return 1;
  const auto& c = *loaded.config;
  // The operator asks for the ping URLs here, so their secret tokens are printed.
  std::string secret;
  if (needs_ping_secret(c)) {
    try {
      secret = load_or_create_ping_secret(c.storage);
    } catch (const std::exception& e) {
      std::cerr << "heartbeat ping URLs unavailable: " << e.what() << "\n";
    }
  }
  std::cout << "listen: " << c.listen << "\nstorage: " << c.storage << "\nlocation: " << c.location
            << "\ntitle: " << c.title << "\nlog_level: " << c.log_level
            << "\nraw_retention: " << format_duration(c.raw_retention)
            << "\nflush_interval: " << format_duration(c.flush_interval)
            << "\nmax_concurrency: " << c.max_concurrency << "\nchecks:\n";
  for (const auto& check : c.checks) {
    std::cout << "  - name: " << check.spec.name << "\n    type: " << check.spec.type
              << "\n    target: " << check.spec.target
              << "\n    interval: " << format_duration(check.spec.interval)
              << "\n    timeout: " << format_duration(check.spec.timeout)
              << "\n    failure_threshold: " << check.failure_threshold
              << "\n    recovery_threshold: " << check.recovery_threshold << "\n";
    if (check.spec.type == "heartbeat") print_ping_url(c, check, secret);
    if (!check.expect.empty()) {
      std::cout << "    expect:\n";
      for (const auto& e : check.expect) std::cout << "      - " << e.text() << "\n";
    }
    if (!check.warn.empty()) {
      std::cout << "    warn:\n";
      for (const auto& e : check.warn) std::cout << "      - " << e.text() << "\n";
    }
  }
  return 0;
}

int config_docs_command() {
  auto kinds = kind_parsers();
  std::cout << config::options_markdown(kinds);
  return 0;
}

}  // namespace lk::app
