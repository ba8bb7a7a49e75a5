#include <yaml-cpp/yaml.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/commands.hpp"
#include "app/kinds.hpp"
#include "app/runner.hpp"
#include "app/waterfall.hpp"

namespace lk::app {

namespace {

/// Builds a one-check config from the command line, so `check` validates exactly like `serve`.
std::string one_check_yaml(const CheckCommandOptions& o, const ProbeKind& kind,
                           std::string_view rest, const probe::UrlFields* fields) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "checks" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << "cli";
  out << YAML::Key << "type" << YAML::Value << std::string(kind.type);
  if (fields) {
    for (const auto& [key, value] : fields->scalars)
      out << YAML::Key << key << YAML::Value << value;
    for (const auto& [key, values] : fields->lists) {
      out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (const auto& v : values) out << v;
      out << YAML::EndSeq;
    }
  } else {
    out << YAML::Key << std::string(kind.url_field) << YAML::Value
        << (kind.authority_only ? std::string(rest) : o.spec);
  }
  out << YAML::Key << "timeout" << YAML::Value << o.timeout;
  out << YAML::Key << "interval" << YAML::Value << "1w";
  out << YAML::Key << "failure_threshold" << YAML::Value << 1;
  if (!o.expect.empty()) out << YAML::Key << "expect" << YAML::Value << o.expect;
  if (!o.warn.empty()) out << YAML::Key << "warn" << YAML::Value << o.warn;
  if (kind.type == "http") {
    if (!o.method.empty()) out << YAML::Key << "method" << YAML::Value << o.method;
    if (!o.body.empty()) out << YAML::Key << "body" << YAML::Value << o.body;
    if (!o.ca_file.empty()) out << YAML::Key << "ca_file" << YAML::Value << o.ca_file;
    if (o.insecure) out << YAML::Key << "verify_tls" << YAML::Value << false;
    if (o.no_redirects) out << YAML::Key << "follow_redirects" << YAML::Value << false;
    if (!o.headers.empty()) {
      out << YAML::Key << "headers" << YAML::Value << YAML::BeginMap;
      for (const auto& h : o.headers) {
        auto colon = h.find(':');
        std::string name = h.substr(0, colon);
        std::string value = colon == std::string::npos ? "" : h.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        out << YAML::Key << name << YAML::Value << value;
      }
      out << YAML::EndMap;
    }
  }
  out << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  return out.c_str();
}

constexpr std::string_view kNagiosWords[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

}  // namespace

int check_command(const CheckCommandOptions& o) {
  auto scheme_end = o.spec.find("://");
  if (scheme_end == std::string::npos) {
    std::cout << "UNKNOWN - \"" << o.spec
              << "\" is not a check; write e.g. https://host/path or tcp://host:port\n";
    return 3;
  }
  std::string scheme = o.spec.substr(0, scheme_end);
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view rest = std::string_view(o.spec).substr(scheme_end + 3);
  if (auto slash = rest.find('/'); slash != std::string_view::npos) rest = rest.substr(0, slash);
  const ProbeKind* kind = nullptr;
  for (const auto& k : probe_kinds())
    for (auto s : k.schemes)
      if (s == scheme) kind = &k;
  if (!kind) {
    std::string known;
    for (const auto& k : probe_kinds())
      for (auto s : k.schemes) known += (known.empty() ? "" : ", ") + std::string(s) + "://";
    std::cout << "UNKNOWN - no check kind for " << scheme << "://; known: " << known << "\n";
    return 3;
  }

  std::optional<probe::UrlFields> fields;
  if (kind->from_url) {
    fields = kind->from_url(o.spec);
    if (!fields->error.empty()) {
      std::cout << "UNKNOWN - " << fields->error << "\n";
      return 3;
    }
  }
  auto kinds = kind_parsers();
  auto loaded = config::load_string(one_check_yaml(o, *kind, rest, fields ? &*fields : nullptr),
                                    "command line", kinds, config::process_environment());
  if (!loaded.config) {
    std::cout << "UNKNOWN - invalid check\n";
    for (const auto& e : loaded.errors) std::cout << "  " << e.path << ": " << e.message << "\n";
    return 3;
  }
  const config::Check& check = loaded.config->checks.front();

  SystemClock clock;
  boost::asio::io_context io;
  auto probe = kind->make(io, clock);
  CheckRun run;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        run = co_await run_check(*probe, check, kLocalLocation, clock);
      },
      boost::asio::detached);
  io.run();

  const Result& r = run.result;
  if (o.json) {
    std::cout << result_json(r, run.observation).dump(2) << "\n";
  } else {
    std::cout << kNagiosWords[exit_code(r.status)] << " - " << r.message << "\n";
    print_waterfall(std::cout, check.spec.target, run.observation, clock.now());
  }
  return exit_code(r.status);
}

}  // namespace lk::app
