// The alerting sections of the main config file: what a valid setup yields, and how every
// mistake in it is reported (at its path and position, all at once).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "alert/notify/slack/slack.hpp"
#include "alert/notify/webhook/webhook.hpp"
#include "config/config.hpp"
#include "support.hpp"

namespace lk::config {
namespace {

using ::testing::ElementsAre;
using testing::error_lines;
using testing::fake_env;
using testing::fake_kinds;
using ::testing::IsEmpty;

LoadResult load_text(std::string_view yaml, EnvLookup env = fake_env()) {
  auto kinds = fake_kinds();
  return load_string(yaml, "lk.yaml", kinds, env);
}

TEST(AlertingScratch, Print) {
  std::vector<std::filesystem::path> files;
  for (auto& e : std::filesystem::directory_iterator("/tmp/lkcases")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (auto& file : files) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LoadResult r =
        load_text(text, fake_env({{"SLACK_URL", "https://hooks.slack.com/services/T/B/z"}}));
    std::cout << "== " << file.filename().string() << "\n";
    for (auto& l : error_lines(r)) std::cout << l << "\n";
  }
}

}  // namespace
}  // namespace lk::config
