#pragma once
// Shared by the config tests: fake probe kinds, a fake environment and a scratch directory.

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace lk::config::testing {

struct FakeHttpSettings final : ProbeSettings {
  std::string url;
  std::string method;
};

struct FakeTcpSettings final : ProbeSettings {
  std::string target;
};

inline constexpr Option kFakeHttpOptions[] = {
    {"url", "string", "", "URL to fetch.", true},
    {"method", "string", "GET", "HTTP method."},
};

inline constexpr Option kFakeTcpOptions[] = {
    {"target", "string", "", "host:port to connect to.", true},
};

/// "http" and "tcp" kinds with small option tables, standing in for the real probes.
inline std::vector<ProbeKindParser> fake_kinds() {
  return {
      {"http", kFakeHttpOptions,
       [](Fields& fields, CheckSpec& spec) -> std::shared_ptr<const ProbeSettings> {
         auto settings = std::make_shared<FakeHttpSettings>();
         settings->url = fields.string("url");
         settings->method = fields.string("method");
         spec.target = settings->url;
         return settings;
       }},
      {"tcp", kFakeTcpOptions,
       [](Fields& fields, CheckSpec& spec) -> std::shared_ptr<const ProbeSettings> {
         auto settings = std::make_shared<FakeTcpSettings>();
         settings->target = fields.string("target");
         spec.target = settings->target;
         return settings;
       }},
  };
}

/// An environment holding exactly these variables.
inline EnvLookup fake_env(std::map<std::string, std::string> variables = {}) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    auto it = variables.find(std::string(name));
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

/// A fresh directory under the system temp directory, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("lk-config-test-" + std::to_string(random()) + "-" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// Writes `text` to `relative` (creating directories) and returns the file's full path.
  std::string write(const std::string& relative, const std::string& text) const {
    std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

/// Every error as `file:line:col: path: message`, for exact comparisons.
inline std::vector<std::string> error_lines(const LoadResult& result) {
  std::vector<std::string> lines;
  for (const Error& e : result.errors) lines.push_back(e.to_string());
  return lines;
}

}  // namespace lk::config::testing
