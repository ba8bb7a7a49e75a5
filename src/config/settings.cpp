#include "config/settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "config/text.hpp"

namespace lk::config {

namespace {

constexpr std::array<std::string_view, 5> kLogLevels = {"trace", "debug", "info", "warn", "error"};
// The store batches writes; a longer period would delay what the status page shows.
constexpr Duration kMaxFlushInterval = std::chrono::seconds{1};

std::optional<std::string> listen_problem(std::string_view listen) {
  const std::string expected = "expected host:port like 127.0.0.1:8080, got " + in_quotes(listen);
  std::size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return expected;
  std::string_view host = listen.substr(0, colon);
  std::string_view port = listen.substr(colon + 1);
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) return expected;
  } else if (host.find(':') != std::string_view::npos) {
    return "write an IPv6 address in brackets, like [::1]:8080, got " + in_quotes(listen);
  }
  auto number = parse_integer(port);
  if (!number || port.front() == '+' || port.front() == '-') {
    return "expected a port number after the ':', got " + in_quotes(listen);
  }
  if (*number > 65535) return "port must be between 0 and 65535, got " + std::to_string(*number);
  return std::nullopt;
}

bool is_location_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

std::string resolve_storage(const std::string& storage, const std::filesystem::path& config_dir) {
  // Not a file path (":memory:", or a database URL for the PostgreSQL store): keep it as is.
  if (storage.empty() || storage.front() == ':' || storage.find("://") != std::string::npos) {
    return storage;
  }
  std::filesystem::path path(storage);
  if (path.is_absolute()) return path.lexically_normal().string();
  return (config_dir / path).lexically_normal().string();
}

}  // namespace

void read_settings(YamlFields& top, const std::filesystem::path& config_dir, Config& config) {
  config.listen = top.string("listen");
  if (auto problem = listen_problem(config.listen)) top.error("listen", *problem);

  config.storage = resolve_storage(top.string("storage"), config_dir);
  if (config.storage.empty()) top.error("storage", "must not be empty");

  config.location = top.string("location");
  if (!is_location_name(config.location)) {
    top.error("location", "may contain only letters, digits, '.', '_' and '-', got " +
                              in_quotes(config.location));
  }

  config.title = top.string("title");
  config.public_url = top.string("public_url");
  if (!config.public_url.empty() && config.public_url.rfind("http://", 0) != 0 &&
      config.public_url.rfind("https://", 0) != 0) {
    top.error("public_url", "expected a URL starting with http:// or https://, got " +
                                in_quotes(config.public_url));
  }

  config.log_level = top.string("log_level");
  if (std::find(kLogLevels.begin(), kLogLevels.end(), config.log_level) == kLogLevels.end()) {
    top.error("log_level", "expected one of trace, debug, info, warn, error, got " +
                               in_quotes(config.log_level));
  }

  config.raw_retention = top.duration("raw_retention");
  if (config.raw_retention <= Duration::zero()) top.error("raw_retention", "must be more than 0s");

  config.flush_interval = top.duration("flush_interval");
  if (config.flush_interval <= Duration::zero() || config.flush_interval > kMaxFlushInterval) {
    top.error("flush_interval", "must be more than 0s and at most " +
                                    format_duration(kMaxFlushInterval) + ", got " +
                                    format_duration(config.flush_interval));
  }

  config.max_concurrency = static_cast<int>(top.integer("max_concurrency", 1, 1'000'000));
}

}  // namespace lk::config
