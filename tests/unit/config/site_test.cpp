// The public side of the config: api tokens, components and status pages. What a valid setup
// yields, and how each mistake is reported (at its path and position, all at once).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "support.hpp"

namespace lk::config {
namespace {

using ::testing::ElementsAre;
using testing::error_lines;
using testing::fake_env;
using testing::fake_kinds;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::ScratchDir;

LoadResult load_text(std::string_view yaml, EnvLookup env = fake_env()) {
  auto kinds = fake_kinds();
  return load_string(yaml, "lk.yaml", kinds, env);
}

constexpr std::string_view kChecks = R"yaml(checks:
  - {name: web-1, type: http, url: http://127.0.0.1:1/}
  - {name: web-2, type: http, url: http://127.0.0.1:2/}
  - {name: db, type: http, url: http://127.0.0.1:3/}
)yaml";

std::string with_checks(std::string_view rest) {
  return std::string(kChecks) + std::string(rest);
}

TEST(SiteConfig, TheIssuesTokenLineWorksAsWritten) {
  auto result = load_text(
      with_checks(R"yaml(api: {tokens: [{name: ci, token: "${LK_API_TOKEN}", scope: write}]}
)yaml"),
      fake_env({{"LK_API_TOKEN", "0123456789abcdef0123"}}));
  ASSERT_THAT(error_lines(result), IsEmpty());
  const auto& tokens = result.config->api.tokens;
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].name, "ci");
  EXPECT_EQ(tokens[0].token, "0123456789abcdef0123");
  EXPECT_EQ(tokens[0].scope, ApiToken::Scope::write);
  EXPECT_FALSE(result.config->api.public_read.has_value());
}

TEST(SiteConfig, TokenMistakesNeverQuoteTheSecret) {
  auto result = load_text(with_checks(R"yaml(api:
  public_read: true
  tokens:
    - {name: ci, token: short-secret}
    - {name: ci, token: 0123456789abcdef, scope: admin}
    - {name: other, token: 0123456789abcdef}
)yaml"));
  auto lines = error_lines(result);
  EXPECT_THAT(
      lines, ElementsAre("lk.yaml:8:25: api.tokens[0].token: is 12 characters long; use at least "
                         "16 random characters (e.g. `openssl rand -hex 24`)",
                         "lk.yaml:9:14: api.tokens[1].name: duplicate token name \"ci\"; the first "
                         "is at lk.yaml:8:14",
                         "lk.yaml:9:50: api.tokens[1].scope: expected read or write, got \"admin\"",
                         "lk.yaml:10:28: api.tokens[2].token: is the same secret as the token at "
                         "lk.yaml:9:25; give each user its own"));
  for (const auto& line : lines) EXPECT_THAT(line, Not(HasSubstr("0123456789abcdef\"")));
  for (const auto& line : lines) EXPECT_THAT(line, Not(HasSubstr("short-secret")));
}

TEST(SiteConfig, ClosedReadsNeedAToken) {
  auto result = load_text(with_checks("api: {public_read: false}\n"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_THAT(result.errors[0].to_string(),
              HasSubstr("api.public_read: is false but no token is configured"));
}

TEST(SiteConfig, ComponentsAndPages) {
  auto result = load_text(with_checks(R"yaml(title: Hosting Co
components:
  - {id: web, name: Website, group: Shop, checks: [web-1, web-2]}
  - {id: db, group: Shop, checks: [db], rule: any}
  - {id: pool, checks: [web-1, web-2, db], rule: "2 of 3"}
status_pages:
  - slug: acme
    components: [web, db]
    colors: {accent: "#0b5fff", down: "#c00"}
    footer_links: [{text: Support, url: "mailto:help@example.com"}]
    custom_css: "h1 {letter-spacing: 1px}"
  - slug: internal
    title: Internal
    logo: /logo.svg
)yaml"));
  ASSERT_THAT(error_lines(result), IsEmpty());
  const Config& c = *result.config;
  ASSERT_EQ(c.components.size(), 3u);
  EXPECT_EQ(c.components[0].name, "Website");
  EXPECT_EQ(c.components[0].rule.kind, ComponentRule::Kind::all);
  EXPECT_THAT(c.components[0].checks, ElementsAre("web-1", "web-2"));
  EXPECT_EQ(c.components[1].name, "db");
  EXPECT_EQ(c.components[1].rule.kind, ComponentRule::Kind::any);
  EXPECT_EQ(c.components[2].rule.kind, ComponentRule::Kind::at_least);
  EXPECT_EQ(c.components[2].rule.k, 2);
  ASSERT_EQ(c.status_pages.size(), 2u);
  EXPECT_EQ(c.status_pages[0].title, "Hosting Co");
  EXPECT_EQ(c.status_pages[0].logo_alt, "Hosting Co");
  EXPECT_THAT(c.status_pages[0].components, ElementsAre("web", "db"));
  EXPECT_EQ(c.status_pages[0].colors.accent, "#0b5fff");
  EXPECT_EQ(c.status_pages[0].colors.down, "#c00");
  ASSERT_EQ(c.status_pages[0].footer_links.size(), 1u);
  EXPECT_EQ(c.status_pages[0].footer_links[0].url, "mailto:help@example.com");
  EXPECT_EQ(c.status_pages[1].title, "Internal");
  EXPECT_EQ(c.status_pages[1].logo_url, "/logo.svg");
  EXPECT_THAT(c.status_pages[1].components, IsEmpty());
}

TEST(SiteConfig, EveryMistakeAtOnce) {
  auto result = load_text(with_checks(R"yaml(components:
  - {id: Web, checks: [web-1]}
  - {id: db, checks: [nope], rule: "3 of 2"}
  - {id: db, checks: [db], rule: "2 of 3"}
status_pages:
  - slug: a
    components: [db, missing, db]
    colors: {accent: blue}
    logo: "javascript:alert(1)"
    footer_links: [{text: x, url: "ftp://x"}]
  - slug: a
)yaml"));
  EXPECT_THAT(
      error_lines(result),
      ElementsAre(
          "lk.yaml:6:10: components[0].id: may contain only lower-case letters, digits, '_' and "
          "'-' (1 to 64), got \"Web\"",
          "lk.yaml:7:23: components[1].checks[0]: no check named \"nope\"",
          "lk.yaml:7:36: components[1].rule: expected all, any or `k of n` such as \"2 of 3\", got "
          "\"3 of 2\"",
          "lk.yaml:8:10: components[2].id: duplicate component id \"db\"; the first is at "
          "lk.yaml:7:10",
          "lk.yaml:8:34: components[2].rule: \"2 of 3\" says 3 checks, but the component has 1",
          "lk.yaml:11:22: status_pages[0].components[1]: no component with id \"missing\"",
          "lk.yaml:11:31: status_pages[0].components[2]: component \"db\" is listed twice",
          "lk.yaml:12:22: status_pages[0].colors.accent: expected a colour as #rgb or #rrggbb, "
          "got \"blue\"",
          "lk.yaml:13:11: status_pages[0].logo: expected an http(s):// URL or a path starting "
          "with /, got \"javascript:alert(1)\"",
          "lk.yaml:14:35: status_pages[0].footer_links[0].url: expected http://, https://, "
          "mailto: or a path starting with /, got \"ftp://x\"",
          "lk.yaml:15:11: status_pages[1].slug: duplicate page slug \"a\"; the first is at "
          "lk.yaml:10:11"));
}

TEST(SiteConfig, CssFileIsReadAndWatched) {
  ScratchDir dir;
  dir.write("brand.css", "body { font-family: serif }\n");
  std::string main = dir.write("lk.yaml", with_checks(R"yaml(status_pages:
  - slug: main
    custom_css: "h1 {color: red}"
    css_file: brand.css
  - slug: other
    css_file: missing.css
)yaml"));
  auto kinds = fake_kinds();
  auto result = load_file(main, kinds, fake_env());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_THAT(result.errors[0].to_string(), HasSubstr("status_pages[1].css_file: cannot read"));
  auto ok = load_file(dir.write("ok.yaml", with_checks(R"yaml(status_pages:
  - slug: main
    custom_css: "h1 {color: red}"
    css_file: brand.css
)yaml")),
                      kinds, fake_env());
  ASSERT_THAT(error_lines(ok), IsEmpty());
  EXPECT_EQ(ok.config->status_pages[0].custom_css,
            "h1 {color: red}\nbody { font-family: serif }\n");
  EXPECT_EQ(ok.config->files.size(), 2u);
}

}  // namespace
}  // namespace lk::config
