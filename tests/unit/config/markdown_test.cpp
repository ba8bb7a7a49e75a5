// The generated option reference.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "support.hpp"

namespace lk::config {
namespace {

using testing::fake_kinds;
using ::testing::HasSubstr;

TEST(OptionsMarkdown, HasARowForEveryOptionOfEveryTable) {
  auto kinds = fake_kinds();
  std::string markdown = options_markdown(kinds);
  std::vector<std::span<const Option>> tables = {top_level_options(), check_options()};
  for (const ProbeKindParser& kind : kinds) tables.push_back(kind.options);
  for (auto table : tables) {
    for (const Option& option : table) {
      EXPECT_THAT(markdown, HasSubstr("| `" + std::string(option.key) + "` | " +
                                      std::string(option.type) + " | "));
    }
  }
}

TEST(OptionsMarkdown, ShowsDefaultsAndMarksRequiredOptions) {
  auto kinds = fake_kinds();
  std::string markdown = options_markdown(kinds);
  EXPECT_THAT(markdown, HasSubstr("| `listen` | string | `127.0.0.1:8080` | "));
  EXPECT_THAT(markdown, HasSubstr("| `interval` | duration | `60s` | "));
  EXPECT_THAT(markdown, HasSubstr("| `name` | string | **required** | "));
  EXPECT_THAT(markdown, HasSubstr("| `url` | string | **required** | URL to fetch. |"));
  EXPECT_THAT(markdown, HasSubstr("| `description` | string |  | "));
}

TEST(OptionsMarkdown, HasASectionPerTableWithKindsSortedByType) {
  auto kinds = fake_kinds();
  std::swap(kinds[0], kinds[1]);
  std::string markdown = options_markdown(kinds);
  auto top = markdown.find("## Top level\n");
  auto common = markdown.find("## Common check options\n");
  auto http = markdown.find("## `type: http`\n");
  auto tcp = markdown.find("## `type: tcp`\n");
  ASSERT_NE(tcp, std::string::npos);
  EXPECT_LT(top, common);
  EXPECT_LT(common, http);
  EXPECT_LT(http, tcp);
  EXPECT_THAT(markdown,
              HasSubstr("| option | type | default | description |\n|---|---|---|---|\n"));
}

TEST(OptionsMarkdown, IsTheSameEveryTime) {
  auto kinds = fake_kinds();
  auto reordered = fake_kinds();
  std::swap(reordered[0], reordered[1]);
  EXPECT_EQ(options_markdown(kinds), options_markdown(kinds));
  EXPECT_EQ(options_markdown(kinds), options_markdown(reordered));
}

}  // namespace
}  // namespace lk::config
